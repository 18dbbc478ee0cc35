package io.aetherflow.steps.process;

import java.util.List;
import java.util.regex.Pattern;

/** POSIX shell quoting with the same rules as Python's {@code shlex.quote} / {@code shlex.join}. */
final class ShellQuote {

    private static final Pattern UNSAFE = Pattern.compile("[^\\w@%+=:,./-]");

    private ShellQuote() {
    }

    /**
     * @param s one word
     * @return the word unchanged when it is safe, else single-quoted
     */
    static String quote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        if (!UNSAFE.matcher(s).find()) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /**
     * @param argv words
     * @return the words quoted and joined by single spaces
     */
    static String join(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(a));
        }
        return b.toString();
    }
}
