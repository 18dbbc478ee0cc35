package io.aetherflow.steps.excel;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Type casting of row values before they are written (catalog §9.5.6): {@code none}, {@code basic}
 * (per value) and {@code schema} (per column name, dtypes {@code string int float bool date
 * datetime}). A value that does not parse keeps its text: casting never fails a row.
 */
final class Casting {

    /** The accepted {@code type_cast} values. */
    static final Set<String> MODES = Set.of("none", "basic", "schema");

    private static final java.util.regex.Pattern FLOAT =
            java.util.regex.Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?");
    private static final Set<String> TRUE = Set.of("1", "true", "t", "yes", "y");
    private static final Set<String> FALSE = Set.of("0", "false", "f", "no", "n");

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd().optionalEnd().optionalEnd().toFormatter(Locale.ROOT);

    private Casting() {
    }

    /**
     * Casts one row.
     *
     * @param row the values as read (strings, or native values from step outputs)
     * @param columns column names for {@code schema}, may be null
     * @param mode {@code none}, {@code basic} or {@code schema}
     * @param schema column name to dtype
     * @return the cast row (the same list for {@code none})
     */
    static List<Object> row(List<?> row, List<String> columns, String mode, Map<String, String> schema) {
        return plan(columns, mode, schema).row(row);
    }

    /**
     * The casting of one file's rows, resolved once: each column's dtype looked up (and lower-cased)
     * a single time instead of per value.
     *
     * @param columns the column names (may be null)
     * @param mode {@code none}, {@code basic} or {@code schema}
     * @param schema column name to dtype
     * @return the plan; {@link Plan#row} gives what {@link #row(List, List, String, Map)} gives
     */
    static Plan plan(List<String> columns, String mode, Map<String, String> schema) {
        if ("none".equals(mode) || !"basic".equals(mode)
                && (schema == null || schema.isEmpty() || columns == null || columns.isEmpty())) {
            return new Plan(null, false);
        }
        if ("basic".equals(mode)) {
            return new Plan(null, true);
        }
        String[] dtypes = new String[columns.size()];
        for (int i = 0; i < dtypes.length; i++) {
            String d = schema.getOrDefault(columns.get(i), "string");
            dtypes[i] = d == null ? "string" : d.toLowerCase(Locale.ROOT);
        }
        return new Plan(dtypes, false);
    }

    /** See {@link #plan}. */
    static final class Plan {
        private final String[] dtypes;
        private final boolean basic;

        private Plan(String[] dtypes, boolean basic) {
            this.dtypes = dtypes;
            this.basic = basic;
        }

