package io.aetherflow.api.connector.db;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A {@code STRING} value as the database stored it, UTF-8 encoded, decoded to a {@link String} when
 * first asked for. {@link DbRows#nextLazyText()} returns text values this way so that a consumer that
 * reads rows on one thread and writes them on another decodes them on the writing thread, off the
 * critical path of the fetch. Compares by its text.
 */
public final class DbText implements CharSequence {

    private final byte[] utf8;
    private String text;

    /**
     * @param utf8 the value's UTF-8 bytes (kept, not copied: the caller hands them over)
     */
    public DbText(byte[] utf8) {
        this.utf8 = Objects.requireNonNull(utf8, "utf8");
    }

    /**
     * @param value a value of a row
     * @return the value, with a {@code DbText} replaced by its {@link String}
     */
    public static Object decode(Object value) {
        return value instanceof DbText t ? t.toString() : value;
    }

    /**
     * Replaces every {@code DbText} of a row by its {@link String}, in place.
     *
     * @param row a row as {@link DbRows#nextLazyText()} returned it
     * @return the same array, holding the values {@link DbRows#next()} would have returned
     */
    public static Object[] decodeAll(Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (row[i] instanceof DbText t) {
                row[i] = t.toString();
            }
        }
        return row;
    }

    /** @return the decoded text (decoded once; malformed bytes become U+FFFD, as the drivers decode them) */
    @Override
    public String toString() {
        String s = text;
        if (s == null) {
            s = new String(utf8, StandardCharsets.UTF_8);
            text = s; // a race decodes twice, into equal strings
        }
        return s;
    }

    @Override
    public int length() {
        return toString().length();
    }

    @Override
    public char charAt(int index) {
        return toString().charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DbText t && toString().equals(t.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
