package io.aetherflow.steps.excel;

import io.aetherflow.api.step.StepFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Data rows of a CSV/TSV file without writing anything (catalog §9.5.5): {@code fast} counts the
 * linefeed byte sequence in 64 KiB chunks (matches may span chunks), plus one for an unterminated
 * last line; {@code csv_parse} counts parsed records (quoted newlines are one record). One is
 * taken off for a header.
 */
final class RowCounter {

    private RowCounter() {
    }

    /**
     * @param label who asks, for messages
     * @param path the file
     * @param fmt {@code csv} or {@code tsv}
     * @param includeHeader whether the first record is a header
     * @param countMode {@code fast} or {@code csv_parse}
     * @param o the dialect
     * @return the number of data rows, never negative
     */
    static long count(String label, Path path, String fmt, boolean includeHeader, String countMode, CsvOptions o)
            throws IOException {
        if (!fmt.equals("csv") && !fmt.equals("tsv")) {
            throw new StepFailedException("Unsupported format for fast_count_rows: " + fmt);
        }
        long n;
        if (countMode.equals("fast")) {
            if (o.wide()) {
                throw new StepFailedException("fast row counting does not support utf-16/utf-32; use count_mode=csv_parse");
            }
            n = fast(path, o.linefeed());
        } else if (countMode.equals("csv_parse")) {
            n = 0;
            try (RowSource src = new RowSource(label, path, o)) {
                while (src.next() != null) {
                    n++;
                }
            }
        } else {
            throw new StepFailedException("Unsupported count_mode for CSV/TSV: " + countMode);
        }
        if (includeHeader && n > 0) {
            n--;
        }
        return Math.max(0, n);
    }

    /** Occurrences of the linefeed's UTF-8 bytes, plus one when the file does not end with them. */
    static long fast(Path path, String linefeed) throws IOException {
        if (linefeed == null || linefeed.isEmpty()) {
            throw new StepFailedException("linefeed must be non-empty");
        }
        byte[] needle = linefeed.getBytes(StandardCharsets.UTF_8);
        long count = 0;
        long size = 0;
        byte[] tail = new byte[needle.length];
        int matched = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    byte b = buf[i];
                    if (needle.length == 1) {
                        if (b == needle[0]) {
                            count++;
                        }
                        continue;
                    }
                    // non-overlapping matches, as bytes.count does
                    if (b == needle[matched]) {
                        matched++;
                        if (matched == needle.length) {
                            count++;
                            matched = 0;
                        }
                    } else {
                        matched = b == needle[0] ? 1 : 0;
                    }
                }
                size += r;
                int keep = Math.min(needle.length, r);
                System.arraycopy(tail, keep, tail, 0, needle.length - keep);
                System.arraycopy(buf, r - keep, tail, needle.length - keep, keep);
            }
        }
        if (size > 0) {
            boolean endsWith = size >= needle.length;
            for (int i = 0; endsWith && i < needle.length; i++) {
                endsWith = tail[i] == needle[i];
            }
            if (!endsWith) {
                count++;
            }
        }
        return count;
    }
}
