package io.aetherflow.connectors.jdbc;

import io.aetherflow.testkit.PostgresServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** db:postgres (the SQLAlchemy driver) against a real PostgreSQL started from the installed binaries. */
class PostgresConnectorTest extends LiveDbContract {

    static PostgresServer pg;

    @BeforeAll
    static void start() throws IOException {
        if (PostgresServer.available()) {
            pg = PostgresServer.start();
        }
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Override
    boolean running() {
        return pg != null;
    }

    @Override
    String driver() {
        return "postgres";
    }

    @Override
    String dialect() {
        return "postgresql";
    }

    @Override
    Map<String, Object> config() {
        return Map.of("url", pg.sqlalchemyUrl().replace("postgresql://", "postgresql+psycopg2://"));
    }

    @Override
    Map<String, Object> badPasswordConfig() {
        return Map.of("url", pg.sqlalchemyUrl().replace(PostgresServer.PASSWORD, "wrong-Secret"));
    }

    @Override
    String password() {
        return PostgresServer.PASSWORD;
    }

    @Override
    String unreachableUrl(int port) {
        return "postgresql://u:" + PostgresServer.PASSWORD + "@127.0.0.1:" + port + "/db";
    }

    @Override
    String sleep(int seconds) {
        return "select pg_sleep(" + seconds + ")";
    }
}
