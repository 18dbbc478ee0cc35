package io.aetherflow.steps.process;

import io.aetherflow.api.step.StepContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads one of the child's pipes on its own thread until end of file. Every line is masked, emitted
 * as an event, and appended to a bounded capture that keeps the first {@code limit} bytes; whatever
 * does not fit is counted and noted with a truncation marker. {@link #awaitEnd(long)} must be called
 * after the process exits and before the capture is read, so no output is lost.
 */
final class OutputCapture extends PipeReader {

    /** Longest line emitted as one event; longer lines are split into several events. */
    static final int MAX_EVENT_LINE_BYTES = 64 * 1024;

    private final StepContext ctx;
    private final String event;
    private final String level;
    private final long limit;

    private final StringBuilder captured = new StringBuilder();
    private long capturedBytes;
    private long droppedBytes;
    private IOException failure;

    private OutputCapture(InputStream in, StepContext ctx, String event, String level, long limit, String name) {
        super(in, name);
        this.ctx = ctx;
        this.event = event;
        this.level = level;
        this.limit = limit;
    }

    /**
     * Starts a reader thread.
     *
     * @param in the pipe
     * @param ctx step context (mask, event)
     * @param stream {@code stdout} or {@code stderr}
     * @param limit capture limit in bytes
     * @return the running capture
     */
    static OutputCapture start(InputStream in, StepContext ctx, String stream, long limit) {
        boolean out = stream.equals("stdout");
        OutputCapture c = new OutputCapture(in, ctx, out ? "external_process_stdout" : "external_process_stderr",
                out ? "INFO" : "WARNING", limit, "aetherflow-" + ctx.jobId() + "-" + ctx.stepId() + "-" + stream);
        c.startReader();
        return c;
    }

    @Override
    void pump() {
        byte[] buf = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        line.write(buf, start, i + 1 - start);
                        start = i + 1;
                        onLine(line);
                    } else if (line.size() + (i + 1 - start) >= MAX_EVENT_LINE_BYTES) {
                        line.write(buf, start, i + 1 - start);
                        start = i + 1;
                        onLine(line);
                    }
                }
                line.write(buf, start, n - start);
            }
        } catch (IOException e) {
            synchronized (this) {
                if (!detached) {
                    failure = e;
                }
            }
        } finally {
            if (line.size() > 0) {
                onLine(line);
            }
        }
    }

    private void onLine(ByteArrayOutputStream line) {
        synchronized (this) {
            if (detached) {
                // abandoned (the step is over, the engine may be stopping): touch nothing of the step
                line.reset();
                return;
            }
        }
        int rawLength = line.size();
        String masked = ctx.mask(new String(line.toByteArray(), StandardCharsets.UTF_8));
        line.reset();
        synchronized (this) {
            if (detached) {
                return;
            }
            long room = limit - capturedBytes;
            if (room >= rawLength) {
                captured.append(masked);
                capturedBytes += rawLength;
            } else {
                if (room > 0) {
                    captured.append(prefixOfUtf8Bytes(masked, room));
                    capturedBytes = limit;
                }
                droppedBytes += rawLength - Math.max(room, 0);
            }
            String message = stripNewline(masked);
            if (!message.isEmpty()) {
                ctx.event(level, event, Map.of("message", message));
            }
        }
    }

    private static String stripNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The longest prefix of {@code s} whose UTF-8 encoding fits in {@code max} bytes. */
    static String prefixOfUtf8Bytes(String s, long max) {
        long used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + len > max) {
                break;
            }
            used += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    /** @return the read error, or null */
    synchronized IOException failure() {
        return failure;
    }

    /** @return the captured (masked) text, with a truncation marker when output was dropped */
    synchronized String text() {
        if (droppedBytes == 0) {
            return captured.toString();
        }
        StringBuilder b = new StringBuilder(captured.length() + 40).append(captured);
        if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') {
            b.append('\n');
        }
        return b.append("...[truncated ").append(droppedBytes).append(" bytes]").toString();
    }

    /** @return bytes dropped because the capture limit was reached */
    synchronized long droppedBytes() {
        return droppedBytes;
    }
}
