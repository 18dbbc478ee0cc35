package io.aetherflow.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.connector.db.DbType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbConnectorTest {

    @TempDir
    Path dir;

    private static DbConnector duck(Map<String, Object> config, Map<String, Object> options) {
        return (DbConnector) new DuckDbConnectorFactory().create(new ConnectorConfig("lake", "db", "duckdb", config, options));
    }

    @Test
    void memoryDatabaseSharedByStatementsPragmasAndBrokenExtensionSkipped() {
        try (DbConnector c = duck(Map.of(), Map.of("extensions", List.of("no_such_extension_xyz"),
                "pragmas", Map.of("threads", 1)))) {
            assertEquals("duckdb", c.dialect());
            c.execute("create table t as select range as i, 'v' || range as s, range * 1.5::decimal(10,2) as d"
                    + " from range(1000)", null);
            try (DbRows rows = c.query(DbQuery.of("select i, s, d, current_setting('threads') as th from t"
                    + " where i >= :min order by i", Map.of("min", 10)).withFetchSize(64))) {
                assertEquals(List.of(DbType.INT, DbType.STRING, DbType.DECIMAL),
                        rows.columns().subList(0, 3).stream().map(DbColumn::type).toList());
                List<Object[]> all = SqliteConnectorTest.all(rows);
                assertEquals(990, all.size());
                assertEquals(10L, all.get(0)[0]);
                assertEquals(new BigDecimal("15.00"), all.get(0)[2]);
                assertEquals(1L, ((Number) all.get(0)[3]).longValue());
            }
            // a second stream on the same connector still works (the reference loses its connection here)
            try (DbRows rows = c.query(DbQuery.of("select count(*) from t", null))) {
                assertEquals(1000L, rows.next()[0]);
            }
        }
    }

    @Test
    void fileReadOnly() {
        String path = dir.resolve("x.duckdb").toString();
        try (DbConnector c = duck(Map.of("path", path), null)) {
            c.execute("create table t (a integer)", null);
            c.execute("insert into t values (:a)", Map.of("a", 5));
        }
        try (DbConnector c = duck(Map.of("path", path, "read_only", true), null)) {
            try (DbRows rows = c.query(DbQuery.of("select a from t", null))) {
                assertEquals(5L, rows.next()[0]);
            }
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.execute("insert into t values (6)", null));
            assertTrue(e.getMessage().startsWith("db resource lake (db:duckdb): statement failed: "), e.getMessage());
        }
    }
}
