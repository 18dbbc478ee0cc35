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
 * {@code db:jdbc}: any JDBC driver bundle. {@code config.url} is a JDBC URL; {@code config.user},
 * {@code config.password}, {@code config.properties} (driver properties); {@code config.driver_class}
 * for drivers we do not know by their URL. Pooled only when {@code options.pool} is set.
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "db", driver = "jdbc")
public final class JdbcConnectorFactory extends DbConnectorFactory {

    @Override
    Connector create(ConnectorConfig config, ConfigValues c, ConfigValues o) throws ConnectorException {
        String url = c.string("url");
        if (url == null || !url.trim().regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw requires("db:jdbc", config, "config.url, a JDBC URL (jdbc:...)");
        }
        JdbcTarget target = JdbcTarget.fromUrl(url.trim());
        target = target.with(JdbcConnectors.connectTimeout(o, target.dialect()))
                .with(JdbcConnectors.properties(c, "properties"))
                .withCredentials(c.string("user", "username"), c.string("password"));
        PoolSettings pool = o.get("pool") != null || o.first("pool_size") != null
                ? PoolSettings.from(o, 5, 10, o.duration(10, "connect_timeout")) : null;
        Integer fetch = o.first("fetch_size") == null ? null : (int) o.positiveInteger(5000, "fetch_size");
        return JdbcConnectors.create(config, target, c.string("driver_class"), pool, fetch, List.of());
    }
}
