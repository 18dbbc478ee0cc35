package io.aetherflow.connectors.jdbc;

import java.util.Locale;

/** What the connector adapts per database product. */
enum Dialect {
    /** SQLite: no informative metadata (types always inferred from values), dates bound as text. */
    SQLITE("sqlite", "org.sqlite.JDBC"),
    /** PostgreSQL: cursor fetch only with autocommit off. */
    POSTGRESQL("postgresql", "org.postgresql.Driver"),
    /** MySQL Connector/J: cursor fetch with {@code useCursorFetch=true}. */
    MYSQL("mysql", "com.mysql.cj.jdbc.Driver"),
    /** MariaDB Connector/J: streams with a fetch size. */
    MARIADB("mariadb", "org.mariadb.jdbc.Driver"),
    /** DuckDB (embedded, optional bundle). */
    DUCKDB("duckdb", "org.duckdb.DuckDBDriver"),
    /** Oracle (ojdbc11, wrapped). */
    ORACLE("oracle", "oracle.jdbc.OracleDriver"),
    /** Exasol (exasol-jdbc, wrapped). */
    EXASOL("exasol", "com.exasol.jdbc.EXADriver"),
    /** H2 (tests, and Oracle mode for Oracle's SQL paths). */
    H2("h2", "org.h2.Driver"),
    /** Any other JDBC driver ({@code db:jdbc} with {@code config.driver_class}). */
    OTHER("jdbc", null);

    private final String id;
    private final String driverClass;

    Dialect(String id, String driverClass) {
        this.id = id;
        this.driverClass = driverClass;
    }

    /** @return the lower-case product name {@link io.aetherflow.api.connector.db.DbConnector#dialect()} reports */
    String id() {
        return id;
    }

    /** @return the driver's {@link java.sql.Driver} class, or null for {@link #OTHER} */
    String driverClass() {
        return driverClass;
    }

    /** @return true when result metadata carries no usable types (types come from sampled values) */
    boolean typesFromValues() {
        return this == SQLITE;
    }

    /** @return true when a streaming query must run inside a transaction (autocommit off) */
    boolean cursorNeedsTransaction() {
        return this == POSTGRESQL || this == DUCKDB || this == H2 || this == ORACLE || this == OTHER;
    }

    /**
     * @param jdbcUrl a JDBC URL
     * @return the dialect its subprotocol names; {@link #OTHER} when none of ours
     */
    static Dialect ofUrl(String jdbcUrl) {
        String u = jdbcUrl.toLowerCase(Locale.ROOT);
        for (Dialect d : values()) {
            if (d != OTHER && u.startsWith(d.urlPrefix())) {
                return d;
            }
        }
        return OTHER;
    }

    /** @return the start of this product's JDBC URLs, e.g. {@code jdbc:sqlite:} */
    String urlPrefix() {
        return this == EXASOL ? "jdbc:exa:" : "jdbc:" + id + ":";
    }
}
