package io.aetherflow.connectors.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/** A {@link javax.sql.DataSource} over a {@link Driver} instance (found in its bundle, never through DriverManager). */
final class DriverDataSource implements PlainDataSource {

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
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }
}
