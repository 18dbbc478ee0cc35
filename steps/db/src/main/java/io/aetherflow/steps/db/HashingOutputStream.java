package io.aetherflow.steps.db;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes to a file and computes its SHA-256 on a second thread while the step produces the next
 * bytes (hashing a large extract after writing it would add a pass as long as the write). At most
 * {@value #QUEUED} chunks of {@value #CHUNK} bytes wait for the hasher; full chunks are handed over as
 * they are and their buffers come back once hashed (no copy, and no new garbage per chunk that the
 * small young generation would copy and promote while it waits).
 */
final class HashingOutputStream extends OutputStream {

    static final int CHUNK = 1 << 18;
    static final int QUEUED = 8;
    private static final byte[] END = new byte[0];

    private final OutputStream out;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUED);
    /** Hashed full-size buffers, for reuse. */
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUED + 2);
    /** Made on the hasher thread (libcrypto is loaded there, while the rows start); read after its join. */
    private Sha256 md;
    /** A failure of the digest on the hasher thread; read after its join. */
    private RuntimeException failure;
    private final Thread hasher;
    private byte[] buf = new byte[CHUNK];
    private int n;
    private boolean closed;
    private String hex;

    HashingOutputStream(OutputStream out) {
        this.out = out;
        hasher = new Thread(this::hash, "aetherflow-sha256");
        hasher.setDaemon(true);
        hasher.start();
    }

    private void hash() {
        try {
            md = Sha256.create();
            for (byte[] b; (b = queue.take()) != END; ) {
                if (failure == null) {
                    try {
                        md.update(b, 0, b.length);
                    } catch (RuntimeException e) {
                        failure = e; // the chunks are still taken, so the writer never blocks; close() reports it
                    }
                }
                if (b.length == CHUNK) {
                    free.offer(b);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (n == buf.length) {
            drain();
        }
        buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (n == buf.length) {
                drain();
            }
            int k = Math.min(len, buf.length - n);
            System.arraycopy(b, off, buf, n, k);
            n += k;
            off += k;
            len -= k;
        }
    }

    private void drain() throws IOException {
        if (n == 0) {
            return;
        }
        out.write(buf, 0, n);
        if (n == CHUNK) {
            put(buf);
            byte[] b = free.poll();
            buf = b != null ? b : new byte[CHUNK];
        } else {
            put(Arrays.copyOf(buf, n)); // a flush or the last chunk
        }
        n = 0;
    }

    private void put(byte[] chunk) throws IOException {
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hasher.interrupt();
            throw new java.io.InterruptedIOException("interrupted while hashing the output");
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            drain();
            out.close();
            put(END);
            hasher.join();
            if (failure != null) {
                throw new IOException("computing the SHA-256 of the output failed: " + failure.getMessage(), failure);
            }
            hex = md.hex();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while hashing the output");
        } finally {
            if (hex == null) {
                hasher.interrupt();
                out.close();
            }
        }
    }

    /**
     * @param file a file
     * @return its SHA-256, lower-case hex
     * @throws IOException when it cannot be read
     */
    static String sha256(java.nio.file.Path file) throws IOException {
        Sha256 md = Sha256.create();
        byte[] b = new byte[1 << 20];
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            for (int k; (k = in.read(b)) > 0; ) {
                md.update(b, 0, k);
            }
        }
        return md.hex();
    }

    /** @return the SHA-256 of everything written, lower-case hex; only after {@link #close()} */
    String sha256() {
        if (hex == null) {
            throw new IllegalStateException("not closed");
        }
        return hex;
    }
}
