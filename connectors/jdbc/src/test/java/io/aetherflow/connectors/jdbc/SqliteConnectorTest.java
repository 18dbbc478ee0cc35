package io.aetherflow.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.connector.db.DbText;
import io.aetherflow.api.connector.db.DbType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteConnectorTest {

    @TempDir
    Path dir;

    private static DbConnector sqlite(Map<String, Object> config) {
        return (DbConnector) new SqliteConnectorFactory().create(new ConnectorConfig("db1", "db", "sqlite3", config, null));
    }

    static List<Object[]> all(DbRows rows) {
        List<Object[]> out = new ArrayList<>();
        for (Object[] r = rows.next(); r != null; r = rows.next()) {
            out.add(r);
        }
        return out;
    }

    @Test
    void aColumnSampledAsTextStillReadsEachValueByItsOwnType() {
        try (DbConnector db = sqlite(Map.of("path", dir.resolve("m.db").toString()))) {
            db.execute("create table m (v, t text)", null);
            db.execute("insert into m values ('a', 'x'), (5, 7), (2.5, '2.5'), (0.1 + 0.2, 'y'), ('2024-01-05', null),"
                    + " ('12345', '-3'), (-7, 'Inf'), (1e16, 'z')", null);
            try (DbRows rows = db.query(new DbQuery("select v, t from m", Map.of(), 2, 1, null))) {
                assertEquals(DbType.STRING, rows.columns().get(0).type());
                List<Object> v = new ArrayList<>();
                List<Object> t = new ArrayList<>();
                for (Object[] r : all(rows)) {
                    v.add(r[0]);
                    t.add(r[1]);
                }
                assertEquals(java.util.Arrays.asList("a", 5L, 2.5, 0.30000000000000004, "2024-01-05", "12345", -7L, 1e16), v);
                // a text column keeps its texts, numeric-looking or not
                assertEquals(java.util.Arrays.asList("x", "7", "2.5", "y", null, "-3", "Inf", "z"), t);
            }
        }
    }

    @Test
    void rowsAfterTheSampleAreTypedPerValueIncludingBlobsAndNulls() {
        try (DbConnector db = sqlite(Map.of("path", dir.resolve("b.db").toString()))) {
            db.execute("create table b (v)", null);
            db.execute("insert into b values ('text'), (x'00ff41'), (null), (3000000000), (0.5), (''), ('héllo ✓')", null);
            try (DbRows rows = db.query(new DbQuery("select v from b", Map.of(), 2, 1, null))) {
                assertEquals(DbType.STRING, rows.columns().get(0).type());
                List<Object[]> all = all(rows);
                assertEquals(7, all.size());
                assertEquals("text", all.get(0)[0]);
                // read after the one sampled row: a BLOB stays bytes (not its text), as Python's sqlite3 gives it
                assertArrayEquals(new byte[] {0, (byte) 0xff, 0x41}, (byte[]) all.get(1)[0]);
                assertNull(all.get(2)[0]);
                assertEquals(3000000000L, all.get(3)[0]);
                assertEquals(0.5, all.get(4)[0]);
                assertEquals("", all.get(5)[0]);
                assertEquals("héllo ✓", all.get(6)[0]);
            }
        }
    }

    @Test
    void nextLazyTextGivesUtf8TextAsItsBytesAndEveryOtherValueAsNextDoes() {
        try (DbConnector db = sqlite(Map.of("path", dir.resolve("l.db").toString()))) {
            db.execute("create table l (v, t text)", null);
            db.execute("insert into l values ('first', 'a'), ('héllo ✓', ''), (x'00ff', 'b'), (null, null), (7, '7'),"
                    + " (2.5, 'z')", null);
            List<Object[]> eager;
            try (DbRows rows = db.query(new DbQuery("select v, t from l", Map.of(), 2, 1, null))) {
                eager = all(rows);
            }
            try (DbRows rows = db.query(new DbQuery("select v, t from l", Map.of(), 2, 1, null))) {
                List<Object[]> lazy = new ArrayList<>();
                for (Object[] r = rows.nextLazyText(); r != null; r = rows.nextLazyText()) {
                    lazy.add(r);
                }
                assertEquals(eager.size(), lazy.size());
                // after the sampled row, text comes undecoded, as the bytes SQLite stored
                assertTrue(lazy.get(1)[0] instanceof DbText, String.valueOf(lazy.get(1)[0].getClass()));
                assertEquals("héllo ✓", lazy.get(1)[0].toString());
                assertTrue(lazy.get(1)[1] instanceof DbText);
                assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) lazy.get(2)[0]);
                for (int i = 0; i < eager.size(); i++) {
                    assertArrayEquals(eager.get(i), DbText.decodeAll(lazy.get(i)), "row " + i);
                }
            }
        }
    }

    @Test
    void connectionsUseSqlitesMultiThreadModeWithoutTheDatabaseMutex() {
        int flags = SqliteConnectorFactory.config(5000).getOpenModeFlags();
        assertEquals(org.sqlite.SQLiteOpenMode.NOMUTEX.flag, flags & org.sqlite.SQLiteOpenMode.NOMUTEX.flag);
        assertEquals(org.sqlite.SQLiteOpenMode.READWRITE.flag, flags & org.sqlite.SQLiteOpenMode.READWRITE.flag);
    }

    @Test
    void textOfAUtf16DatabaseIsDecodedFromItsOwnEncoding() throws Exception {
        Path file = dir.resolve("u16.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA encoding = 'UTF-16le'");
            s.execute("create table u (v text)");
            s.execute("insert into u values ('a'), ('héllo ✓'), ('')");
        }
        try (DbConnector db = sqlite(Map.of("path", file.toString()));
                DbRows rows = db.query(new DbQuery("select v from u", Map.of(), 2, 1, null))) {
            List<Object> v = new ArrayList<>();
            for (Object[] r : all(rows)) {
                v.add(r[0]);
            }
            assertEquals(List.of("a", "héllo ✓", ""), v);
        }
        try (DbConnector db = sqlite(Map.of("path", file.toString()));
                DbRows rows = db.query(new DbQuery("select v from u", Map.of(), 2, 1, null))) {
            List<Object> v = new ArrayList<>();
            for (Object[] r = rows.nextLazyText(); r != null; r = rows.nextLazyText()) {
                v.add(r[0]);
            }
            // not UTF-8: decoded by the driver from the database's own encoding, never deferred
            assertEquals(List.of("a", "héllo ✓", ""), v);
        }
    }

    @Test
    void sqliteNumberTexts() {
        for (String s : List.of("0", "-12", "1.5", "10000000000000000.0", "1.0e+16", "2E-5", "Inf", "-Inf")) {
            assertTrue(JdbcRows.sqliteNumber(s), s);
        }
        for (String s : List.of("", "-", "a1", "2024-01-05", "1.", ".5", "1e", "1.5x", "Infinity", "+1", " 1")) {
            assertFalse(JdbcRows.sqliteNumber(s), s);
        }
    }

    @Test
    void urlAndPathForms() {
        ConnectorConfig url = new ConnectorConfig("r", "db", "sqlite3", Map.of("url", "sqlite:////abs/x.db"), null);
        assertEquals("/abs/x.db", SqliteConnectorFactory.path(url));
        ConnectorConfig rel = new ConnectorConfig("r", "db", "sqlite3", Map.of("url", "sqlite:///x.db", "path", "y"), null);
        assertEquals("x.db", SqliteConnectorFactory.path(rel));
        ConnectorConfig path = new ConnectorConfig("r", "db", "sqlite3", Map.of("path", "y.db", "url", "other"), null);
        assertEquals("y.db", SqliteConnectorFactory.path(path));
        ConnectorConfig mem = new ConnectorConfig("r", "db", "sqlite3", Map.of("url", ":memory:"), null);
        assertEquals(":memory:", SqliteConnectorFactory.path(mem));
        ConnectorConfig none = new ConnectorConfig("r", "db", "sqlite3", Map.of("url", "postgres://x"), null);
        ConnectorException e = assertThrows(ConnectorException.class, () -> SqliteConnectorFactory.path(none));
        assertEquals("SQLite connector requires config.path or config.url (resource r)", e.getMessage());
    }

    @Test
    void executeThenQueryWithNamedParamsTypesInferredFromValues() {
        Path db = dir.resolve("t.db");
        try (DbConnector c = sqlite(Map.of("path", db.toString()))) {
            assertEquals("sqlite", c.dialect());
            c.execute("create table t (id integer, name text, amount numeric, price real, data blob, d date)", null);
            assertEquals(1, c.execute("insert into t values (:id, :name, :amount, :price, :data, :d)",
                    Map.of("id", 1, "name", "a:b", "amount", new BigDecimal("2.5"), "price", 1.25,
                            "data", new byte[] {1, 2}, "d", LocalDate.of(2024, 1, 2))));
            c.execute("insert into t (id) values (2)", Map.of());
            try (DbRows rows = c.query(DbQuery.of("select id, name, price, data, d, null as n, id + 1 from t"
                    + " where id >= :min order by id", Map.of("min", 1)))) {
                List<DbColumn> cols = rows.columns();
                assertEquals(List.of("id", "name", "price", "data", "d", "n", "id + 1"),
                        cols.stream().map(DbColumn::name).toList());
                assertEquals(List.of(DbType.INT, DbType.STRING, DbType.FLOAT, DbType.BYTES, DbType.STRING,
                        DbType.UNKNOWN, DbType.INT), cols.stream().map(DbColumn::type).toList());
                List<Object[]> all = all(rows);
                assertEquals(2, all.size());
                assertEquals(1L, all.get(0)[0]);
                assertEquals("a:b", all.get(0)[1]);
                assertEquals(1.25, all.get(0)[2]);
                assertArrayEquals(new byte[] {1, 2}, (byte[]) all.get(0)[3]);
                assertEquals("2024-01-02", all.get(0)[4]);
                assertEquals(2L, all.get(1)[0]);
                assertNull(all.get(1)[1]);
                assertNull(rows.next());
            }
        }
    }

    @Test
    void streamsInOrderAcrossFetchAndSampleBoundaries() {
        try (DbConnector c = sqlite(Map.of("url", "sqlite:///:memory:"))) {
            c.execute("create table n (i integer, s text)", null);
            c.execute("with recursive r(i) as (select 1 union all select i + 1 from r where i < 1000)"
                    + " insert into n select i, case when i > 150 then 'x' || i end from r", null);
            try (DbRows rows = c.query(DbQuery.of("select i, s from n order by i", null).withFetchSize(7).withSampleSize(200))) {
                // s is NULL in the first 150 rows: its type comes from row 151, inside the sample
                assertEquals(DbType.STRING, rows.columns().get(1).type());
                List<Object[]> all = all(rows);
                assertEquals(1000, all.size());
                for (int k = 0; k < 1000; k++) {
                    assertEquals((long) k + 1, all.get(k)[0]);
                }
                assertEquals("x151", all.get(150)[1]);
            }
            try (DbRows rows = c.query(DbQuery.of("select s from n order by i", null).withSampleSize(10))) {
                assertEquals(DbType.UNKNOWN, rows.columns().get(0).type(), "no non-null value in the sample");
            }
        }
    }

    @Test
    void emptyResultKeepsColumns() {
        try (DbConnector c = sqlite(Map.of("path", ":memory:"))) {
            try (DbRows rows = c.query(DbQuery.of("select 1 as a, 'x' as b where 1 = 0", null))) {
                assertEquals(List.of("a", "b"), rows.columns().stream().map(DbColumn::name).toList());
                assertNull(rows.next());
            }
        }
    }

    @Test
    void syntaxErrorIsOneLineNamingResourceAndDriver() {
        try (DbConnector c = sqlite(Map.of("path", dir.resolve("e.db").toString()))) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.query(DbQuery.of("selec 1", null)));
            assertTrue(e.getMessage().startsWith("db resource db1 (db:sqlite3): query failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            ConnectorException missing = assertThrows(ConnectorException.class,
                    () -> c.query(DbQuery.of("select :x", Map.of())));
            assertEquals("db resource db1 (db:sqlite3): parameter :x has no value (the statement names it, the params"
                    + " map does not)", missing.getMessage());
        }
    }

    @Test
    void unopenableFileNamesThePath() {
        try (DbConnector c = sqlite(Map.of("path", dir.resolve("no/such/dir/x.db").toString()))) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.query(DbQuery.of("select 1", null)));
            assertTrue(e.getMessage().startsWith("db resource db1 (db:sqlite3): cannot connect to sqlite "), e.getMessage());
        }
    }

    @Test
    void statementTimeout() {
        try (DbConnector c = sqlite(Map.of("path", ":memory:"))) {
            long t0 = System.nanoTime();
            ConnectorException e = assertThrows(ConnectorException.class, () -> {
                try (DbRows rows = c.query(DbQuery.of("with recursive r(i) as (select 1 union all select i + 1 from r"
                        + " where i < 2000000000) select count(*) from r", null).withTimeout(Duration.ofSeconds(1)))) {
                    all(rows);
                }
            });
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "timed out late");
            assertTrue(e.getMessage().startsWith("db resource db1 (db:sqlite3): query failed: statement timeout after 1 s: "),
                    e.getMessage());
        }
    }
}
