package io.aetherflow.steps.db;

import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbType;
import io.aetherflow.api.support.PyRepr;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How database values become text, JSON values and dtypes, as the reference renders them. */
final class Values {

    private Values() {
    }

    /**
     * A value as the reference writes it into tsv/csv: null as the empty string, anything else as
     * Python's {@code str()}.
     *
     * @param v a value from a {@link io.aetherflow.api.connector.db.DbRows} row
     * @return the text
     */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long || v instanceof Integer) {
            return v.toString();
        }
        if (v instanceof Double d) {
            return floatText(d);
        }
        return PyRepr.str(v);
    }

    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /**
     * Python's {@code repr(float)} ({@link PyRepr#floatRepr(double)}), with a fast path for values
     * that have at most 8 decimals and are below 1e7: the fewest decimals that read back as the same
     * double are the shortest representation Python prints (the round-trip interval is narrower
     * than one unit of the 8th decimal there, so exactly one candidate exists per number of decimals).
     *
     * @param d a value
     * @return its text
     */
    static String floatText(double d) {
        double a = Math.abs(d);
        if (a >= 1e-3 && a < 1e7) {
            for (int k = 0; k < POW10.length; k++) {
                long m = Math.round(a * POW10[k]);
                if ((double) m / POW10[k] == a) {
                    return fixed(d < 0, m, k);
                }
            }
        }
        return PyRepr.floatRepr(d);
    }

    /** {@code m / 10^decimals} with exactly that many decimals (at least one), into one char array. */
    private static String fixed(boolean negative, long m, int decimals) {
        char[] c = new char[24];
        int p = c.length;
        long whole = m / POW10[decimals];
        long frac = m % POW10[decimals];
        if (decimals == 0) {
            c[--p] = '0';
        }
        for (int k = 0; k < decimals; k++) {
            c[--p] = (char) ('0' + frac % 10);
            frac /= 10;
        }
        c[--p] = '.';
        do {
            c[--p] = (char) ('0' + whole % 10);
            whole /= 10;
        } while (whole > 0);
        if (negative) {
            c[--p] = '-';
        }
        return new String(c, p, c.length - p);
    }

    /**
     * A value as the reference's {@code _json_safe}: decimals as floats, dates and times as ISO text;
     * binary data (which JSON cannot carry) as its Python {@code repr} text.
     *
     * @param v a value
     * @return a value {@link io.aetherflow.api.support.Json} writes as the reference's json.dumps
     */
    static Object jsonSafe(Object v) {
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        return jsonExact(v);
    }

    /**
     * As {@link #jsonSafe(Object)} but decimals keep their exact digits (JSON numbers).
     *
     * @param v a value
     * @return the JSON-ready value
     */
    static Object jsonExact(Object v) {
        if (v instanceof LocalDate || v instanceof LocalTime) {
            return PyRepr.str(v);
        }
        if (v instanceof LocalDateTime || v instanceof OffsetDateTime) {
            return PyRepr.str(v).replace(' ', 'T');
        }
        if (v instanceof byte[]) {
            return PyRepr.str(v);
        }
        return v;
    }

    /**
     * The reference's dtype of a column type ({@code _pytype_to_dtype}).
     *
     * @param t the column's type
     * @return {@code bool}, {@code int}, {@code float} (also for decimals), {@code date},
     *         {@code datetime} or {@code string}
     */
    static String dtype(DbType t) {
        return switch (t) {
            case BOOL -> "bool";
            case INT -> "int";
            case FLOAT, DECIMAL -> "float";
            case DATE -> "date";
            case DATETIME -> "datetime";
            default -> "string";
        };
    }

    /**
     * The dtypes of a result, column name to dtype.
     *
     * @param columns the columns
     * @return the map in column order
     */
    static Map<String, Object> dtypes(List<DbColumn> columns) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (DbColumn c : columns) {
            m.put(c.name(), dtype(c.type()));
        }
        return m;
    }

    /** @return the names of the columns that are decimals (their dtype {@code float} loses precision) */
    static List<String> decimals(List<DbColumn> columns) {
        return columns.stream().filter(c -> c.type() == DbType.DECIMAL).map(DbColumn::name).toList();
    }
}
