package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConfigValues;
import io.aetherflow.api.support.ConnectorDriver;
import java.sql.Connection;
import java.util.UUID;
import org.osgi.service.component.annotations.Component;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * {@code db:sqlite3}: a SQLite file (or an in-memory database) through sqlite-jdbc's
 * {@link SQLiteDataSource}. {@code config.url} {@code sqlite:///<path>} (the prefix is stripped as
 * the reference does: {@code sqlite:///data.db} is relative, {@code sqlite:////abs/data.db} absolute)
 * or {@code config.path}; {@code :memory:} (or {@code sqlite:///:memory:}) is a database that lives as
 * long as the connector and is shared by its statements. Unlike the reference, {@code execute} works.
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "db", driver = "sqlite3")
public final class SqliteConnectorFactory extends DbConnectorFactory {

    /** The reference's text when neither {@code config.path} nor {@code config.url} says where. */
    static final String MISSING = "SQLite connector requires config.path or config.url";
    private static final String PREFIX = "sqlite:///";

    @Override
    Connector create(ConnectorConfig config, ConfigValues c, ConfigValues o) throws ConnectorException {
        String path = path(config);
        Errors errors = new Errors(config.name(), config.driver());
        int busyMillis = (int) o.duration(5, "busy_timeout").toMillis();
        boolean memory = path.equals(":memory:");
        return new JdbcDbConnector(config, Dialect.SQLITE, errors, memory ? "sqlite :memory:" : "sqlite " + path,
                () -> source(path, memory, busyMillis), null);
    }

    /**
     * @param config the resource
     * @return the database path, or {@code :memory:}
     * @throws ConnectorException the reference's message when neither key is set
     */
    static String path(ConnectorConfig config) {
        ConfigValues c = ConfigValues.of(config.name(), "config", config.config());
        String url = c.string("url");
        url = url == null ? "" : url.trim();
        if (url.startsWith(PREFIX)) {
            return url.substring(PREFIX.length());
        }
        String path = c.string("path");
        if (path != null) {
            return path;
        }
        if (url.equals(":memory:")) {
            return ":memory:";
        }
        throw new ConnectorException(MISSING + " (resource " + config.name() + ")");
    }

    /**
     * The connections' settings: the busy timeout, and SQLite's multi-thread mode (no database mutex
     * around every call). sqlite-jdbc already serialises each connection's native calls (every
     * {@code NativeDB} method is synchronized, and {@code sqlite3_interrupt} needs no mutex), so the
     * mutex only cost a lock and an unlock per value read: about a sixth of a large extract's fetch.
     */
    static SQLiteConfig config(int busyMillis) {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setBusyTimeout(busyMillis);
        cfg.setOpenMode(SQLiteOpenMode.NOMUTEX);
        return cfg;
    }

    private static ConnectionSource source(String path, boolean memory, int busyMillis) throws java.sql.SQLException {
        SQLiteDataSource ds = new SQLiteDataSource(config(busyMillis));
        if (!memory) {
            ds.setUrl("jdbc:sqlite:" + path);
            return new ConnectionSource(ds, null);
        }
        // a named in-memory database shared by the connector's connections, kept alive by an anchor
        ds.setUrl("jdbc:sqlite:file:aetherflow-" + UUID.randomUUID() + "?mode=memory&cache=shared");
        Connection anchor = ds.getConnection();
        return new ConnectionSource(ds, anchor);
    }
}
