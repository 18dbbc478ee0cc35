package io.aetherflow.steps.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.UnaryOperator;

/**
 * Copies one of the child's pipes to a sink (the engine's stdout or stderr, or the step's log file)
 * on its own thread, masking secrets on the way. Output is line-buffered: complete lines are
 * written (and flushed) as soon as they arrive; a partial line waits for its newline, until it grows
 * beyond {@value #LONG_LINE_CHARS} characters, or until end of file, so the tail is never lost.
 *
 * <p>Bytes are decoded as UTF-8 with invalid bytes kept as escape characters (like Python's
 * {@code surrogateescape}) and encoded back the same way, so binary output passes through
 * byte-exact except where a secret occurs. A long line is cut only where no secret occurrence spans
 * the cut, and the last {@value #HOLD_CHARS} characters are always kept back, so a secret of up to
 * that length split across reads is still masked.
 */
final class MaskingPump extends PipeReader {

    /** A partial line longer than this is written in pieces. */
    static final int LONG_LINE_CHARS = 64 * 1024;
    /** Characters kept back when a long line is cut: the longest secret a cut can never split. */
    static final int HOLD_CHARS = 4096;

    private final OutputStream sink;
    private final UnaryOperator<String> mask;
    private final StringBuilder pending = new StringBuilder();
    private final byte[] carry = new byte[4];
    private int carried;
    private IOException readFailure;
    private IOException writeFailure;

    MaskingPump(InputStream in, OutputStream sink, UnaryOperator<String> mask, String name) {
        super(in, name);
        this.sink = sink;
        this.mask = mask;
    }

    /** Starts the reader thread. */
    MaskingPump start() {
        startReader();
        return this;
    }

    /** Runs on the calling thread until end of file (tests and {@link #start()}). */
    @Override
    void pump() {
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0 && !detached) {
                if (n > 0) {
                    decode(buf, n);
                    emit(false);
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                if (!detached) {
                    readFailure = e;
                }
            }
        } finally {
            if (detached) {
                // abandoned (the step is over, the engine may be stopping): touch nothing of the step
                return;
            }
            for (int i = 0; i < carried; i++) {
                pending.append(escape(carry[i]));
            }
            carried = 0;
            emit(true);
        }
    }

    private void emit(boolean end) {
        int target;
        if (end) {
            target = pending.length();
        } else {
            target = pending.lastIndexOf("\n") + 1;
            if (pending.length() - target > LONG_LINE_CHARS) {
                target = safeCut(pending.length() - HOLD_CHARS);
            }
        }
        if (target <= 0) {
            return;
        }
        String masked = mask.apply(pending.substring(0, target));
        pending.delete(0, target);
        write(encode(masked));
    }

    /** The largest cut at or before {@code start} that no secret occurrence spans. */
    private int safeCut(int start) {
        int c = start;
        while (c > 0) {
            int lo = Math.max(0, c - HOLD_CHARS);
            int hi = Math.min(pending.length(), c + HOLD_CHARS);
            String left = pending.substring(lo, c);
            String right = pending.substring(c, hi);
            if (mask.apply(left + right).equals(mask.apply(left) + mask.apply(right))) {
                return c;
            }
            c = lo;
        }
        return 0;
    }

    private void write(byte[] bytes) {
        if (detached || writeFailure != null || bytes.length == 0) {
            return;
        }
        try {
            synchronized (sink) {
                sink.write(bytes);
                sink.flush();
            }
        } catch (IOException e) {
            // keep reading so the child never blocks on a full pipe; the failure is reported once
            writeFailure = e;
        }
    }

    private static char escape(byte b) {
        return (char) (0xDC00 | (b & 0xFF));
    }

    /** Decodes UTF-8 into {@link #pending}; invalid bytes become escapes, an incomplete tail is carried. */
    private void decode(byte[] buf, int n) {
        byte[] b;
        int len;
        if (carried > 0) {
            b = new byte[carried + n];
            System.arraycopy(carry, 0, b, 0, carried);
            System.arraycopy(buf, 0, b, carried, n);
            len = carried + n;
            carried = 0;
        } else {
            b = buf;
            len = n;
        }
        int i = 0;
        while (i < len) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                pending.append((char) c);
                i++;
                continue;
            }
            int need;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                pending.append(escape(b[i]));
                i++;
                continue;
            }
            if (i + need >= len) {
                // maybe incomplete: carry it if every byte so far is a continuation byte
                boolean cont = true;
                for (int k = i + 1; k < len; k++) {
                    cont &= (b[k] & 0xC0) == 0x80;
                }
                if (cont) {
                    carried = len - i;
                    System.arraycopy(b, i, carry, 0, carried);
                    return;
                }
            }
            int cp = c & (0x3F >> need);
            boolean ok = true;
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (!ok || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                pending.append(escape(b[i]));
                i++;
                continue;
            }
            pending.appendCodePoint(cp);
            i += need + 1;
        }
    }

    /** Encodes back to UTF-8, turning escapes into the original bytes. */
    static byte[] encode(String s) {
        byte[] out = new byte[s.length() * 3];
        int o = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                out[o++] = (byte) ch;
            } else if (ch >= 0xDC80 && ch <= 0xDCFF) {
                out[o++] = (byte) (ch & 0xFF);
            } else if (ch < 0x800) {
                out[o++] = (byte) (0xC0 | (ch >> 6));
                out[o++] = (byte) (0x80 | (ch & 0x3F));
            } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(ch, s.charAt(++i));
                out[o++] = (byte) (0xF0 | (cp >> 18));
                out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[o++] = (byte) (0xE0 | (ch >> 12));
                out[o++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                out[o++] = (byte) (0x80 | (ch & 0x3F));
            }
        }
        return java.util.Arrays.copyOf(out, o);
    }

    /** @return the read or write error, or null */
    synchronized IOException failure() {
        return readFailure != null ? readFailure : writeFailure;
    }
}
