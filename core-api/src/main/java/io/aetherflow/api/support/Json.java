package io.aetherflow.api.support;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader and one-line writers: the one JSON implementation of plugins and
 * engine alike. Objects become {@link LinkedHashMap}s (in document order), arrays
 * {@link ArrayList}s, integers {@link Long} (or {@link BigInteger} when larger), other numbers
 * {@link Double}. A duplicate key and nesting deeper than {@value #MAX_DEPTH} levels are errors.
 */
public final class Json {

    /** The deepest nesting of arrays and objects the reader accepts. */
    public static final int MAX_DEPTH = 1000;

    private final String s;
    private int i;
    private int depth;

    private Json(String s) {
        this.s = s;
    }

    /**
     * @param text JSON text
     * @return the value
     * @throws IllegalArgumentException with the offset of the first error, e.g.
     *         {@code expected ':' at offset 5}
     */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return v;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + i);
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\ufeff' && i == 0) {
                i++;
            } else {
                break;
            }
        }
    }

    private Object value() {
        if (i >= s.length()) {
            throw error("unexpected end of JSON");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{', '[':
                if (++depth > MAX_DEPTH) {
                    throw error("nesting deeper than " + MAX_DEPTH + " levels");
                }
                Object nested = c == '{' ? object() : array();
                depth--;
                return nested;
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || c >= '0' && c <= '9') {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error("invalid literal");
        }
        i += word.length();
        return v;
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (empty('}')) {
            return m;
        }
        do {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') {
                throw error("expected a string key");
            }
            int keyAt = i;
            String k = string();
            ws();
            expect(':');
            ws();
            if (m.containsKey(k)) {
                i = keyAt;
                throw error("duplicate key \"" + k + "\"");
            }
            m.put(k, value());
        } while (more('}'));
        return m;
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        if (empty(']')) {
            return l;
        }
        do {
            ws();
            l.add(value());
        } while (more(']'));
        return l;
    }

    /** Steps over an opening bracket; @return true when the container closes right away (then past it) */
    private boolean empty(char close) {
        i++;
        ws();
        if (i < s.length() && s.charAt(i) == close) {
            i++;
            return true;
        }
        return false;
    }

    /** After an element: @return true past a comma (another element follows), false past {@code close} */
    private boolean more(char close) {
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
            i++;
            return true;
        }
        expect(close);
        return false;
    }

    private void expect(char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw error("bad \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        int intStart = i;
        int intDigits = digits();
        if (intDigits == 0 || s.charAt(intStart) == '0' && intDigits > 1) {
            throw error("invalid number");
        }
        boolean integral = true;
        if (i < s.length() && s.charAt(i) == '.') {
            integral = false;
            i++;
            if (digits() == 0) {
                throw error("invalid number");
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            integral = false;
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (digits() == 0) {
                throw error("invalid number");
            }
        }
        String n = s.substring(start, i);
        if (integral) {
            BigInteger b = new BigInteger(n);
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        return Double.parseDouble(n);
    }

    /** Skips the digits at the position; @return how many there were */
    private int digits() {
        int from = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i - from;
    }

    /**
     * @param value maps, collections, arrays of objects, strings, numbers, booleans or null (anything
     *        else as its string)
     * @return one-line JSON without blanks: {@code {"a":[1,2]}}
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder(64);
        write(sb, value, ",", ":");
        return sb.toString();
    }

    /**
     * The engine's form for reports, events, persisted outputs and {@code --json} output.
     *
     * @param value as for {@link #write(Object)}
     * @return one-line JSON with Python {@code json.dumps}'s separators: {@code {"a": [1, 2]}}
     */
    public static String writeSpaced(Object value) {
        StringBuilder sb = new StringBuilder(64);
        write(sb, value, ", ", ": ");
        return sb.toString();
    }

    /**
     * @param value as for {@link #write(Object)}
     * @return JSON indented by two spaces per level, as Python's {@code json.dumps(v, indent=2)}
     */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        pretty(sb, value, 0);
        return sb.toString();
    }

    private static void pretty(StringBuilder sb, Object v, int level) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append("  ".repeat(level + 1));
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                pretty(sb, e.getValue(), level + 1);
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            sb.append("  ".repeat(level)).append('}');
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            sb.append("[\n");
            int i = 0;
            for (Object o : l) {
                sb.append("  ".repeat(level + 1));
                pretty(sb, o, level + 1);
                sb.append(++i < l.size() ? ",\n" : "\n");
            }
            sb.append("  ".repeat(level)).append(']');
        } else {
            write(sb, v, ",", ":");
        }
    }

    private static void write(StringBuilder sb, Object v, String comma, String colon) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String str) {
            quote(sb, str);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "null" : PyRepr.floatRepr(d));
        } else if (v instanceof Float f) {
            sb.append(f.isNaN() || f.isInfinite() ? "null" : PyRepr.floatRepr(f.doubleValue()));
        } else if (v instanceof BigDecimal bd) {
            sb.append(bd.toPlainString());
        } else if (v instanceof BigInteger bi) {
            sb.append(bi);
        } else if (v instanceof Number n) {
            sb.append(n.longValue());
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(comma);
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(colon);
                write(sb, e.getValue(), comma, colon);
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> || v instanceof Object[]) {
            sb.append('[');
            boolean first = true;
            for (Object o : v instanceof Object[] arr ? Arrays.asList(arr) : (Iterable<?>) v) {
                if (!first) {
                    sb.append(comma);
                }
                first = false;
                write(sb, o, comma, colon);
            }
            sb.append(']');
        } else {
            quote(sb, v.toString());
        }
    }

    /**
     * Appends a JSON string literal: quotes, backslashes and control characters escaped (short forms
     * where JSON has them), U+2028/U+2029 escaped, all other characters kept as they are.
     *
     * @param sb target
     * @param text the text
     */
    public static void quote(StringBuilder sb, String text) {
        quote(sb, text, true);
    }

    /**
     * Appends a JSON string literal as Python's {@code json.dumps(..., ensure_ascii=False)} writes it:
     * as {@link #quote(StringBuilder, String)}, but U+2028 and U+2029 are kept as they are (for
     * hashes that must match the reference's bit for bit).
     *
     * @param sb target
     * @param text the text
     */
    public static void quotePython(StringBuilder sb, String text) {
        quote(sb, text, false);
    }

    private static void quote(StringBuilder sb, String text, boolean lineSeparators) {
        sb.append('"');
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || lineSeparators && (c == 0x2028 || c == 0x2029)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
