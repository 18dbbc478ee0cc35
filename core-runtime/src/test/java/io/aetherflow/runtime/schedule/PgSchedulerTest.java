package io.aetherflow.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.runtime.state.PgStateStore;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StateUrl;
import io.aetherflow.runtime.state.StoreOptions;
import io.aetherflow.testkit.PostgresServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Every {@link SchedulerTest} with the fire claims on PostgreSQL (one server for the class, a fresh
 * database per test), and the scheduler carrying on across a PostgreSQL restart.
 */
class PgSchedulerTest extends SchedulerTest {

    private static PostgresServer pg;
    private static int databases;
    private StateUrl url;

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

    @BeforeEach
    void database() throws Exception {
        assumeTrue(pg != null, "PostgreSQL binaries not installed");
        String db = "sched_" + (++databases);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        url = StateUrl.parse("postgresql://" + PostgresServer.USER + ":" + PostgresServer.PASSWORD + "@127.0.0.1:"
                + pg.port() + "/" + db, "test");
    }

    @Override
    StateStore openStore(StoreOptions options) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url.jdbcUrl());
        ds.setUser(url.user());
        ds.setPassword(url.password());
        return PgStateStore.open(url, options, ds);
    }

    @Test
    void aFireDuringAPostgresqlRestartRunsOnceTheDatabaseIsBack() throws Exception {
        TestClock clock = new TestClock("2027-01-01T00:00:10Z");
        Scheduler s = scheduler(EVERY_MINUTE, clock, recording(), "one");
        pg.stop();
        try {
            clock.set("2027-01-01T00:01:00.005Z");
            assertEquals(0, s.poll().size(), "the database is down: nothing runs unclaimed");
            clock.set("2027-01-01T00:01:01Z");
            assertEquals(0, s.poll().size(), "still down: retried at every poll");
        } finally {
            pg.restart();
        }
        assertTrue(log().contains("Claim of a failed: state store " + url.masked() + ": cannot connect while claiming"
                + " fire a@2027-01-01T00:01:00Z ("), log());
        assertFalse(log().contains(PostgresServer.PASSWORD), log());
        clock.set("2027-01-01T00:01:05Z");
        assertEquals(1, s.poll().size(), "back within the grace: the pending fire is claimed on a new connection");
        awaitIdle(s);
        assertEquals(List.of("a@2027-01-01T00:01:00Z"), ran);
        try (StateStore store = openStore(StoreOptions.defaults())) {
            assertEquals("SUCCESS", store.getFire("a", Instant.parse("2027-01-01T00:01:00Z")).orElseThrow().status());
        }
    }
}
