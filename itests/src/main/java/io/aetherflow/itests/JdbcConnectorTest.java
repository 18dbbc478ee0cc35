package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.connector.db.DbType;
import io.aetherflow.testkit.MariaDbServer;
import io.aetherflow.testkit.PostgresServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The JDBC connector bundle inside Felix: it and the driver bundles (sqlite-jdbc, PostgreSQL, MariaDB,
 * HikariCP, the OSGi JDBC API) resolve, the {@code db} factories register with their drivers and
 * aliases, and queries run on SQLite and, when the binaries are installed, on real PostgreSQL (driver
 * found as its DataSourceFactory service) and MariaDB (driver class loaded from its bundle).
 */
@ExtendWith(BundleContextExtension.class)
class JdbcConnectorTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(bsn)).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + bsn + " not installed"));
    }

    private DbConnector connector(String driver, Map<String, Object> config) throws Exception {
        ServiceReference<ConnectorFactory> ref = Services.await(context, ConnectorFactory.class, "(&("
                + ConnectorFactory.KIND_PROPERTY + "=db)(|(" + ConnectorFactory.DRIVER_PROPERTY + "=" + driver + ")("
                + ConnectorFactory.ALIASES_PROPERTY + "=" + driver + ")))").get(0);
        return (DbConnector) context.getService(ref).create(new ConnectorConfig("db1", "db", driver, config, Map.of()));
    }

    @Test
    void bundlesResolveAndFactoriesRegister() throws Exception {
        for (String bsn : List.of("io.aetherflow.connectors.jdbc", "org.postgresql.jdbc", "mariadb-java-client",
                "com.zaxxer.HikariCP", "org.osgi.service.jdbc", "org.xerial.sqlite-jdbc")) {
            assertTrue((bundle(bsn).getState() & (Bundle.RESOLVED | Bundle.ACTIVE)) != 0, bsn + " not resolved");
        }
        Map<String, List<String>> drivers = Map.of("sqlite3", List.of(), "sqlalchemy", List.of("postgres", "mysql"),
                "jdbc", List.of(), "duckdb", List.of());
        for (Map.Entry<String, List<String>> d : drivers.entrySet()) {
            List<ServiceReference<ConnectorFactory>> refs = Services.await(context, ConnectorFactory.class, "(&("
                    + ConnectorFactory.KIND_PROPERTY + "=db)(" + ConnectorFactory.DRIVER_PROPERTY + "=" + d.getKey() + "))");
            assertEquals("io.aetherflow.connectors.jdbc", refs.get(0).getBundle().getSymbolicName());
            Object aliases = refs.get(0).getProperty(ConnectorFactory.ALIASES_PROPERTY);
            List<String> got = aliases == null ? List.of()
                    : aliases instanceof String[] a ? List.of(a) : List.of(aliases.toString());
            assertEquals(d.getValue(), got, d.getKey());
        }
        // PostgreSQL registers its DataSourceFactory: that is how the connector finds it
        assertFalse(Services.await(context, org.osgi.service.jdbc.DataSourceFactory.class,
                "(osgi.jdbc.driver.class=org.postgresql.Driver)").isEmpty());
    }

    @Test
    void sqliteRunsInsideTheFramework() throws Exception {
        try (DbConnector c = connector("sqlite3", Map.of("url", "sqlite:///" + home.resolve("f.db")))) {
            c.execute("create table t (i integer, s text)", null);
            c.execute("insert into t values (:i, :s)", Map.of("i", 7, "s", "seven"));
            try (DbRows rows = c.query(DbQuery.of("select i, s from t where i = :i", Map.of("i", 7)))) {
                assertEquals(List.of(DbType.INT, DbType.STRING), rows.columns().stream().map(c2 -> c2.type()).toList());
                assertEquals(List.of(7L, "seven"), List.of(rows.next()));
                assertNull(rows.next());
            }
        }
    }

    @Test
    void postgresqlThroughItsDataSourceFactory() throws Exception {
        Assumptions.assumeTrue(PostgresServer.available(), "skipped: PostgreSQL binaries not installed");
        try (PostgresServer pg = PostgresServer.start(); DbConnector c = connector("postgres", Map.of("url", pg.sqlalchemyUrl()))) {
            assertEquals("postgresql", c.dialect());
            try (DbRows rows = c.query(DbQuery.of("select g as n, 'v' || g as s from generate_series(1, :n) g",
                    Map.of("n", 1000)).withFetchSize(100))) {
                int count = 0;
                for (Object[] r = rows.next(); r != null; r = rows.next()) {
                    assertEquals((long) ++count, r[0]);
                }
                assertEquals(1000, count);
            }
        }
    }

    @Test
    void mariadbThroughItsDriverClass() throws Exception {
        Assumptions.assumeTrue(MariaDbServer.available(), "skipped: MariaDB binaries not installed");
        try (MariaDbServer db = MariaDbServer.start(); DbConnector c = connector("mysql", Map.of("url", db.sqlalchemyUrl()))) {
            assertEquals("mariadb", c.dialect());
            try (DbRows rows = c.query(DbQuery.of("select :a as a", Map.of("a", 42)))) {
                assertEquals(42L, rows.next()[0]);
            }
        }
    }

    @Test
    void oracleDriverLoadsFromTheWrappedBundle() throws Exception {
        assertTrue((bundle("io.aetherflow.driver.ojdbc11").getState() & (Bundle.RESOLVED | Bundle.ACTIVE)) != 0);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (DbConnector c = connector("oracledb", Map.of("user", "scott", "password", "tiger-Secret-1",
                "dsn", "127.0.0.1:" + port + "/FREEPDB1"))) {
            String m = assertCannotConnect(c, "select 1 from dual", "db resource db1 (db:oracledb): cannot connect to "
                    + "jdbc:oracle:thin:@//127.0.0.1:" + port + "/FREEPDB1: ", "tiger-Secret-1");
            assertFalse(m.contains("\n"), m);
        }
    }

    @Test
    void exasolDriverLoadsFromTheWrappedBundleAndKeepsItsBouncyCastlePrivate() throws Exception {
        Bundle exa = bundle("io.aetherflow.driver.exasol-jdbc");
        assertTrue((exa.getState() & (Bundle.RESOLVED | Bundle.ACTIVE)) != 0);
        String exports = exa.getHeaders().get("Export-Package");
        assertFalse(exports.contains("bouncycastle"), exports);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (DbConnector c = connector("exasol", Map.of("user", "sys", "password", "exa-Secret-1",
                "dsn", "127.0.0.1:" + port, "schema", "SALES"))) {
            assertEquals("exasol", c.dialect());
            assertCannotConnect(c, "select 1", "db resource db1 (db:exasol): cannot connect to jdbc:exa:127.0.0.1:" + port
                    + ";schema=SALES: ", "exa-Secret-1");
        }
    }

    /**
     * Asserts that a query fails to connect (nothing listens) after the driver was found: the message
     * starts with {@code prefix} and does not show the password.
     *
     * @return the message
     */
    private static String assertCannotConnect(DbConnector c, String sql, String prefix, String password) {
        ConnectorException e = org.junit.jupiter.api.Assertions.assertThrows(ConnectorException.class,
                () -> c.query(DbQuery.of(sql, null)));
        String m = e.getMessage();
        assertTrue(m.startsWith(prefix), m);
        assertFalse(m.contains("not installed"), "the driver was found: " + m);
        assertFalse(m.contains(password), m);
        return m;
    }

    @Test
    void missingDriverNamesItAndWhatToDo() throws Exception {
        try (DbConnector c = connector("jdbc", Map.of("url", "jdbc:duckdb:"))) {
            ConnectorException e = org.junit.jupiter.api.Assertions.assertThrows(ConnectorException.class,
                    () -> c.query(DbQuery.of("select 1", null)));
            assertTrue(e.getMessage().startsWith("db resource db1 (db:jdbc): cannot connect to jdbc:duckdb:: the JDBC"
                    + " driver org.duckdb.DuckDBDriver is not installed"), e.getMessage());
        }
    }
}
