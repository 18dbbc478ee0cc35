package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.testkit.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One PostgreSQL server per test JVM (Debian's binaries via {@link PostgresServer}), a fresh
 * database per test. Tests calling {@link #freshUrl()} are skipped when the binaries are absent.
 */
final class PgStores {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer server;

    private PgStores() {
    }

    /** @return the libpq URL of a new, empty database (test skipped without PostgreSQL) */
    static synchronized StateUrl freshUrl() {
        assumeTrue(PostgresServer.available(), "PostgreSQL binaries not installed");
        if (server == null) {
            try {
                server = PostgresServer.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            PostgresServer s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        String db = "state_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return StateUrl.parse("postgresql://" + PostgresServer.USER + ":" + PostgresServer.PASSWORD + "@127.0.0.1:"
                + server.port() + "/" + db, "test");
    }

    /** @return the driver's data source for the URL (what the DataSourceFactory creates in OSGi) */
    static PGSimpleDataSource dataSource(StateUrl url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url.jdbcUrl());
        ds.setUser(url.user());
        ds.setPassword(url.password());
        return ds;
    }

    static PgStateStore open(StateUrl url, StoreOptions options) {
        return PgStateStore.open(url, options, dataSource(url));
    }
}
