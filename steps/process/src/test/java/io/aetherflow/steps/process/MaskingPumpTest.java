package io.aetherflow.steps.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The masking pass-through against byte streams cut at every possible place. */
class MaskingPumpTest {

    private static final String SECRET = "hunter2-Säkret";

    private static final UnaryOperator<String> MASK = s -> s.replace(SECRET, "***");

    /** Returns the bytes in pieces of the given size, like a pipe read at arbitrary moments. */
    private static InputStream chunked(byte[] data, int piece) {
        return new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, piece), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private static byte[] run(byte[] input, int piece) {
        return run(input, piece, MASK);
    }

    private static byte[] run(byte[] input, int piece, UnaryOperator<String> mask) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        new MaskingPump(chunked(input, piece), sink, mask, "test").pump();
        return sink.toByteArray();
    }

    @Test
    void aSecretSplitAcrossEveryPossibleReadBoundaryIsMasked() {
        byte[] in = ("a line\npw=" + SECRET + " tail without newline").getBytes(StandardCharsets.UTF_8);
        for (int piece = 1; piece <= in.length; piece++) {
            String out = new String(run(in, piece), StandardCharsets.UTF_8);
            assertEquals("a line\npw=*** tail without newline", out, "piece " + piece);
        }
    }

    @Test
    void binaryOutputPassesThroughByteExact() {
        byte[] in = new byte[70_000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) (i * 31 + (i >> 7));
        }
        for (int piece : new int[] {1, 3, 4096, 65536}) {
            assertArrayEquals(in, run(in, piece), "piece " + piece);
        }
    }

    @Test
    void invalidAndTruncatedUtf8AroundASecretIsKept() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xFF);
        b.write(0xC3);
        b.writeBytes((SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        b.write(0xE2);
        b.write(0x82);
        byte[] in = b.toByteArray();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0xFF);
        expected.write(0xC3);
        expected.writeBytes("***\n".getBytes(StandardCharsets.UTF_8));
        expected.write(0xE2);
        expected.write(0x82);
        for (int piece = 1; piece <= in.length; piece++) {
            assertArrayEquals(expected.toByteArray(), run(in, piece), "piece " + piece);
        }
    }

    @Test
    void aSecretInAVeryLongLineIsMaskedWhereverTheCutFalls() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < MaskingPump.LONG_LINE_CHARS + MaskingPump.HOLD_CHARS * 3) {
            sb.append("x");
        }
        // put secrets around every position a cut can fall on
        for (int at = MaskingPump.LONG_LINE_CHARS - 40; at < sb.length(); at += 997) {
            sb.replace(at, at + SECRET.length(), SECRET);
        }
        String line = sb.toString();
        for (int piece : new int[] {1000, 4096, 8191, 65536}) {
            String out = new String(run(line.getBytes(StandardCharsets.UTF_8), piece), StandardCharsets.UTF_8);
            assertFalse(out.contains("hunter"), "piece " + piece);
            assertFalse(out.contains("Säkret"), "piece " + piece);
            assertEquals(MASK.apply(line), out, "piece " + piece);
        }
    }

    @Test
    void completeLinesAreWrittenAsTheyArriveAndAPartialLineWaitsForItsNewline() {
        List<String> writes = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                writes.add(toString(StandardCharsets.UTF_8));
            }
        };
        byte[] in = "one\ntw".getBytes(StandardCharsets.UTF_8);
        new MaskingPump(chunked(in, in.length), sink, MASK, "test").pump();
        assertEquals(List.of("one\n", "one\ntw"), writes);
    }

    @Test
    void aFailingSinkDoesNotStopTheReadingOfThePipe() {
        byte[] in = "x\n".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        InputStream pipe = chunked(in, 1000);
        MaskingPump pump = new MaskingPump(pipe, new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        }, MASK, "test");
        pump.pump();
        assertTrue(pump.failure() != null && pump.failure().getMessage().equals("Broken pipe"));
    }

    @Test
    void aDetachedPumpNeitherWritesNorMasksWhatArrivesLater() throws Exception {
        // a pipe a background grandchild keeps open: reads block until it writes again
        java.util.concurrent.BlockingQueue<byte[]> chunks = new java.util.concurrent.LinkedBlockingQueue<>();
        InputStream pipe = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    byte[] c = chunks.take();
                    if (c.length == 0) {
                        return -1;
                    }
                    System.arraycopy(c, 0, b, off, c.length);
                    return c.length;
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        };
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        List<String> masked = new java.util.concurrent.CopyOnWriteArrayList<>();
        MaskingPump pump = new MaskingPump(pipe, sink, s -> {
            masked.add(s);
            return s;
        }, "test").start();
        chunks.add("early\n".getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (masked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        pump.detach();
        chunks.add("late, partial".getBytes(StandardCharsets.UTF_8));
        chunks.add(new byte[0]);
        assertTrue(pump.awaitEnd(5_000_000_000L), "the pump ends at end of file");
        assertEquals(List.of("early\n"), masked, "nothing of the step is used after detach");
        assertEquals("early\n", sink.toString(StandardCharsets.UTF_8));
    }
}
