package io.aetherflow.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.connector.db.DbType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every server driver must do, run against a real server the subclass starts once per class. */
abstract class LiveDbContract {

    /** @return true when the subclass's server runs (false: every test is skipped) */
    abstract boolean running();

    /** @return the driver name under test, e.g. {@code postgres} */
    abstract String driver();

    /** @return the resource's config with a SQLAlchemy URL of the running server */
    abstract Map<String, Object> config();

    /** @return the config with a wrong password, the right one being {@link #password()} */
    abstract Map<String, Object> badPasswordConfig();

    /** @return the right password (must never appear in a message) */
    abstract String password();

    /** @return a URL to a loopback port where nothing listens */
    abstract String unreachableUrl(int port);

    /** @return a query sleeping the given seconds */
    abstract String sleep(int seconds);

    /** @return the expected dialect */
    abstract String dialect();

    /** @return the factory */
    ConnectorFactory factory() {
        return new SqlAlchemyConnectorFactory();
    }

    DbConnector open(Map<String, Object> config, Map<String, Object> options) {
        assumeTrue(running(), "database server binaries not installed");
        return (DbConnector) factory().create(new ConnectorConfig("warehouse", "db", driver(), config, options));
    }

    @Test
    void successTypesParamsAndStreamingOrder() {
        try (DbConnector c = open(config(), Map.of("pool", Map.of("size", 2)))) {
            assertEquals(dialect(), c.dialect());
            c.execute("drop table if exists af_t", null);
            c.execute("create table af_t (id integer primary key, name varchar(20), amount decimal(10,2),"
                    + " qty numeric(9,0), price double precision, ok boolean, d date, ts timestamp null)", null);
            for (int i = 1; i <= 500; i++) {
                Map<String, Object> p = new HashMap<>();
                p.put("id", i);
                p.put("name", i % 2 == 0 ? "n:" + i : null);
                p.put("amount", new BigDecimal("1.25"));
                p.put("qty", 7);
                p.put("price", 0.5);
                p.put("ok", i % 3 == 0);
                p.put("d", LocalDate.of(2024, 1, 2));
                p.put("ts", LocalDateTime.of(2024, 1, 2, 3, 4, 5));
                assertEquals(1, c.execute("insert into af_t values (:id, :name, :amount, :qty, :price, :ok, :d, :ts)", p));
            }
            try (DbRows rows = c.query(DbQuery.of("select id, name, amount, qty, price, ok, d, ts, 'x:y' as lit"
                    + " from af_t where id > :min order by id", Map.of("min", 0)).withFetchSize(7))) {
                assertEquals(List.of("id", "name", "amount", "qty", "price", "ok", "d", "ts", "lit"),
                        rows.columns().stream().map(DbColumn::name).toList());
                assertEquals(List.of(DbType.INT, DbType.STRING, DbType.DECIMAL, DbType.INT, DbType.FLOAT, DbType.BOOL,
                        DbType.DATE, DbType.DATETIME, DbType.STRING), rows.columns().stream().map(DbColumn::type).toList());
                List<Object[]> all = SqliteConnectorTest.all(rows);
                assertEquals(500, all.size());
                for (int k = 0; k < 500; k++) {
                    assertEquals((long) k + 1, all.get(k)[0]);
                }
                Object[] r = all.get(1);
                assertEquals("n:2", r[1]);
                assertEquals(new BigDecimal("1.25"), r[2]);
                assertEquals(7L, r[3]);
                assertEquals(0.5, r[4]);
                assertEquals(Boolean.FALSE, r[5]);
                assertEquals(LocalDate.of(2024, 1, 2), r[6]);
                assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5), r[7]);
                assertEquals("x:y", r[8]);
                assertNull(all.get(0)[1]);
            }
            assertEquals(250, c.execute("delete from af_t where mod(id, 2) = 0", Map.of()));
        }
    }

    @Test
    void emptyResult() {
        try (DbConnector c = open(config(), Map.of())) {
            try (DbRows rows = c.query(DbQuery.of("select 1 as a where 1 = 0", null))) {
                assertEquals("a", rows.columns().get(0).name());
                assertNull(rows.next());
            }
        }
    }

    @Test
    void badCredentialsNameResourceAndDriverNeverThePassword() {
        try (DbConnector c = open(badPasswordConfig(), Map.of())) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.query(DbQuery.of("select 1", null)));
            oneLine(e, "cannot connect to ");
            assertFalse(e.getMessage().contains("Failed to initialize pool"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-Secret"), e.getMessage());
            assertFalse(e.getMessage().contains(password()), e.getMessage());
        }
    }

    @Test
    void unreachableHost() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> cfg = new HashMap<>(config());
        cfg.put("url", unreachableUrl(port));
        try (DbConnector c = open(cfg, Map.of("connect_timeout", 2))) {
            long t0 = System.nanoTime();
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.query(DbQuery.of("select 1", null)));
            assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "took too long");
            oneLine(e, "cannot connect to ");
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            assertFalse(e.getMessage().contains(password()), e.getMessage());
        }
    }

    @Test
    void syntaxError() {
        try (DbConnector c = open(config(), Map.of())) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.query(DbQuery.of("selec 1", null)));
            oneLine(e, "query failed: ");
            ConnectorException x = assertThrows(ConnectorException.class, () -> c.execute("creat table x (a int)", null));
            oneLine(x, "statement failed: ");
        }
    }

    @Test
    void statementTimeout() {
        try (DbConnector c = open(config(), Map.of())) {
            long t0 = System.nanoTime();
            ConnectorException e = assertThrows(ConnectorException.class, () -> {
                try (DbRows rows = c.query(DbQuery.of(sleep(20), null).withTimeout(Duration.ofSeconds(1)))) {
                    SqliteConnectorTest.all(rows);
                }
            });
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "timed out late");
            oneLine(e, "query failed: statement timeout after 1 s: ");
        }
    }

    private void oneLine(ConnectorException e, String what) {
        String m = e.getMessage();
        assertTrue(m.startsWith("db resource warehouse (db:" + driver() + "): " + what), m);
        assertFalse(m.contains("\n"), m);
        assertFalse(m.contains(password()), m);
    }
}
