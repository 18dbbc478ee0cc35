package io.aetherflow.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Live tests against a real Oracle or Exasol server; there is none on this machine, so they are
 * skipped (and counted as skipped) unless the environment names one:
 * {@code AETHERFLOW_TEST_ORACLE_DSN}/{@code _USER}/{@code _PASSWORD} ({@code host:port/service}) and
 * {@code AETHERFLOW_TEST_EXASOL_DSN}/{@code _USER}/{@code _PASSWORD} ({@code host:port}).
 */
class OracleExasolLiveTest {

    private static Map<String, Object> config(String product) {
        String p = "AETHERFLOW_TEST_" + product.toUpperCase() + "_";
        String dsn = System.getenv(p + "DSN");
        assumeTrue(dsn != null, "skipped: no " + product + " server (set " + p + "DSN, " + p + "USER, " + p + "PASSWORD)");
        Map<String, Object> c = new HashMap<>();
        c.put("dsn", dsn);
        c.put("user", System.getenv(p + "USER"));
        c.put("password", System.getenv(p + "PASSWORD"));
        return c;
    }

    private static DbConnector open(String product, Map<String, Object> config) {
        ConnectorFactory f = product.equals("oracle") ? new OracleConnectorFactory() : new ExasolConnectorFactory();
        String driver = product.equals("oracle") ? "oracledb" : "exasol";
        return (DbConnector) f.create(new ConnectorConfig("live", "db", driver, config, Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"oracle", "exasol"})
    void successBadCredentialsAndSyntaxError(String product) {
        Map<String, Object> cfg = config(product);
        String from = product.equals("oracle") ? " from dual" : "";
        try (DbConnector c = open(product, cfg)) {
            try (DbRows rows = c.query(DbQuery.of("select :a as a" + from, Map.of("a", 42)))) {
                assertEquals(42L, ((Number) rows.next()[0]).longValue());
            }
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.query(DbQuery.of("selec 1" + from, null)));
            assertTrue(e.getMessage().startsWith("db resource live (db:"), e.getMessage());
        }
        Map<String, Object> bad = new HashMap<>(cfg);
        bad.put("password", "wrong-Secret-9");
        try (DbConnector c = open(product, bad)) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> c.query(DbQuery.of("select 1" + from, null)));
            assertTrue(e.getMessage().contains("cannot connect to "), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-Secret-9"), e.getMessage());
        }
    }
}
