package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
