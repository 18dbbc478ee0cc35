package io.aetherflow.api.connector.archive;

import java.util.Locale;

/** How entries of a created archive are stored. */
public enum Compression {
    /** Deflate (the default). */
    DEFLATED,
    /** No compression. */
    STORED;

    /**
     * Parses a step input as the reference does: {@code deflated} (any case, surrounding blanks
     * ignored) or null means {@link #DEFLATED}; anything else means {@link #STORED}.
     *
     * @param value the input value, may be null
     * @return the compression
     */
    public static Compression parse(String value) {
        return value == null || value.trim().toLowerCase(Locale.ROOT).equals("deflated") ? DEFLATED : STORED;
    }
}
