package io.aetherflow.connectors.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQL text with the reference's {@code :name} parameters translated to JDBC's {@code ?}. Names are
 * {@code [A-Za-z_][A-Za-z0-9_]*}; nothing is translated inside string literals ({@code '...'}, with
 * {@code ''} escapes), quoted identifiers ({@code "..."}, {@code `...`}), PostgreSQL dollar quotes
 * ({@code $$...$$}, {@code $tag$...$tag$}) or comments ({@code -- ...}, {@code /* ... *}{@code /}); a
 * {@code ::} cast is left alone, and so is a colon not followed by a name.
 *
 * @param sql the statement with {@code ?} placeholders
 * @param names the parameter name of each placeholder, in order (a name may repeat)
 */
record NamedSql(String sql, List<String> names) {

    NamedSql {
        names = List.copyOf(names);
    }

    /**
     * @param text SQL with {@code :name} parameters
     * @return the translation
     */
    static NamedSql parse(String text) {
        StringBuilder out = new StringBuilder(text.length());
        List<String> names = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int end;
            if (c == '\'' || c == '"' || c == '`') {
                end = quoted(text, i, c);
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int nl = text.indexOf('\n', i);
                end = nl < 0 ? n : nl;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
            } else if (c == '$' && (end = dollarQuoted(text, i)) > i) {
                // end set by dollarQuoted
            } else if (c == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
                end = i + 2;
            } else if (c == ':' && i + 1 < n && isNameStart(text.charAt(i + 1))
                    && (i == 0 || !isNamePart(text.charAt(i - 1)))) {
                int j = i + 1;
                while (j < n && isNamePart(text.charAt(j))) {
                    j++;
                }
                names.add(text.substring(i + 1, j));
                out.append('?');
                i = j;
                continue;
            } else {
                end = i + 1;
            }
            out.append(text, i, end);
            i = end;
        }
        return new NamedSql(out.toString(), names);
    }

    private static int quoted(String text, int start, char q) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == q) {
                if (i + 1 < text.length() && text.charAt(i + 1) == q) {
                    i += 2; // doubled quote: an escaped quote inside
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return text.length();
    }

    /** @return the end of a dollar-quoted string starting at {@code start}, or {@code start} when none */
    private static int dollarQuoted(String text, int start) {
        int j = start + 1;
        while (j < text.length() && isNamePart(text.charAt(j))) {
            j++;
        }
        if (j >= text.length() || text.charAt(j) != '$' || (j > start + 1 && Character.isDigit(text.charAt(start + 1)))) {
            return start;
        }
        String tag = text.substring(start, j + 1);
        int close = text.indexOf(tag, j + 1);
        return close < 0 ? text.length() : close + tag.length();
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c < 128 && Character.isLetter(c));
    }

    private static boolean isNamePart(char c) {
        return c == '_' || (c < 128 && Character.isLetterOrDigit(c));
    }

    /**
     * @param params values by name
     * @return the value of each placeholder, in order
     * @throws IllegalArgumentException naming the first parameter without a value
     */
    Object[] bind(Map<String, ?> params) {
        Object[] values = new Object[names.size()];
        for (int k = 0; k < values.length; k++) {
            String name = names.get(k);
            if (params == null || !params.containsKey(name)) {
                throw new IllegalArgumentException("parameter :" + name + " has no value (the statement names it, the"
                        + " params map does not)");
            }
            values[k] = params.get(name);
        }
        return values;
    }
}
