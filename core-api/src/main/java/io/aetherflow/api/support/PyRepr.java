package io.aetherflow.api.support;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code str()} and {@code repr()} of YAML-shaped values, as the reference renders them where
 * users can see them: {@code True}, {@code False}, {@code None}, {@code ['a', 'b']},
 * {@code {'k': 'v'}}, Python float repr.
 */
public final class PyRepr {

    private PyRepr() {
    }

    /**
     * Python {@code str(value)}.
     *
     * @param value any value (null is {@code None})
     * @return the text
     */
    public static String str(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        StringBuilder sb = new StringBuilder(32);
        repr(sb, value);
        return sb.toString();
    }

    /**
     * Python {@code repr(value)}.
     *
     * @param value any value
     * @return the text
     */
    public static String repr(Object value) {
        StringBuilder sb = new StringBuilder(32);
        repr(sb, value);
        return sb.toString();
    }

    private static void repr(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("None");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Character c) {
            quote(sb, c.toString());
        } else if (v instanceof Boolean b) {
            sb.append(b ? "True" : "False");
        } else if (v instanceof Double d) {
            sb.append(floatRepr(d));
        } else if (v instanceof Float f) {
            sb.append(floatRepr(f.doubleValue()));
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                repr(sb, e.getKey());
                sb.append(": ");
                repr(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Set<?> set) {
            if (set.isEmpty()) {
                sb.append("set()");
            } else {
                sb.append('{');
                items(sb, set.iterator());
                sb.append('}');
            }
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            items(sb, c.iterator());
            sb.append(']');
        } else if (v instanceof Object[] arr) {
            sb.append('[');
            items(sb, List.of(arr).iterator());
            sb.append(']');
        } else {
            sb.append(v);
        }
    }

    private static void items(StringBuilder sb, Iterator<?> it) {
        boolean first = true;
        while (it.hasNext()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            repr(sb, it.next());
        }
    }

    /** Python string repr: single quotes unless the text has a single quote and no double quote. */
    private static void quote(StringBuilder sb, String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == q || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (printable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp < 0x100) {
                sb.append(String.format("\\x%02x", cp));
            } else if (cp < 0x10000) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.append(String.format("\\U%08x", cp));
            }
        }
        sb.append(q);
    }

    /** Python's {@code str.isprintable()} per code point (space is printable). */
    private static boolean printable(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> {
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /**
     * Python's {@code repr(float)}: shortest round-trip digits, exponent form outside 1e-4..1e16.
     *
     * @param d the value
     * @return e.g. {@code 1.5}, {@code 3.0}, {@code 1e+16}, {@code 0.0001}, {@code 1e-05}, {@code inf}
     */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int decpt = digits.length() - bd.scale(); // value = 0.<digits> * 10^decpt
        StringBuilder sb = new StringBuilder(24);
        if (d < 0) {
            sb.append('-');
        }
        if (decpt > 16 || decpt < -3) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
        } else if (decpt <= 0) {
            sb.append("0.").append("0".repeat(-decpt)).append(digits);
        } else if (decpt >= digits.length()) {
            sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return sb.toString();
    }
}
