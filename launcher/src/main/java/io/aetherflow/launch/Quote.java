package io.aetherflow.launch;

/**
 * Quoting of untrusted values (ids, arguments, keys, paths) in error messages and report lines: a
 * message stays one line whatever the value holds, and a huge value does not become a huge message.
 * Shared by the launcher's command line and the engine, so both sides echo values the same way.
 */
public final class Quote {

    /** Values longer than this many characters are shortened by {@link #q(String)}. */
    public static final int MAX_SHOWN = 80;

    private Quote() {
    }

    /**
     * A value in single quotes with control characters, {@code \} and {@code '} escaped
     * ({@code \n}, {@code \r}, {@code \t}, {@code \0}, else {@code \xNN} / {@code &#92;uNNNN}); a value
     * longer than {@value #MAX_SHOWN} characters is cut and its length given:
     * {@code 'aaaa...' (5000000 characters)}.
     *
     * @param value the value (may be null)
     * @return the quoted form ({@code None} for null, as the reference prints it)
     */
    public static String q(String value) {
        if (value == null) {
            return "None";
        }
        boolean cut = value.length() > MAX_SHOWN;
        String shown = cut ? value.substring(0, MAX_SHOWN - 20) : value;
        StringBuilder sb = new StringBuilder(shown.length() + 8).append('\'');
        append(sb, shown, true);
        sb.append(cut ? "...' (" + value.length() + " characters)" : "'");
        return sb.toString();
    }

    /**
     * The text with control characters escaped as in {@link #q(String)}, nothing else changed, no
     * quotes added: for messages and paths that must stay on one line.
     *
     * @param text the text (may be null)
     * @return the escaped text ({@code null} stays {@code null})
     */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        append(sb, text.substring(i), false);
        return sb.toString();
    }

    /**
     * @param c a UTF-16 unit
     * @return true for C0 and C1 controls, DEL and the Unicode line and paragraph separators
     */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }

    private static void append(StringBuilder sb, String s, boolean quoted) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append("\\0");
                case '\\' -> sb.append(quoted ? "\\\\" : "\\");
                case '\'' -> sb.append(quoted ? "\\'" : "'");
                default -> {
                    if (c <= 0xff && isControl(c)) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else if (isControl(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }

    /**
     * The one-line usage error of a command, argparse style:
     * {@code aetherflow run: error: MESSAGE (see 'aetherflow run --help')}.
     *
     * @param command the command path after {@code aetherflow} (e.g. {@code runs show}), or null for the top level
     * @param message what is wrong
     * @return the line (without a trailing newline)
     */
    public static String usage(String command, String message) {
        String name = command == null ? "aetherflow" : "aetherflow " + command;
        return name + ": error: " + message + " (see '" + name + " --help')";
    }

    /**
     * An argument echoed in a message, escaped and cut when long (a 5 MB argument is not a 5 MB message).
     *
     * @param arg the argument as given
     * @return its printable form
     */
    public static String argument(String arg) {
        return escape(arg.length() <= MAX_SHOWN ? arg : arg.substring(0, MAX_SHOWN - 20) + "... (" + arg.length()
                + " characters)");
    }
}
