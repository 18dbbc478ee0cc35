package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConfigValues;
import io.aetherflow.api.support.ConnectorDriver;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * {@code db:exasol}: {@code config.dsn} ({@code host[:port]}, host ranges as Exasol writes them),
 * {@code config.user}, {@code config.password} (required), {@code config.schema} (optional: the
 * session's schema); {@code options.timeout} (seconds) becomes the driver's {@code querytimeout} and
 * {@code connecttimeout}. One connection, reused (the reference caches a raw connection). Needs
 * {@code exasol-jdbc} wrapped as a bundle (see docs/connectors-db.md).
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "db", driver = "exasol")
public final class ExasolConnectorFactory extends DbConnectorFactory {

    @Override
    Connector create(ConnectorConfig config, ConfigValues c, ConfigValues o) throws ConnectorException {
        String dsn = c.string("dsn");
        String user = c.string("user");
        String password = c.string("password");
        if (dsn == null || user == null || password == null) {
            throw requires("db:exasol", config, "config.dsn, config.user and config.password");
        }
        String url = url(dsn.trim(), c.string("schema"), o.first("timeout") == null ? null : (long) Math.ceil(o.seconds(1, "timeout")));
        JdbcTarget target = new JdbcTarget(url, Dialect.EXASOL, user, password, c.stringMap("properties"));
        PoolSettings pool = PoolSettings.from(o, 1, 0, o.duration(10, "connect_timeout"));
        return JdbcConnectors.create(config, target, null, pool, null, List.of());
    }

    /**
     * @param dsn {@code host[:port]}
     * @param schema the schema, or null
     * @param timeoutSeconds the timeout, or null
     * @return the Exasol JDBC URL ({@code jdbc:exa:host:port[;schema=S][;querytimeout=T;connecttimeout=ms]})
     */
    static String url(String dsn, String schema, Long timeoutSeconds) {
        StringBuilder b = new StringBuilder(dsn.regionMatches(true, 0, "jdbc:", 0, 5) ? dsn : "jdbc:exa:" + dsn);
        if (schema != null && !schema.isBlank()) {
            b.append(";schema=").append(schema.trim());
        }
        if (timeoutSeconds != null) {
            b.append(";querytimeout=").append(timeoutSeconds).append(";connecttimeout=").append(timeoutSeconds * 1000);
        }
        return b.toString();
    }
}
