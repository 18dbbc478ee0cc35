package io.aetherflow.connectors.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Runs set-up statements (schema, pragmas, extensions) on every new connection of a data source;
 * best-effort statements (DuckDB's extensions and pragmas, as in the reference) may fail without
 * failing the connection.
 */
final class InitDataSource implements DataSource {

    private final DataSource delegate;
    private final List<String> statements;
    private final boolean bestEffort;

    /**
     * @param delegate the driver's data source
     * @param statements run in order on each new connection
     * @param bestEffort true: a failing statement is skipped (the reference logs and continues)
     */
    InitDataSource(DataSource delegate, List<String> statements, boolean bestEffort) {
        this.delegate = delegate;
        this.statements = List.copyOf(statements);
        this.bestEffort = bestEffort;
    }

    /** @return the connection after the set-up statements */
    Connection init(Connection c) throws SQLException {
        for (String sql : statements) {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                if (!bestEffort) {
                    c.close();
                    throw e;
                }
            }
        }
        return c;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return init(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return init(delegate.getConnection(username, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
