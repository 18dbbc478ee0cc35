package io.aetherflow.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.connector.db.DbType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Oracle's SQL paths (NUMBER scales, DATE with time, VARCHAR2, DUAL, commit on execute) on H2 in
 * Oracle mode through {@code db:jdbc}, pooled as {@code db:oracledb} pools (size 4, no overflow).
 */
class H2OracleModeTest {

    @Test
    void oracleShapedTablesThroughAPool() {
        String url = "jdbc:h2:mem:ora" + UUID.randomUUID() + ";MODE=Oracle;DB_CLOSE_DELAY=-1";
        Map<String, Object> config = Map.of("url", url, "user", "sa", "password", "");
        Map<String, Object> options = Map.of("pool", Map.of("size", 4, "max_overflow", 0), "fetch_size", 3);
        try (DbConnector c = (DbConnector) new JdbcConnectorFactory().create(new ConnectorConfig("ora", "db", "jdbc",
                config, options))) {
            assertEquals("h2", c.dialect());
            c.execute("create table emp (empno number(4,0), ename varchar2(10), sal number(7,2), comm number(9,3),"
                    + " hired date)", null);
            for (int i = 1; i <= 10; i++) {
                c.execute("insert into emp values (:n, :name, :sal, null, :hired)", Map.of("n", i, "name", "E" + i,
                        "sal", new BigDecimal("100.50"), "hired", LocalDateTime.of(2020, 1, i, 9, 30)));
            }
            try (DbRows rows = c.query(DbQuery.of("select empno, ename, sal, comm, hired, sysdate as now from emp"
                    + " where empno <= :max order by empno", Map.of("max", 5)))) {
                List<DbType> types = rows.columns().stream().map(DbColumn::type).toList();
                assertEquals(DbType.INT, types.get(0), "NUMBER(4,0)");
                assertEquals(DbType.STRING, types.get(1));
                assertEquals(DbType.DECIMAL, types.get(2), "NUMBER(7,2)");
                assertEquals(DbType.DECIMAL, types.get(3), "NUMBER(9,3)");
                assertTrue(types.get(4) == DbType.DATETIME || types.get(4) == DbType.DATE, types.toString());
                List<Object[]> all = SqliteConnectorTest.all(rows);
                assertEquals(5, all.size());
                assertEquals(1L, all.get(0)[0]);
                assertEquals(new BigDecimal("100.50"), all.get(0)[2]);
                assertNull(all.get(0)[3]);
            }
            try (DbRows rows = c.query(DbQuery.of("select count(*) as n from dual", null))) {
                assertEquals(1L, ((Number) rows.next()[0]).longValue());
            }
        }
    }
}