        /** @return the row cast (the same list when nothing is cast) */
        @SuppressWarnings("unchecked")
        List<Object> row(List<?> row) {
            if (!basic && dtypes == null) {
                return (List<Object>) row;
            }
            List<Object> out = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                out.add(basic ? basic(row.get(i)) : value(row.get(i), i < dtypes.length ? dtypes[i] : "string"));
            }
            return out;
        }
    }

    private static boolean isNative(Object v) {
        return v instanceof Number || v instanceof Boolean || v instanceof Temporal || v instanceof java.util.Date;
    }

    /**
     * Casts one value to a dtype; text that does not parse stays text.
     *
     * @param v the value
     * @param dtype {@code string int float bool date datetime}; anything else keeps the text
     * @return the cast value
     */
    static Object value(Object v, String dtype) {
        if (v == null) {
            return null;
        }
        if (isNative(v)) {
            return v;
        }
        String s = v.toString();
        if (s.isEmpty()) {
            return null;
        }
        switch (dtype == null ? "string" : dtype.toLowerCase(Locale.ROOT)) {
            case "int": {
                Object n = parseInt(s);
                return n == null ? s : n;
            }
            case "float": {
                Double d = parseFloat(s);
                return d == null ? s : d;
            }
            case "bool": {
                String sl = s.strip().toLowerCase(Locale.ROOT);
                if (TRUE.contains(sl)) {
                    return Boolean.TRUE;
                }
                return FALSE.contains(sl) ? Boolean.FALSE : s;
            }
            case "date": {
                LocalDate d = parseDate(s);
                return d == null ? s : d;
            }
            case "datetime": {
                LocalDateTime d = parseDateTime(s.endsWith("Z") ? s.substring(0, s.length() - 1) : s);
                return d == null ? s : d;
            }
            default:
                return s;
        }
    }

    /** The {@code basic} rules for one value. */
    static Object basic(Object v) {
        String s = v == null ? "" : v.toString();
        if (s.isEmpty()) {
            return null;
        }
        if (isNative(v)) {
            return v;
        }
        String sl = s.strip().toLowerCase(Locale.ROOT);
        if (sl.equals("true") || sl.equals("false") || sl.equals("1") || sl.equals("0")) {
            return value(s, "bool");
        }
        if (allDigits(s) && (s.equals("0") || !s.startsWith("0"))) {
            return value(s, "int");
        }
        if (s.contains(".") || sl.contains("e")) {
            Double d = parseFloat(s);
            if (d != null) {
                return d;
            }
        }
        LocalDateTime dt = parseDateTime(s);
        if (dt != null) {
            return dt;
        }
        LocalDate d = parseDate(s);
        return d != null ? d : s;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Python {@code int(s)}: optional sign, digits with single underscores, surrounding blanks. */
    static Object parseInt(String raw) {
        String s = raw.strip();
        int n = s.length();
        int i = n > 0 && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (i == n) {
            return null;
        }
        boolean underscore = false;
        boolean prevDigit = false;
        for (int k = i; k < n; k++) {
            char c = s.charAt(k);
            if (c >= '0' && c <= '9' || Character.isDigit(c)) {
                prevDigit = true;
            } else if (c == '_' && prevDigit && k + 1 < n) {
                underscore = true;
                prevDigit = false;
            } else {
                return null;
            }
        }
        if (!prevDigit) {
            return null;
        }
        String digits = underscore ? s.replace("_", "") : s;
        if (digits.length() - i <= 18) {
            return Long.parseLong(digits);
        }
        BigInteger b = new BigInteger(digits);
        return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
    }

    /** Python {@code float(s)}: decimal and exponent forms, {@code inf}/{@code nan}; no Java suffixes or hex. */
    static Double parseFloat(String raw) {
        String s = raw.strip().replace("_", "");
        String l = s.toLowerCase(Locale.ROOT);
        String body = l.startsWith("+") || l.startsWith("-") ? l.substring(1) : l;
        if (body.equals("inf") || body.equals("infinity")) {
            return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (body.equals("nan")) {
            return Double.NaN;
        }
        if (!FLOAT.matcher(body).matches()) {
            return null;
        }
        return Double.parseDouble(s);
    }

    /** Python {@code date.fromisoformat}: {@code YYYY-MM-DD} or {@code YYYYMMDD}. */
    static LocalDate parseDate(String s) {
        int n = s.length();
        boolean dashed = n == 10 && s.charAt(4) == '-' && s.charAt(7) == '-';
        if (!dashed && n != 8) {
            return null;
        }
        int y = digits(s, 0, 4);
        int m = digits(s, dashed ? 5 : 4, 2);
        int d = digits(s, dashed ? 8 : 6, 2);
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31) {
            return null;
        }
        try {
            return LocalDate.of(y, m, d);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** @return the value of {@code len} ASCII digits at {@code from}, or -1 */
    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * Python {@code datetime.fromisoformat}: a date alone (midnight), or a date, any one separator
     * character and a time ({@code HH[:MM[:SS[.f]]]}), optionally with a UTC offset (dropped: cells
     * hold local date-times).
     */
    static LocalDateTime parseDateTime(String s) {
        LocalDate dateOnly = parseDate(s);
        if (dateOnly != null) {
            return dateOnly.atStartOfDay();
        }
        if (s.length() < 12) {
            return null;
        }
        LocalDate d = parseDate(s.substring(0, 10));
        if (d == null) {
            return null;
        }
        String rest = s.substring(11);
        try {
            OffsetDateTime odt = OffsetDateTime.parse(s.substring(0, 10) + "T" + rest);
            return odt.toLocalDateTime();
        } catch (DateTimeParseException e) {
            // no offset: a local time
        }
        try {
            return LocalDateTime.of(d, LocalTime.parse(rest, TIME));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
