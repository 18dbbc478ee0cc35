package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.testkit.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL backend: schema, run and step rows, dead runs across hosts, durability settings, errors. */
class PgStateStoreTest {

    private StateUrl url;

    @BeforeEach
    void database() {
        url = PgStores.freshUrl();
    }

    private List<List<Object>> query(String sql) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = PgStores.dataSource(url).getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void createsTheSameTablesAndColumnsAsSqliteWithAVersionedSchema() throws Exception {
        try (PgStateStore store = PgStores.open(url, StoreOptions.defaults())) {
            assertEquals(3, store.schemaVersion());
        }
        try (PgStateStore again = PgStores.open(url, StoreOptions.defaults())) {
            assertEquals(3, again.schemaVersion(), "reopening migrates nothing");
        }
        assertEquals(List.of(List.of(3)), query("SELECT version FROM aetherflow_schema"));
        assertEquals(List.of("aetherflow_schema", "fire_claims", "job_details", "job_runs", "locks", "runs",
                "step_details", "step_processes", "step_runs"),
                query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        + " ORDER BY table_name").stream().map(r -> r.get(0)).toList());
        assertEquals(List.of("job_id", "run_id", "status", "updated_at", "row_seq"),
                query("SELECT column_name FROM information_schema.columns WHERE table_name = 'job_runs'"
                        + " ORDER BY ordinal_position").stream().map(r -> r.get(0)).toList());
    }

    @Test
    void runsJobsAndStepsRoundTripAndListInOrder() throws Exception {
        try (PgStateStore store = PgStores.open(url, StoreOptions.defaults())) {
            RunMeta meta = RunMeta.current("hash", "/flows/hello.yaml", "abc");
            store.beginRun("hello", "r1", meta);
            store.setStepStatus("hello", "r1", "greet", "say", new StepUpdate("RUNNING", "echo", "b 1.0", 1L, null,
                    Map.of(), null));
            store.setStepStatus("hello", "r1", "greet", "say", new StepUpdate("SUCCESS", "echo", "b 1.0", 1L, 5L,
                    Map.of("text", "hi"), null));
            store.setStepStatus("hello", "r1", "greet", "after", StepUpdate.of("SKIPPED"));
            store.setJobStatus("hello", "r1", "greet", JobUpdate.of("SUCCESS"));
            store.endRun("hello", "r1", RunStatus.SUCCESS, null, "{}");
            store.beginRun("hello", "r2", meta);

            assertEquals(List.of("r2", "r1"), store.listRuns(10, "hello").stream().map(RunRecord::runId).toList());
            RunDetails d = store.getRun("r1").orElseThrow();
            assertEquals(RunStatus.SUCCESS, d.run().status());
            assertEquals(List.of("say", "after"), List.copyOf(store.getStepRecords("hello", "r1", "greet").keySet()));
            StepRecord say = store.getStepRecord("hello", "r1", "greet", "say").orElseThrow();
            assertEquals("hi", say.outputs().get("text"));
            assertEquals(4L, say.durationMs());
            assertEquals("SUCCESS", store.getJobRecord("hello", "r1", "greet").orElseThrow().status());
        }
        assertEquals(List.of(List.of("greet", "r1", "say", "SUCCESS")),
                query("SELECT job_id, run_id, step_id, status FROM step_runs WHERE step_id = 'say'"));
    }

    @Test
    void aRunOfAnotherHostIsDeadWhenItsHeartbeatExpiredAndOneOfThisHostWhenItsPidIsGone() {
        MutableClock clock = MutableClock.now();
        StoreOptions hostA = new StoreOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(15),
                clock, "host-a.example");
        StoreOptions hostB = new StoreOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(15),
                clock, "host-b.example");
        try (PgStateStore a = PgStores.open(url, hostA); PgStateStore b = PgStores.open(url, hostB)) {
            a.beginRun("etl", "on-a", new RunMeta("host-a.example", ProcessHandle.current().pid(), null, null, null));
            b.beginRun("etl", "gone-b", new RunMeta("host-b.example", Integer.MAX_VALUE, null, null, null));
            a.setStepStatus("etl", "on-a", "j", "s", new StepUpdate("RUNNING", "t", null, 1L, null, Map.of(), null));
            // b sees its own dead pid at once; a's run is alive (heartbeat fresh, other host)
            List<RunRecord> dead = b.markDeadRuns();
            assertEquals(List.of("gone-b"), dead.stream().map(RunRecord::runId).toList());
            clock.advance(Duration.ofSeconds(10));
            assertTrue(a.heartbeat("etl", "on-a"));
            clock.advance(Duration.ofSeconds(10));
            assertTrue(b.markDeadRuns().isEmpty(), "beaten 10 s ago: alive");
            clock.advance(Duration.ofSeconds(6)); // host a stopped beating 16 s ago
            assertEquals(List.of("on-a"), b.markDeadRuns().stream().map(RunRecord::runId).toList());
            assertEquals("INTERRUPTED", b.getStepStatus("etl", "on-a", "j", "s").orElseThrow());
            assertFalse(a.heartbeat("etl", "on-a"), "host a learns its run was taken as dead");
            RunActiveException active = assertThrows(RunActiveException.class, () -> {
                a.beginRun("etl", "live", RunMeta.current(null, null, null));
                b.beginRun("etl", "live", new RunMeta("host-b.example", 1, null, null, null));
            });
            assertTrue(active.getMessage().contains("postgresql://aetherflow:***@127.0.0.1:"), active.getMessage());
        }
    }

    @Test
    void statusCommitsAreSynchronousAndErrorsNeverShowThePassword() throws Exception {
        try (PgStateStore store = PgStores.open(url, StoreOptions.defaults())) {
            store.beginRun("f", "r", RunMeta.current(null, null, null));
        }
        StateUrl wrong = new StateUrl(url.host(), url.port(), url.database(), url.user(), "Wr0ng-Secret", Map.of());
        StateStoreException e = assertThrows(StateStoreException.class,
                () -> PgStores.open(wrong, StoreOptions.defaults()));
        assertEquals("state store postgresql://aetherflow:***@127.0.0.1:" + url.port() + "/" + url.database()
                + ": authentication failed for user aetherflow while connecting: check the user and password in"
                + " state.url or AETHERFLOW_STATE_URL", e.getMessage());
        StateUrl missing = new StateUrl(url.host(), url.port(), "no_such_db", url.user(), url.password(), Map.of());
        StateStoreException m = assertThrows(StateStoreException.class,
                () -> PgStores.open(missing, StoreOptions.defaults()));
        assertTrue(m.getMessage().contains("database no_such_db does not exist"), m.getMessage());
        assertFalse(m.getMessage().contains(url.password()));
    }

    @Test
    void refusesASchemaNewerThanItUnderstands() throws Exception {
        try (PgStateStore store = PgStores.open(url, StoreOptions.defaults())) {
            assertEquals(3, store.schemaVersion());
        }
        exec("INSERT INTO aetherflow_schema (version, applied_at_ms) VALUES (99, 0)");
        StateStoreException e = assertThrows(StateStoreException.class,
                () -> PgStores.open(url, StoreOptions.defaults()));
        assertEquals("state store " + url.masked() + " has schema version 99, newer than this AetherFlow understands"
                + " (3): upgrade AetherFlow on every host sharing it, or point state.url at another database",
                e.getMessage());
    }

    @Test
    void aWriteBlockedByAnotherSessionFailsWithTheLockedMessageAndLeavesNothing() throws Exception {
        try (PgStateStore store = PgStores.open(url, StoreOptions.defaults().withBusyTimeout(Duration.ofMillis(300)));
                Connection other = PgStores.dataSource(url).getConnection(); Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.execute("SELECT pg_advisory_xact_lock(" + PgDatabase.WRITE_LOCK + ")");
            StateStoreException e = assertThrows(StateStoreException.class,
                    () -> store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS")));
            assertEquals("state store " + url.masked() + " is locked by another writer (waited 300 ms while writing"
                    + " status SUCCESS of step j/s): find the session holding it (pg_stat_activity, application_name"
                    + " aetherflow) and let it finish", e.getMessage());
            // reads do not take the write lock
            assertTrue(store.getStepStatus("f", "r", "j", "s").isEmpty());
            other.rollback();
            store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS"));
            assertEquals("SUCCESS", store.getStepStatus("f", "r", "j", "s").orElseThrow());
        }
        assertEquals(List.of(List.of("SUCCESS")), query("SELECT status FROM step_runs"));
    }

    @Test
    void theStoreReconnectsAfterAServerRestartAndSaysSoInOneLineWhileItIsDown() throws Exception {
        assumeTrue(PostgresServer.available(), "PostgreSQL binaries not installed");
        try (PostgresServer own = PostgresServer.start()) {
            StateUrl u = StateUrl.parse("postgresql://" + PostgresServer.USER + ":" + PostgresServer.PASSWORD
                    + "@127.0.0.1:" + own.port() + "/postgres", "test");
            try (PgStateStore store = PgStores.open(u, StoreOptions.defaults())) {
                store.beginRun("etl", "r1", RunMeta.current(null, null, null));
                store.setStepStatus("etl", "r1", "j", "before", StepUpdate.of("SUCCESS"));
                own.stop();
                StateStoreException down = assertThrows(StateStoreException.class,
                        () -> store.setStepStatus("etl", "r1", "j", "during", StepUpdate.of("SUCCESS")));
                assertTrue(down.getMessage().startsWith("state store " + u.masked()
                        + ": cannot connect while writing status SUCCESS of step j/during ("), down.getMessage());
                assertTrue(down.getMessage().endsWith("): check that the server runs and accepts connections on"
                        + " 127.0.0.1:" + own.port()), down.getMessage());
                assertFalse(down.getMessage().contains("\n") || down.getMessage().contains(PostgresServer.PASSWORD),
                        down.getMessage());
                assertThrows(StateStoreException.class, () -> store.getStepStatus("etl", "r1", "j", "before"),
                        "reads fail the same way while it is down");
                own.restart();
                // the next calls reconnect: the idle connection was cut by the restart
                assertEquals("SUCCESS", store.getStepStatus("etl", "r1", "j", "before").orElseThrow());
                store.setStepStatus("etl", "r1", "j", "after", StepUpdate.of("SUCCESS"));
                assertTrue(store.heartbeat("etl", "r1"));
                own.stop();
                own.restart();
                // a write is the first call after the restart: repeated once on the new connection
                store.setStepStatus("etl", "r1", "j", "later", StepUpdate.of("SUCCESS"));
                assertEquals(List.of("before", "after", "later"),
                        List.copyOf(store.getStepRecords("etl", "r1", "j").keySet()));
                store.endRun("etl", "r1", RunStatus.SUCCESS, null, null);
            }
        }
    }

    @Test
    void everyCommittedStepSurvivesKillDashNine() throws Exception {
        try (PgStateStore store = PgStores.open(url, StoreOptions.defaults())) {
            assertEquals(3, store.schemaVersion());
        }
        String libpq = "postgresql://" + url.user() + ":" + url.password() + "@" + url.host() + ":" + url.port() + "/"
                + url.database();
        Process child = new ProcessBuilder(StoreChild.command("pgsteps", libpq))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int lastReported = -1;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                lastReported = Integer.parseInt(line);
                if (lastReported >= 100) {
                    break;
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL, possibly in the middle of a transaction
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(lastReported >= 100, "child wrote " + lastReported);
        try (PgStateStore store = PgStores.open(url, StoreOptions.defaults())) {
            Map<String, StepRecord> steps = store.getStepRecords("f", "r", "j");
            for (int i = 0; i <= lastReported; i++) {
                StepRecord s = steps.get("s" + i);
                assertNotNull(s, "committed step s" + i + " lost");
                assertEquals(Map.of("i", (long) i), s.outputs());
            }
        }
        assertEquals(query("SELECT count(*) FROM step_details"), query("SELECT count(*) FROM step_runs"),
                "reference and detail rows committed together");
    }

    private void exec(String sql) throws Exception {
        try (Connection c = PgStores.dataSource(url).getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
