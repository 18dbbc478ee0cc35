package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.db.DbType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/** Maps JDBC metadata to {@link DbType} and driver values to the Java types of the contract. */
final class DbTypes {

    private DbTypes() {
    }

    /**
     * Maps a column's metadata: {@link java.sql.Types} first, the type name (as the reference does)
     * for {@code OTHER} and other vendor codes.
     *
     * @param sqlType the {@link java.sql.Types} code
     * @param typeName the database's type name, may be null
     * @param precision the column's precision (0 = unknown)
     * @param scale the column's scale
     * @return the type; {@link DbType#UNKNOWN} when the metadata says nothing usable
     */
    static DbType fromMetadata(int sqlType, String typeName, int precision, int scale) {
        switch (sqlType) {
            case Types.BOOLEAN:
                return DbType.BOOL;
            case Types.BIT:
                return precision > 1 ? DbType.BYTES : DbType.BOOL;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT:
                return DbType.INT;
            case Types.NUMERIC, Types.DECIMAL:
                // precision 0 = unconstrained (PostgreSQL numeric, Oracle NUMBER): fractions possible
                return precision > 0 && scale == 0 ? DbType.INT : DbType.DECIMAL;
            case Types.FLOAT, Types.REAL, Types.DOUBLE:
                return DbType.FLOAT;
            case Types.DATE:
                return DbType.DATE;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE:
                return DbType.DATETIME;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
                return DbType.BYTES;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB, Types.NCLOB:
                return DbType.STRING;
            case Types.TIME, Types.TIME_WITH_TIMEZONE:
                return DbType.UNKNOWN;
            default:
                return DbType.fromTypeName(typeName, scale == 0 && precision > 0 ? 0 : -1);
        }
    }

    /**
     * @param v a converted value
     * @return the type the reference infers from a sampled value; null for null
     */
    static DbType ofValue(Object v) {
        if (v == null) {
            return null;
        }
        DbType t = VALUE_TYPES.get(v.getClass());
        return t != null ? t : v instanceof BigInteger ? DbType.INT : v instanceof BigDecimal ? DbType.DECIMAL : DbType.UNKNOWN;
    }

    /** The contract's value classes, looked up by exact class (subclasses of the two non-final ones are checked after). */
    private static final java.util.Map<Class<?>, DbType> VALUE_TYPES = java.util.Map.ofEntries(
            java.util.Map.entry(Boolean.class, DbType.BOOL), java.util.Map.entry(Long.class, DbType.INT),
            java.util.Map.entry(BigInteger.class, DbType.INT), java.util.Map.entry(Double.class, DbType.FLOAT),
            java.util.Map.entry(BigDecimal.class, DbType.DECIMAL), java.util.Map.entry(LocalDateTime.class, DbType.DATETIME),
            java.util.Map.entry(OffsetDateTime.class, DbType.DATETIME), java.util.Map.entry(LocalDate.class, DbType.DATE),
            java.util.Map.entry(byte[].class, DbType.BYTES), java.util.Map.entry(String.class, DbType.STRING));

    /**
     * Converts what a driver returned to the contract's Java types (see the package description of
     * {@code io.aetherflow.api.connector.db}); values of other types pass unchanged.
     *
     * @param v the driver's value
     * @param type the column's type
     * @return the converted value
     * @throws SQLException when a LOB cannot be read
     */
    static Object convert(Object v, DbType type) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return type == DbType.BOOL ? ((Number) v).intValue() != 0 : (Object) ((Number) v).longValue();
        }
        if (v instanceof Long l) {
            return type == DbType.BOOL ? (Object) (l != 0) : l;
        }
        if (v instanceof Float f) {
            return type == DbType.DECIMAL ? new BigDecimal(f.toString()) : (Object) f.doubleValue();
        }
        if (v instanceof Double d) {
            return type == DbType.DECIMAL && !d.isNaN() && !d.isInfinite() ? BigDecimal.valueOf(d) : d;
        }
        if (v instanceof BigDecimal b) {
            return type == DbType.INT ? integral(b) : type == DbType.FLOAT ? (Object) b.doubleValue() : b;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof java.sql.Date d) {
            return type == DbType.DATETIME ? d.toLocalDate().atStartOfDay() : d.toLocalDate();
        }
        if (v instanceof java.sql.Time t) {
            return t.toLocalTime();
        }
        if (v instanceof ZonedDateTime z) {
            return z.toOffsetDateTime();
        }
        if (v instanceof LocalDate d && type == DbType.DATETIME) {
            return d.atStartOfDay();
        }
        if (v instanceof Blob b) {
            try {
                return b.getBytes(1, Math.toIntExact(b.length()));
            } finally {
                b.free();
            }
        }
        if (v instanceof Clob c) {
            try {
                return c.getSubString(1, Math.toIntExact(c.length()));
            } finally {
                c.free();
            }
        }
        if (v instanceof String s && type == DbType.BOOL && s.length() == 1) {
            return s.equals("1") || s.equalsIgnoreCase("t") || s.equalsIgnoreCase("y");
        }
        return v;
    }

    private static Object integral(BigDecimal b) {
        if (b.signum() != 0 && b.stripTrailingZeros().scale() > 0) {
            return b; // a fraction in a column said to be integral: keep it exact
        }
        BigInteger i = b.toBigInteger();
        return i.bitLength() < 64 ? (Object) i.longValue() : i;
    }
}
