package io.aetherflow.runtime;

/**
 * Quoting of untrusted values in the engine's messages. The implementation is
 * {@link io.aetherflow.launch.Quote}, shared with the launcher's command line; this class keeps the
 * engine's many call sites on their short import.
 */
public final class Quote {

    /** Values longer than this many characters are shortened by {@link #q(String)}. */
    public static final int MAX_SHOWN = io.aetherflow.launch.Quote.MAX_SHOWN;

    private Quote() {
    }

    /**
     * @param value the value (may be null)
     * @return the quoted form (see {@link io.aetherflow.launch.Quote#q(String)})
     */
    public static String q(String value) {
        return io.aetherflow.launch.Quote.q(value);
    }

    /**
     * @param text the text (may be null)
     * @return the text with control characters escaped (see {@link io.aetherflow.launch.Quote#escape(String)})
     */
    public static String escape(String text) {
        return io.aetherflow.launch.Quote.escape(text);
    }

    /**
     * @param c a character
     * @return true for a control or line-separator character
     */
    public static boolean isControl(char c) {
        return io.aetherflow.launch.Quote.isControl(c);
    }
}
