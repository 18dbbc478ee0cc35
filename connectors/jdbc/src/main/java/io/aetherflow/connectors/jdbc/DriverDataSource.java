package io.aetherflow.connectors.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A {@link DataSource} over a {@link Driver} instance (found in its bundle, never through DriverManager). */
final class DriverDataSource implements DataSource {

    private final Driver driver;
    private final JdbcTarget target;
    private int loginTimeout;

    DriverDataSource(Driver driver, JdbcTarget target) {
        this.driver = driver;
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Properties p = new Properties();
        for (Map.Entry<String, String> e : target.properties().entrySet()) {
            p.setProperty(e.getKey(), e.getValue());
        }
        if (target.user() != null) {
            p.setProperty("user", target.user());
        }
        if (target.password() != null) {
            p.setProperty("password", target.password());
        }
        Connection c = driver.connect(target.url(), p);
        if (c == null) {
            throw new SQLException("the driver " + driver.getClass().getName() + " does not accept this URL");
        }
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return new DriverDataSource(driver, target.withCredentials(username, password)).getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no driver logging
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
