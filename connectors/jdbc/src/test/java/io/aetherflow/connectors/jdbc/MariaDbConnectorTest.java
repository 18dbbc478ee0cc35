package io.aetherflow.connectors.jdbc;

import io.aetherflow.testkit.MariaDbServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** db:mysql (the SQLAlchemy driver, MariaDB Connector/J) against a real MariaDB from the installed binaries. */
class MariaDbConnectorTest extends LiveDbContract {

    static MariaDbServer db;

    @BeforeAll
    static void start() throws IOException {
        if (MariaDbServer.available()) {
            db = MariaDbServer.start();
        }
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    boolean running() {
        return db != null;
    }

    @Override
    String driver() {
        return "mysql";
    }

    @Override
    String dialect() {
        return "mariadb";
    }

    @Override
    Map<String, Object> config() {
        return Map.of("url", db.sqlalchemyUrl().replace("mysql://", "mysql+pymysql://"));
    }

    @Override
    Map<String, Object> badPasswordConfig() {
        return Map.of("url", db.sqlalchemyUrl().replace(MariaDbServer.PASSWORD, "wrong-Secret"));
    }

    @Override
    String password() {
        return MariaDbServer.PASSWORD;
    }

    @Override
    String unreachableUrl(int port) {
        return "mariadb://u:" + MariaDbServer.PASSWORD + "@127.0.0.1:" + port + "/db";
    }

    @Override
    String sleep(int seconds) {
        return "select sleep(" + seconds + ")";
    }
}
