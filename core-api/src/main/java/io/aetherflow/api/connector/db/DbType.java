package io.aetherflow.api.connector.db;

import java.util.Locale;

/**
 * The type of a result column, as the reference maps database metadata (catalog §9.1.4): a numeric
 * type with scale 0 is {@link #INT}, with another scale {@link #DECIMAL}; names containing
 * {@code bool} are {@link #BOOL}; {@code timestamp}/{@code datetime} {@link #DATETIME}; {@code date}
 * {@link #DATE}; integer variants {@link #INT}; {@code decimal}/{@code number}/{@code numeric}
 * {@link #DECIMAL}; {@code float}/{@code double}/{@code real} {@link #FLOAT}; {@code binary}/
 * {@code blob}/{@code bytea} {@link #BYTES}; {@code char}/{@code text}/{@code string} {@link #STRING};
 * anything else {@link #UNKNOWN}.
 */
public enum DbType {
    /** Whole numbers. */
    INT("int"),
    /** Exact decimals. */
    DECIMAL("decimal"),
    /** Binary floating point. */
    FLOAT("float"),
    /** Booleans. */
    BOOL("bool"),
    /** Calendar dates. */
    DATE("date"),
    /** Date and time of day. */
    DATETIME("datetime"),
    /** Binary data. */
    BYTES("bytes"),
    /** Text. */
    STRING("str"),
    /** Not known from the metadata (and not inferred). */
    UNKNOWN("object");

    private final String pythonName;

    DbType(String pythonName) {
        this.pythonName = pythonName;
    }

    /** @return the Python type name the reference reports for this type ({@code int}, {@code str}, ...) */
    public String pythonName() {
        return pythonName;
    }

    /**
     * Maps a database type name as the reference does.
     *
     * @param typeName the database's type name, e.g. {@code NUMERIC}, {@code varchar(20)}; may be null
     * @param scale the column's scale, or -1 when unknown; numeric types with scale 0 are {@link #INT}
     * @return the mapped type; {@link #UNKNOWN} for null, empty or unrecognised names
     */
    public static DbType fromTypeName(String typeName, int scale) {
        if (typeName == null || typeName.isBlank()) {
            return UNKNOWN;
        }
        String t = typeName.toLowerCase(Locale.ROOT);
        boolean numeric = t.contains("decimal") || t.contains("number") || t.contains("numeric");
        if (numeric && scale == 0) {
            return INT;
        }
        if (t.contains("bool")) {
            return BOOL;
        }
        if (t.contains("timestamp") || t.contains("datetime")) {
            return DATETIME;
        }
        if (t.contains("date")) {
            return DATE;
        }
        if (t.contains("int")) {
            return INT;
        }
        if (numeric) {
            return DECIMAL;
        }
        if (t.contains("float") || t.contains("double") || t.contains("real")) {
            return FLOAT;
        }
        if (t.contains("binary") || t.contains("blob") || t.contains("bytea")) {
            return BYTES;
        }
        if (t.contains("char") || t.contains("text") || t.contains("string") || t.contains("clob")) {
            return STRING;
        }
        return UNKNOWN;
    }
}
