/**
 * The database contract: what {@code db} resources give to steps such as {@code db_extract},
 * {@code db_fetch_small} and {@code db_extract_stream}. A connector bundle implements
 * {@link io.aetherflow.api.connector.db.DbConnector} and registers a
 * {@link io.aetherflow.api.connector.ConnectorFactory} with kind {@code db}; steps obtain it with
 * {@code ctx.connector(resource, DbConnector.class)} and never see the driver or JDBC.
 *
 * <p>Values cross the contract as plain Java objects, mapped from the column's {@link DbType}:
 * {@code INT} as {@link java.lang.Long} (or {@link java.math.BigInteger} beyond 64 bits),
 * {@code DECIMAL} as {@link java.math.BigDecimal}, {@code FLOAT} as {@link java.lang.Double},
 * {@code BOOL} as {@link java.lang.Boolean}, {@code DATE} as {@link java.time.LocalDate},
 * {@code DATETIME} as {@link java.time.LocalDateTime} (or {@link java.time.OffsetDateTime} when the
 * column carries a zone), {@code BYTES} as {@code byte[]}, {@code STRING} as {@link java.lang.String};
 * SQL {@code NULL} as {@code null}. {@link io.aetherflow.api.connector.db.DbRows#nextLazyText()} may return a
 * {@code STRING} value as a {@link io.aetherflow.api.connector.db.DbText} instead (decoded on first use). {@code UNKNOWN} columns carry whatever the driver returns,
 * converted to one of the types above when it is one of them.
 *
 * <p>Import ranges: steps and other consumers that only call the contract import this package with
 * {@code [1.0,2.0)} (or {@code [1.1,2.0)} when they call {@code nextLazyText}); connector bundles that implement {@code DbConnector} (it is a provider type)
 * import it with their minor range, e.g. {@code [1.1,1.2)}, which bnd derives automatically.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.aetherflow.api.connector.db;
