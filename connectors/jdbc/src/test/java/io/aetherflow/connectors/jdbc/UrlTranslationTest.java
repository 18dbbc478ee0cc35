package io.aetherflow.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.support.ConfigValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlTranslationTest {

    @Test
    void postgresqlFamilies() {
        for (String scheme : List.of("postgresql", "postgresql+psycopg2", "postgresql+pg8000", "postgresql+asyncpg", "postgres")) {
            JdbcTarget t = JdbcTarget.fromUrl(scheme + "://etl:p%40ss%3Aw@db.example.com:5433/dw?sslmode=require&ApplicationName=af");
            assertEquals("jdbc:postgresql://db.example.com:5433/dw", t.url(), scheme);
            assertEquals(Dialect.POSTGRESQL, t.dialect());
            assertEquals("etl", t.user());
            assertEquals("p@ss:w", t.password());
            assertEquals(Map.of("sslmode", "require", "ApplicationName", "af"), t.properties());
        }
        JdbcTarget noCreds = JdbcTarget.fromUrl("postgresql:///dw");
        assertEquals("jdbc:postgresql://localhost/dw", noCreds.url());
        assertNull(noCreds.user());
    }

    @Test
    void mysqlAndMariadbUseMariadbConnectorJ() {
        for (String scheme : List.of("mysql", "mysql+pymysql", "mysql+mysqldb", "mysql+mysqlconnector", "mariadb",
                "mariadb+mariadbconnector")) {
            JdbcTarget t = JdbcTarget.fromUrl(scheme + "://u:pw@h:3306/app?charset=utf8mb4");
            assertEquals("jdbc:mariadb://h:3306/app", t.url(), scheme);
            assertEquals(Dialect.MARIADB, t.dialect());
            assertEquals("pw", t.password());
        }
    }

    @Test
    void oracleSqliteAndJdbc() {
        assertEquals("jdbc:oracle:thin:@//h:1521/ORCLPDB", JdbcTarget.fromUrl("oracle+oracledb://u:p@h:1521/?service_name=ORCLPDB").url());
        assertEquals("jdbc:oracle:thin:@h:1521:XE", JdbcTarget.fromUrl("oracle://u:p@h:1521/XE").url());
        assertEquals("jdbc:sqlite:data/x.db", JdbcTarget.fromUrl("sqlite:///data/x.db").url());
        assertEquals("jdbc:sqlite:/abs/x.db", JdbcTarget.fromUrl("sqlite:////abs/x.db").url());
        assertEquals("jdbc:sqlite::memory:", JdbcTarget.fromUrl("sqlite:///:memory:").url());
        JdbcTarget j = JdbcTarget.fromUrl("jdbc:mysql://h/db");
        assertEquals(Dialect.MYSQL, j.dialect());
        assertEquals("jdbc:mysql://h/db", j.url());
        assertEquals(Dialect.H2, JdbcTarget.fromUrl("jdbc:h2:mem:x").dialect());
        assertEquals(Dialect.OTHER, JdbcTarget.fromUrl("jdbc:sqlserver://h").dialect());
    }

    @Test
    void unknownDialectIsAClearErrorWithoutTheSecret() {
        ConnectorException e = assertThrows(ConnectorException.class, () -> new SqlAlchemyConnectorFactory().create(
                new ConnectorConfig("wh", "db", "sqlalchemy", Map.of("url", "mssql+pyodbc://u:topsecret@h/db"), null)));
        assertEquals("config.url of resource wh (db:sqlalchemy) names the dialect 'mssql', which has no JDBC translation"
                + " (supported: postgresql, mysql, mariadb, oracle, sqlite, or a jdbc: URL)", e.getMessage());
        ConnectorException none = assertThrows(ConnectorException.class, () -> new SqlAlchemyConnectorFactory().create(
                new ConnectorConfig("wh", "db", "postgres", Map.of(), null)));
        assertEquals("db:postgres requires config.url (resource wh)", none.getMessage());
        ConnectorException bad = assertThrows(ConnectorException.class, () -> new SqlAlchemyConnectorFactory().create(
                new ConnectorConfig("wh", "db", "postgres", Map.of("url", "nonsense"), null)));
        assertTrue(bad.getMessage().startsWith("config.url of resource wh (db:postgres) is not a database URL"), bad.getMessage());
        ConnectorException pool = assertThrows(ConnectorException.class, () -> new SqlAlchemyConnectorFactory().create(
                new ConnectorConfig("wh", "db", "postgres", Map.of("url", "postgresql://h/db"), Map.of("pool", Map.of("size", "x")))));
        assertEquals("options.pool.size of resource wh must be an integer", pool.getMessage());
    }

    @Test
    void poolOptionsAndLegacyAliases() {
        ConfigValues nested = ConfigValues.of("r", "options", Map.of("pool", Map.of("size", 3, "max_overflow", 2,
                "recycle_seconds", 60, "pre_ping", false)));
        PoolSettings p = PoolSettings.from(nested, 5, 10, java.time.Duration.ofSeconds(10));
        assertEquals(new PoolSettings(3, 2, java.time.Duration.ofSeconds(60), false, java.time.Duration.ofSeconds(15)), p);
        ConfigValues legacy = ConfigValues.of("r", "options", Map.of("pool_size", 7, "max_overflow", 0, "pool_recycle", 90,
                "pool_pre_ping", "no"));
        assertEquals(new PoolSettings(7, 0, java.time.Duration.ofSeconds(90), false, java.time.Duration.ofSeconds(15)),
                PoolSettings.from(legacy, 5, 10, java.time.Duration.ofSeconds(10)));
        PoolSettings d = PoolSettings.from(ConfigValues.of("r", "options", Map.of()), 5, 10, java.time.Duration.ofSeconds(10));
        assertEquals(new PoolSettings(5, 10, java.time.Duration.ofSeconds(1800), true, java.time.Duration.ofSeconds(15)), d);
    }

    @Test
    void oracleExasolAndDuckdbConfigMapping() {
        assertEquals("jdbc:oracle:thin:@//db:1521/ORCL", OracleConnectorFactory.url("db:1521/ORCL"));
        assertEquals("jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1)))",
                OracleConnectorFactory.url("(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1)))"));
        assertEquals("jdbc:oracle:thin:@//h/S", OracleConnectorFactory.url("//h/S"));
        assertEquals("jdbc:exa:exa1..3:8563;schema=SALES;querytimeout=30;connecttimeout=30000",
                ExasolConnectorFactory.url("exa1..3:8563", "SALES", 30L));
        assertEquals("jdbc:exa:h:8563", ExasolConnectorFactory.url("h:8563", null, null));
        ConfigValues o = ConfigValues.of("r", "options", Map.of("extensions", List.of("httpfs"),
                "pragmas", Map.of("threads", 2, "memory_limit", "1GB")));
        List<String> setup = DuckDbConnectorFactory.setup(o);
        assertEquals(List.of("INSTALL httpfs", "LOAD httpfs"), setup.subList(0, 2));
        assertTrue(setup.containsAll(List.of("PRAGMA threads=2", "PRAGMA memory_limit=\"1GB\"")), setup.toString());
        JdbcTarget duck = DuckDbConnectorFactory.target(ConfigValues.of("r", "config", Map.of("path", "/x.duckdb", "read_only", true)));
        assertEquals("jdbc:duckdb:/x.duckdb", duck.url());
        assertEquals(Map.of("duckdb.read_only", "true"), duck.properties());
        assertEquals("jdbc:duckdb:", DuckDbConnectorFactory.target(ConfigValues.of("r", "config", Map.of())).url());
        ConnectorException e = assertThrows(ConnectorException.class, () -> new OracleConnectorFactory().create(
                new ConnectorConfig("ora", "db", "oracledb", Map.of("user", "u", "dsn", "h/S"), null)));
        assertEquals("db:oracledb requires config.user, config.password and config.dsn (resource ora)", e.getMessage());
        ConnectorException x = assertThrows(ConnectorException.class, () -> new ExasolConnectorFactory().create(
                new ConnectorConfig("exa", "db", "exasol", Map.of("dsn", "h:8563"), null)));
        assertEquals("db:exasol requires config.dsn, config.user and config.password (resource exa)", x.getMessage());
    }

    @Test
    void masking() {
        Errors e = new Errors("r", "postgres", "s3cr3t", null, "");
        assertEquals("x *** y", e.mask("x s3cr3t y"));
        assertEquals("postgresql://etl:***@h/db", e.mask("postgresql://etl:other@h/db"));
        assertEquals("jdbc:x://h/db?user=a&password=***&ssl=true", e.mask("jdbc:x://h/db?user=a&password=abc&ssl=true"));
        assertEquals("a b", e.mask("a\n  b"));
        assertFalse(e.mask("PWD=abc;").contains("abc"));
    }

    @Test
    void missingDriverNamesTheClass() {
        try (var c = new OracleConnectorFactory().create(new ConnectorConfig("ora", "db", "oracledb",
                Map.of("user", "scott", "password", "tiger-Secret", "dsn", "127.0.0.1:1/S"), null))) {
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> ((io.aetherflow.api.connector.db.DbConnector) c).query(io.aetherflow.api.connector.db.DbQuery.of("select 1 from dual", null)));
            assertTrue(e.getMessage().startsWith("db resource ora (db:oracledb): cannot connect to jdbc:oracle:thin:@//127.0.0.1:1/S:"
                    + " the JDBC driver oracle.jdbc.OracleDriver is not installed"), e.getMessage());
            assertFalse(e.getMessage().contains("tiger-Secret"));
        }
    }
}
