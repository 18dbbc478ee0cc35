package io.aetherflow.api.connector.db;

import java.util.Objects;

/**
 * One result column.
 *
 * @param name the column label as the database reports it ({@code col_<n>} when it reports none)
 * @param type the mapped type
 * @param databaseType the database's own type name (e.g. {@code NUMERIC}, {@code varchar}), or the
 *        empty string when it reports none
 */
public record DbColumn(String name, DbType type, String databaseType) {

    /** Canonical constructor: checks the fields. */
    public DbColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        databaseType = databaseType == null ? "" : databaseType;
    }
}
