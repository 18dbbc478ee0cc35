package io.aetherflow.api.connector.files;

import java.util.regex.Pattern;

/**
 * Shell-style name patterns with the reference's ({@code fnmatch}) meaning: {@code *} any run of
 * characters, {@code ?} one character, {@code [abc]}/{@code [a-z]} a set, {@code [!abc]} its
 * complement; everything else literal; case-sensitive; matched against the whole name.
 */
public final class Glob {

    private final String pattern;
    private final Pattern regex;

    private Glob(String pattern, Pattern regex) {
        this.pattern = pattern;
        this.regex = regex;
    }

    /**
     * @param pattern the pattern; null or empty means {@code *}
     * @return the compiled pattern
     */
    public static Glob of(String pattern) {
        String p = pattern == null || pattern.isEmpty() ? "*" : pattern;
        return new Glob(p, Pattern.compile(translate(p), Pattern.DOTALL));
    }

    /**
     * @param name a file name
     * @return true when the whole name matches
     */
    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    /** @return the pattern as given ({@code *} for none) */
    @Override
    public String toString() {
        return pattern;
    }

    private static String translate(String p) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int n = p.length();
        while (i < n) {
            char c = p.charAt(i++);
            if (c == '*') {
                sb.append(".*");
            } else if (c == '?') {
                sb.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && p.charAt(j) == '!') {
                    j++;
                }
                if (j < n && p.charAt(j) == ']') {
                    j++;
                }
                while (j < n && p.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    sb.append("\\[");
                } else {
                    String set = p.substring(i, j);
                    i = j + 1;
                    StringBuilder cls = new StringBuilder("[");
                    int k = 0;
                    if (set.startsWith("!")) {
                        cls.append('^');
                        k = 1;
                    }
                    for (; k < set.length(); k++) {
                        char s = set.charAt(k);
                        if (s == '-' && k > 0 && k < set.length() - 1 && !(k == 1 && set.startsWith("!"))) {
                            cls.append('-');
                        } else if (Character.isLetterOrDigit(s)) {
                            cls.append(s);
                        } else {
                            cls.append('\\').append(s);
                        }
                    }
                    sb.append(cls).append(']');
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
