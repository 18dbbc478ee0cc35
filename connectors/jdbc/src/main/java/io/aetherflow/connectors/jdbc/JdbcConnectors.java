package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.support.ConfigValues;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Builds a {@link JdbcDbConnector} for a JDBC target: driver lookup, driver properties, pool. */
final class JdbcConnectors {

    private JdbcConnectors() {
    }

    /**
     * @param config the resource
     * @param target where to connect
     * @param driverClass the driver class (null: the dialect's)
     * @param pool the pool, or null for a new connection per statement
     * @param fetchSize a default fetch size ({@code arraysize}), or null
     * @param initSql statements run on every new connection (schema), may be empty
     * @return the connector (nothing connected yet)
     */
    static JdbcDbConnector create(ConnectorConfig config, JdbcTarget target, String driverClass, PoolSettings pool,
            Integer fetchSize, List<String> initSql) {
        return create(config, target, driverClass, pool, fetchSize, initSql, false);
    }

    /**
     * @param bestEffortInit true: failing set-up statements are skipped (DuckDB extensions, pragmas)
     * @return the connector (nothing connected yet); see the other {@code create}
     */
    static JdbcDbConnector create(ConnectorConfig config, JdbcTarget target, String driverClass, PoolSettings pool,
            Integer fetchSize, List<String> initSql, boolean bestEffortInit) {
        Errors errors = new Errors(config.name(), config.driver(), target.password());
        String cls = driverClass != null ? driverClass : target.dialect().driverClass();
        if (cls == null) {
            throw errors.error("config.driver_class is required for the JDBC URL " + target.url()
                    + " (no built-in driver for it)");
        }
        JdbcTarget t = target.with(streamingDefaults(target));
        JdbcDbConnector.SourceFactory factory = () -> {
            DataSource ds = new DriverDataSource(DriverLocator.driver(cls), t);
            if (!initSql.isEmpty()) {
                ds = new InitDataSource(ds, initSql, bestEffortInit);
            }
            if (t.dialect() == Dialect.DUCKDB) {
                return DuckDbConnectorFactory.shared(ds);
            }
            if (pool == null) {
                return new ConnectionSource(ds, null);
            }
            var hikari = pool.open(config.name(), ds);
            return new ConnectionSource(hikari, hikari);
        };
        return new JdbcDbConnector(config, target.dialect(), errors, target.url(), factory, fetchSize);
    }

    /** @return driver properties that make a fetch size stream rather than load the whole result */
    private static Map<String, String> streamingDefaults(JdbcTarget target) {
        Map<String, String> p = new LinkedHashMap<>();
        if (target.dialect() == Dialect.MYSQL && !target.properties().containsKey("useCursorFetch")) {
            p.put("useCursorFetch", "true");
        }
        return p;
    }

    /**
     * The connect timeout ({@code options.connect_timeout}, seconds, default 10) as driver properties.
     *
     * @param options the resource's options
     * @param dialect the product
     * @return the properties for the driver
     */
    static Map<String, String> connectTimeout(ConfigValues options, Dialect dialect) {
        Duration d = options.duration(10, "connect_timeout");
        long s = Math.max(1, d.toSeconds());
        return switch (dialect) {
            case POSTGRESQL -> Map.of("connectTimeout", Long.toString(s), "loginTimeout", Long.toString(s));
            case MARIADB, MYSQL -> Map.of("connectTimeout", Long.toString(d.toMillis()));
            default -> Map.of();
        };
    }

    /**
     * @param c a config value: a mapping of names to values
     * @param key the key ({@code connect_args}, {@code properties})
     * @return its entries as driver properties
     */
    static Map<String, String> properties(ConfigValues c, String key) {
        return c.stringMap(key);
    }
}
