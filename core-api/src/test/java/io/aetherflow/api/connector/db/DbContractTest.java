package io.aetherflow.api.connector.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbContractTest {

    @Test
    void dbTextDecodesOnceAndComparesByItsText() {
        byte[] b = "héllo ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DbText t = new DbText(b);
        assertEquals("héllo ✓", t.toString());
        org.junit.jupiter.api.Assertions.assertSame(t.toString(), t.toString());
        assertEquals(7, t.length());
        assertEquals('é', t.charAt(1));
        assertEquals("llo", t.subSequence(2, 5).toString());
        assertEquals(new DbText(b.clone()), t);
        assertEquals(t.hashCode(), "héllo ✓".hashCode());
        assertEquals("x", DbText.decode(new DbText(new byte[] {'x'})));
        assertEquals(5L, DbText.decode(5L));
        Object[] row = {new DbText(new byte[] {'a'}), null, 2.5, new byte[] {1}};
        Object[] same = DbText.decodeAll(row);
        org.junit.jupiter.api.Assertions.assertSame(row, same);
        assertEquals("a", row[0]);
        assertEquals(2.5, row[2]);
        org.junit.jupiter.api.Assertions.assertNull(row[1]);
    }

    @Test
    void nextLazyTextDefaultsToNext() {
        Object[] r = {"v"};
        DbRows rows = new DbRows() {
            @Override
            public java.util.List<DbColumn> columns() {
                return java.util.List.of();
            }

            @Override
            public Object[] next() {
                return r;
            }

            @Override
            public void close() {
            }
        };
        org.junit.jupiter.api.Assertions.assertSame(r, rows.nextLazyText());
    }

    @Test
    void typeNamesMapAsTheReference() {
        assertEquals(DbType.INT, DbType.fromTypeName("NUMERIC", 0), "scale 0 is an integer");
        assertEquals(DbType.DECIMAL, DbType.fromTypeName("NUMERIC", 2));
        assertEquals(DbType.DECIMAL, DbType.fromTypeName("number", -1));
        assertEquals(DbType.BOOL, DbType.fromTypeName("boolean", -1));
        assertEquals(DbType.DATETIME, DbType.fromTypeName("timestamptz", -1));
        assertEquals(DbType.DATETIME, DbType.fromTypeName("DATETIME", -1));
        assertEquals(DbType.DATE, DbType.fromTypeName("date", -1));
        assertEquals(DbType.INT, DbType.fromTypeName("BIGINT", -1));
        assertEquals(DbType.FLOAT, DbType.fromTypeName("double precision", -1));
        assertEquals(DbType.FLOAT, DbType.fromTypeName("REAL", -1));
        assertEquals(DbType.BYTES, DbType.fromTypeName("bytea", -1));
        assertEquals(DbType.BYTES, DbType.fromTypeName("VARBINARY(16)", -1));
        assertEquals(DbType.STRING, DbType.fromTypeName("varchar(20)", -1));
        assertEquals(DbType.STRING, DbType.fromTypeName("CLOB", -1));
        assertEquals(DbType.UNKNOWN, DbType.fromTypeName("json", -1));
        assertEquals(DbType.UNKNOWN, DbType.fromTypeName(null, 0));
        assertEquals(DbType.UNKNOWN, DbType.fromTypeName(" ", 0));
        assertEquals("str", DbType.STRING.pythonName());
        assertEquals("object", DbType.UNKNOWN.pythonName());
    }

    @Test
    void queryDefaultsCopiesAndChecks() {
        Map<String, Object> p = new HashMap<>();
        p.put("a", 1);
        p.put("n", null);
        DbQuery q = DbQuery.of("select :a", p);
        p.put("b", 2);
        assertEquals(Map.of("a", 1).keySet().size() + 1, q.params().size(), "copied, nulls kept");
        assertTrue(q.params().containsKey("n"));
        assertFalse(q.params().containsKey("b"));
        assertEquals(DbQuery.DEFAULT_FETCH_SIZE, q.fetchSize());
        assertEquals(DbQuery.DEFAULT_SAMPLE_SIZE, q.sampleSize());
        DbQuery t = q.withFetchSize(10).withSampleSize(0).withTimeout(Duration.ofSeconds(3));
        assertEquals(10, t.fetchSize());
        assertEquals(0, t.sampleSize());
        assertEquals(Duration.ofSeconds(3), t.timeout());
        assertThrows(UnsupportedOperationException.class, () -> t.params().put("x", 1));
        assertThrows(IllegalArgumentException.class, () -> q.withFetchSize(0));
        assertThrows(IllegalArgumentException.class, () -> q.withSampleSize(-1));
        assertThrows(IllegalArgumentException.class, () -> q.withTimeout(Duration.ZERO));
        assertEquals(Map.of(), DbQuery.of("select 1", null).params());
    }

    @Test
    void queryTextNeverShowsParameterValues() {
        String s = DbQuery.of("select :pw", Map.of("pw", "hunter2")).toString();
        assertTrue(s.contains("[pw]"), s);
        assertFalse(s.contains("hunter2"), s);
    }

    @Test
    void columnDefaults() {
        assertEquals("", new DbColumn("a", DbType.INT, null).databaseType());
        assertThrows(NullPointerException.class, () -> new DbColumn(null, DbType.INT, ""));
    }
}
