package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConfigValues;
import io.aetherflow.api.support.ConnectorDriver;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code db:oracledb}: {@code config.user}, {@code config.password}, {@code config.dsn} (required; an
 * Easy Connect string {@code host[:port]/service}, a TNS descriptor {@code (DESCRIPTION=...)}, or a
 * {@code jdbc:oracle:} URL). Options as the reference: {@code pool.enabled} ({@code pool_enabled},
 * default true), {@code pool.size} ({@code pool_size}, default 4, no overflow), {@code arraysize}
 * (default 5000: the default fetch size); {@code oracle.lib_dir}/{@code lib_dir} (thick client) is
 * accepted and ignored: the JDBC thin driver needs no client libraries. Needs the {@code ojdbc11}
 * driver wrapped as a bundle (see docs/connectors-db.md).
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "db", driver = "oracledb")
public final class OracleConnectorFactory extends DbConnectorFactory {

    @Override
    Connector create(ConnectorConfig config, ConfigValues c, ConfigValues o) throws ConnectorException {
        String user = c.string("user");
        String password = c.string("password");
        String dsn = c.string("dsn");
        if (user == null || password == null || dsn == null) {
            throw requires("db:oracledb", config, "config.user, config.password and config.dsn");
        }
        JdbcTarget target = new JdbcTarget(url(dsn.trim()), Dialect.ORACLE, user, password, Map.of())
                .with(c.stringMap("properties"));
        PoolSettings pool = o.bool(true, "pool.enabled", "pool_enabled")
                ? PoolSettings.from(o, 4, 0, o.duration(10, "connect_timeout")) : null;
        int fetch = (int) o.positiveInteger(5000, "arraysize");
        return JdbcConnectors.create(config, target, null, pool, fetch, List.of());
    }

    /**
     * @param dsn an Easy Connect string, a descriptor or a JDBC URL
     * @return the thin driver's URL
     */
    static String url(String dsn) {
        if (dsn.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return dsn;
        }
        if (dsn.startsWith("(") || dsn.startsWith("//")) {
            return "jdbc:oracle:thin:@" + dsn;
        }
        return "jdbc:oracle:thin:@//" + dsn;
    }
}
