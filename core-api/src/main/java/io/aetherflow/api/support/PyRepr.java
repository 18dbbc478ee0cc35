package io.aetherflow.api.support;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code str()} and {@code repr()} of YAML-shaped values, as the reference renders them where
 * users can see them: {@code True}, {@code False}, {@code None}, {@code ['a', 'b']},
 * {@code {'k': 'v'}}, Python float repr; database values as the reference's {@code str()} shows them
 * ({@code Decimal}, {@code date}, {@code datetime}, {@code time}, {@code bytes}).
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
        if (value instanceof BigDecimal d) {
            return d.toString();
        }
        StringBuilder sb = new StringBuilder(32);
        if (!temporalStr(sb, value)) {
            repr(sb, value);
        }
        return sb.toString();
    }

    /**
     * Python {@code str()} of a date or time: {@code 2024-01-02}, {@code 2024-01-02 03:04:05},
     * {@code 2024-01-02 03:04:05.123000}, {@code 2024-01-02 03:04:05+02:00}, {@code 03:04:05}.
     */
    private static boolean temporalStr(StringBuilder sb, Object v) {
        if (v instanceof LocalDate d) {
            date(sb, d);
        } else if (v instanceof LocalDateTime dt) {
            date(sb, dt.toLocalDate());
            time(sb.append(' '), dt.toLocalTime());
        } else if (v instanceof OffsetDateTime odt) {
            date(sb, odt.toLocalDate());
            time(sb.append(' '), odt.toLocalTime());
            offset(sb, odt.getOffset().getTotalSeconds());
        } else if (v instanceof LocalTime t) {
            time(sb, t);
        } else {
            return false;
        }
        return true;
    }

    private static void date(StringBuilder sb, LocalDate d) {
        pad(sb, d.getYear(), 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        pad(sb, d.getDayOfMonth(), 2);
    }

    private static void time(StringBuilder sb, LocalTime t) {
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            pad(sb.append('.'), micros, 6);
        }
    }

    private static void offset(StringBuilder sb, int seconds) {
        sb.append(seconds < 0 ? '-' : '+');
        int a = Math.abs(seconds);
        pad(sb, a / 3600, 2).append(':');
        pad(sb, a / 60 % 60, 2);
        if (a % 60 != 0) {
            pad(sb.append(':'), a % 60, 2);
        }
    }

    private static StringBuilder pad(StringBuilder sb, int n, int width) {
        String t = Integer.toString(n);
        for (int i = t.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(t);
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
        } else if (v instanceof BigDecimal d) {
            sb.append("Decimal('").append(d).append("')");
        } else if (v instanceof byte[] bytes) {
            bytes(sb, bytes);
        } else if (v instanceof LocalDate d) {
            sb.append("datetime.date(").append(d.getYear()).append(", ").append(d.getMonthValue()).append(", ")
                    .append(d.getDayOfMonth()).append(')');
        } else if (v instanceof LocalDateTime dt) {
            dateTimeRepr(sb, dt);
            sb.append(')');
        } else if (v instanceof OffsetDateTime odt) {
            dateTimeRepr(sb, odt.toLocalDateTime());
            int off = odt.getOffset().getTotalSeconds();
            if (off == 0) {
                sb.append(", tzinfo=datetime.timezone.utc");
            } else {
                // timedelta normalises negative offsets to days=-1 plus positive seconds
                sb.append(", tzinfo=datetime.timezone(datetime.timedelta(")
                        .append(off < 0 ? "days=-1, seconds=" + (86400 + off) : "seconds=" + off).append("))");
            }
            sb.append(')');
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

    /** {@code datetime.datetime(y, m, d, H, M[, S[, us]]} without the closing parenthesis. */
    private static void dateTimeRepr(StringBuilder sb, LocalDateTime dt) {
        sb.append("datetime.datetime(").append(dt.getYear()).append(", ").append(dt.getMonthValue()).append(", ")
                .append(dt.getDayOfMonth()).append(", ").append(dt.getHour()).append(", ").append(dt.getMinute());
        int micros = dt.getNano() / 1000;
        if (dt.getSecond() != 0 || micros != 0) {
            sb.append(", ").append(dt.getSecond());
        }
        if (micros != 0) {
            sb.append(", ").append(micros);
        }
    }

    /** Python {@code repr(bytes)}: {@code b'a\x00'}. */
    private static void bytes(StringBuilder sb, byte[] bytes) {
        boolean single = false;
        boolean dbl = false;
        for (byte b : bytes) {
            single |= b == '\'';
            dbl |= b == '"';
        }
        char q = single && !dbl ? '"' : '\'';
        sb.append('b').append(q);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (escaped(sb, c, q)) {
                continue;
            }
            if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        sb.append(q);
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
            if (escaped(sb, cp, q)) {
                continue;
            }
            if (printable(cp)) {
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

    /**
     * Appends the escapes that Python's string and bytes reprs share: a backslash before the quote
     * character and the backslash, {@code \t}, {@code \n} and {@code \r}.
     *
     * @return false (nothing appended) for any other character
     */
    private static boolean escaped(StringBuilder sb, int c, char q) {
        switch (c) {
            case '\t' -> sb.append("\\t");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            default -> {
                if (c != q && c != '\\') {
                    return false;
                }
                sb.append('\\').appendCodePoint(c);
            }
        }
        return true;
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
        double abs = Math.abs(d);
        if (abs >= 1e-3 && abs < 1e7) {
            // Java prints this range in plain notation with the same digits and form as Python
            return Double.toString(d);
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
