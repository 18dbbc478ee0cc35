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
 * {@code db:sqlalchemy} (pure aliases {@code db:postgres} and {@code db:mysql}, as in the reference):
 * {@code config.url} is a SQLAlchemy URL (or a {@code jdbc:} URL), translated to JDBC by
 * {@link JdbcTarget#fromUrl}; pooled with the reference's pool options (defaults size 5, overflow
 * 10, recycle 1800 s, pre-ping on; {@code pool.enabled: false} opens a connection per statement);
 * {@code options.connect_args} become driver properties. A {@code sqlite:} URL is served as
 * {@code db:sqlite3} would.
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "db", driver = "sqlalchemy", aliases = {"postgres", "mysql"})
public final class SqlAlchemyConnectorFactory extends DbConnectorFactory {

    @Override
    Connector create(ConnectorConfig config, ConfigValues c, ConfigValues o) throws ConnectorException {
        String url = c.string("url");
        if (url == null) {
            throw requires("db:" + config.driver(), config, "config.url");
        }
        JdbcTarget target;
        try {
            target = JdbcTarget.fromUrl(url.trim());
        } catch (JdbcTarget.BadUrl e) {
            throw new ConnectorException("config.url of resource " + config.name() + " (db:" + config.driver() + ") "
                    + e.getMessage());
        }
        if (target.dialect() == Dialect.SQLITE) {
            String path = target.url().substring("jdbc:sqlite:".length());
            return new SqliteConnectorFactory().create(new ConnectorConfig(config.name(), config.kind(),
                    config.driver(), Map.of("path", path), config.options()));
        }
        target = target.with(JdbcConnectors.connectTimeout(o, target.dialect()))
                .with(JdbcConnectors.properties(o, "connect_args"))
                .withCredentials(c.string("user", "username"), c.string("password"));
        PoolSettings pool = o.bool(true, "pool.enabled", "pool_enabled")
                ? PoolSettings.from(o, 5, 10, o.duration(10, "connect_timeout")) : null;
        return JdbcConnectors.create(config, target, c.string("driver_class"), pool, null, List.of());
    }
}
