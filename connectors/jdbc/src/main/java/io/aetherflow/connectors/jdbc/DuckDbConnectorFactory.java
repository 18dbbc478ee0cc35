package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConfigValues;
import io.aetherflow.api.support.ConnectorDriver;
import io.aetherflow.api.support.Json;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Component;

/**
 * {@code db:duckdb}: {@code config.path} (default {@code :memory:}), {@code config.read_only}
 * (default false); {@code options.extensions} (each {@code INSTALL} then {@code LOAD}, failures
 * skipped) and {@code options.pragmas} ({@code PRAGMA k=v}, strings, maps and lists JSON-quoted,
 * failures skipped), as in the reference. One database instance per connector: statements use
 * duplicates of one connection (DuckDB's {@code duplicate()}), so an in-memory database is shared and
 * a file is opened once. The driver ({@code org.duckdb:duckdb_jdbc}, an 81 MB bundle with native
 * libraries) is not in the default plugin set: {@code aetherflow plugins add duckdb_jdbc-1.5.6.0.jar}.
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "db", driver = "duckdb")
public final class DuckDbConnectorFactory extends DbConnectorFactory {

    @Override
    Connector create(ConnectorConfig config, ConfigValues c, ConfigValues o) throws ConnectorException {
        JdbcTarget target = target(c);
        return JdbcConnectors.create(config, target, null, null, null, setup(o), true);
    }

    /** @return the JDBC target of {@code config.path} and {@code config.read_only} */
    static JdbcTarget target(ConfigValues c) {
        String path = c.string("path");
        boolean readOnly = c.bool(false, "read_only");
        String url = "jdbc:duckdb:" + (path == null || path.equals(":memory:") ? "" : path);
        return new JdbcTarget(url, Dialect.DUCKDB, null, null, readOnly ? Map.of("duckdb.read_only", "true") : Map.of());
    }

    /** @return the set-up statements of {@code options.extensions} and {@code options.pragmas} */
    static List<String> setup(ConfigValues o) {
        List<String> sql = new ArrayList<>();
        List<String> extensions = o.stringList("extensions");
        if (extensions != null) {
            for (String e : extensions) {
                sql.add("INSTALL " + e);
                sql.add("LOAD " + e);
            }
        }
        if (o.get("pragmas") instanceof Map<?, ?> pragmas) {
            pragmas.forEach((k, v) -> sql.add("PRAGMA " + k + "="
                    + (v instanceof String || v instanceof Map || v instanceof List ? Json.write(v) : String.valueOf(v))));
        }
        return sql;
    }

    /**
     * @param ds DuckDB's data source (set-up statements included)
     * @return a source handing out duplicates of one connection, closed with the connector
     */
    static ConnectionSource shared(DataSource ds) throws SQLException {
        Connection anchor = ds.getConnection();
        Method duplicate;
        try {
            duplicate = anchor.getClass().getMethod("duplicate");
        } catch (NoSuchMethodException e) {
            anchor.close();
            throw new SQLException("this DuckDB driver has no Connection.duplicate()", e);
        }
        DataSource dup = new SharedDataSource(anchor, duplicate);
        return new ConnectionSource(dup, anchor);
    }

    /** Duplicates of one DuckDB connection. */
    private record SharedDataSource(Connection anchor, Method duplicate) implements PlainDataSource {
        @Override
        public Connection getConnection() throws SQLException {
            try {
                return (Connection) duplicate.invoke(anchor);
            } catch (ReflectiveOperationException e) {
                throw new SQLException("cannot open a DuckDB connection: " + e.getCause(), e.getCause());
            }
        }
    }
}
