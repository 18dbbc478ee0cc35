package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.launch.ExitCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class SqliteStateStoreTest {

    @TempDir
    Path dir;

    private static final RunMeta OTHER_HOST = new RunMeta("other-host.example", 4242, "lock-hash", "flow.yaml", "abc");

    private Path db() {
        return dir.resolve("state").resolve("aetherflow.sqlite");
    }

    /** Reads one column of one row with a separate plain connection (what an ops query would see). */
    private static List<List<Object>> query(Path db, String sql) throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static void exec(Path db, String... sql) throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    void createsTheSchemaWithTheReferenceTablesUnchanged() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion());
            assertEquals("wal", store.pragma("journal_mode"));
            assertEquals("2", store.pragma("synchronous"), "FULL");
            assertEquals("30000", store.pragma("busy_timeout"));
        }
        List<List<Object>> tables = query(db(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        assertEquals(List.of("fire_claims", "job_details", "job_runs", "locks", "runs", "step_details", "step_processes",
                "step_runs"),
                tables.stream().map(r -> r.get(0)).toList());
        // name, type, notnull, pk position: exactly the reference's
        assertEquals(List.of(List.of("job_id", "TEXT", 1, 1), List.of("run_id", "TEXT", 1, 2),
                List.of("status", "TEXT", 1, 0), List.of("updated_at", "INTEGER", 1, 0)),
                query(db(), "SELECT name, type, \"notnull\", pk FROM pragma_table_info('job_runs')"));
        assertEquals(List.of(List.of("job_id", "TEXT", 1, 1), List.of("run_id", "TEXT", 1, 2),
                List.of("step_id", "TEXT", 1, 3), List.of("status", "TEXT", 1, 0),
                List.of("updated_at", "INTEGER", 1, 0)),
                query(db(), "SELECT name, type, \"notnull\", pk FROM pragma_table_info('step_runs')"));
        assertEquals(List.of(List.of("key", "TEXT", 1, 1), List.of("owner", "TEXT", 1, 0),
                List.of("expires_at", "INTEGER", 1, 0)),
                query(db(), "SELECT name, type, \"notnull\", pk FROM pragma_table_info('locks')"));
        assertEquals(List.of(List.of("wal")), query(db(), "PRAGMA journal_mode"));
    }

    @Test
    void migratesADatabaseOfThePythonReferenceInPlace() throws Exception {
        Files.createDirectories(db().getParent());
        exec(db(), "PRAGMA journal_mode=WAL",
                "CREATE TABLE IF NOT EXISTS job_runs (job_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT NULL,"
                        + " updated_at INTEGER NOT NULL, PRIMARY KEY (job_id, run_id))",
                "CREATE TABLE IF NOT EXISTS step_runs (job_id TEXT NOT NULL, run_id TEXT NOT NULL, step_id TEXT NOT NULL,"
                        + " status TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (job_id, run_id, step_id))",
                "CREATE TABLE IF NOT EXISTS locks (key TEXT NOT NULL, owner TEXT NOT NULL, expires_at INTEGER NOT NULL,"
                        + " PRIMARY KEY (key))",
                "INSERT INTO job_runs VALUES ('extract', 'oldrun', 'RUNNING', 1700000000)",
                "INSERT INTO step_runs VALUES ('extract', 'oldrun', 'fetch', 'SUCCESS', 1700000001)",
                "INSERT INTO step_runs VALUES ('extract', 'oldrun', 'parse', 'SKIPPED', 1700000002)",
                "INSERT INTO locks VALUES ('nightly', 'oldrun', 4000000000)");
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion());
            // the reference's rows are still honoured for resume, as legacy rows without outputs
            assertEquals("SUCCESS", store.getStepStatus("any-flow", "oldrun", "extract", "fetch").orElseThrow());
            StepRecord legacy = store.getStepRecord("any-flow", "oldrun", "extract", "parse").orElseThrow();
            assertTrue(legacy.legacy());
            assertTrue(legacy.completed());
            assertEquals(1700000002000L, legacy.updatedAtMs());
            assertEquals(List.of("fetch", "parse"),
                    List.copyOf(store.getStepRecords("any-flow", "oldrun", "extract").keySet()));
            assertEquals("RUNNING", store.getJobRecord("f", "oldrun", "extract").orElseThrow().status());
            assertEquals("oldrun", store.getLock("nightly").orElseThrow().owner());
            // new writes land next to the old rows
            store.setStepStatus("f", "newrun", "extract", "fetch", StepUpdate.of("SUCCESS"));
        }
        assertEquals(List.of(List.of("extract", "oldrun", "RUNNING", 1700000000)),
                query(db(), "SELECT * FROM job_runs"));
        assertEquals(3, query(db(), "SELECT * FROM step_runs").size());
        assertEquals(List.of(List.of(3)), query(db(), "PRAGMA user_version"));
        // reopening an up-to-date file migrates nothing and keeps everything
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals("SUCCESS", store.getStepStatus("f", "newrun", "extract", "fetch").orElseThrow());
            assertFalse(store.getStepRecord("f", "newrun", "extract", "fetch").orElseThrow().legacy());
        }
    }

    @Test
    void refusesASchemaNewerThanItUnderstands() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion());
        }
        exec(db(), "PRAGMA user_version = 99");
        StateStoreException e = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(db()));
        assertEquals("state store " + db() + " has schema version 99, newer than this AetherFlow understands (3):"
                + " upgrade AetherFlow or set flow.state.path to another file", e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
    }

    @Test
    void writesReferenceAndDetailRowsForJobsAndSteps() throws Exception {
        MutableClock clock = MutableClock.now();
        try (SqliteStateStore store = SqliteStateStore.open(db(), StoreOptions.defaults().withClock(clock))) {
            store.setJobStatus("flow", "r1", "job", JobUpdate.running(1_000));
            assertEquals(List.of(List.of("job", "r1", "RUNNING", (int) (clock.millis() / 1000))),
                    query(db(), "SELECT job_id, run_id, status, updated_at FROM job_runs"));
            store.setStepStatus("flow", "r1", "job", "s1", new StepUpdate("SUCCESS", "external.process",
                    "io.aetherflow.steps.process 1.0.0", 1_100L, 1_350L, Map.of("exit_code", 0L), null));
            clock.advance(Duration.ofSeconds(3));
            store.setJobStatus("flow", "r1", "job", JobUpdate.finished("FAILED", 2_000, Map.of("n", 3L),
                    "step s2 failed: boom"));

            JobRecord job = store.getJobRecord("flow", "r1", "job").orElseThrow();
            assertEquals("FAILED", job.status());
            assertEquals(1_000L, job.startedAtMs(), "the start written with RUNNING is kept");
            assertEquals(2_000L, job.endedAtMs());
            assertEquals(1_000L, job.durationMs());
            assertEquals(Map.of("n", 3L), job.outputs());
            assertEquals("step s2 failed: boom", job.error());
            assertFalse(job.legacy());
            assertEquals(List.of(List.of("FAILED", (int) (clock.millis() / 1000))),
                    query(db(), "SELECT status, updated_at FROM job_runs WHERE job_id = 'job' AND run_id = 'r1'"));

            StepRecord step = store.getStepRecord("flow", "r1", "job", "s1").orElseThrow();
            assertEquals("external.process", step.stepType());
            assertEquals("io.aetherflow.steps.process 1.0.0", step.servedBy());
            assertEquals(250L, step.durationMs());
            assertEquals(List.of(List.of("job", "r1", "s1", "SUCCESS")),
                    query(db(), "SELECT job_id, run_id, step_id, status FROM step_runs"));

            // a later write without type/start keeps them
            store.setStepStatus("flow", "r1", "job", "s1", new StepUpdate("SKIPPED", null, null, null, 1_500L,
                    Map.of(), null));
            StepRecord again = store.getStepRecord("flow", "r1", "job", "s1").orElseThrow();
            assertEquals("external.process", again.stepType());
            assertEquals(400L, again.durationMs());
            assertEquals(Map.of(), again.outputs());
        }
    }

    @Test
    void outputsRoundTripAsJson() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of(1L, "two", 3.5, true));
        nested.put("nothing", null);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("text", "quote \" backslash \\ newline \n ünïcødé ✓");
        outputs.put("count", 42L);
        outputs.put("big", Long.MAX_VALUE);
        outputs.put("ok", false);
        outputs.put("nested", nested);
        outputs.put("empty", Map.of());
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.setStepStatus("f", "r", "j", "s", StepUpdate.finished("SUCCESS", "t", null, 1, 2, outputs));
            store.setJobStatus("f", "r", "j", JobUpdate.finished("SUCCESS", 5, outputs, null));
        }
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(outputs, store.getStepRecord("f", "r", "j", "s").orElseThrow().outputs());
            assertEquals(outputs, store.getJobRecord("f", "r", "j").orElseThrow().outputs());
            assertEquals(List.copyOf(outputs.keySet()),
                    List.copyOf(store.getStepRecord("f", "r", "j", "s").orElseThrow().outputs().keySet()),
                    "key order kept");
        }
    }

    @Test
    void damagedStoredOutputsFailWithAClearMessageWhenUsed() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.setStepStatus("f", "r", "j", "s", StepUpdate.finished("SUCCESS", "t", null, 1, 2, Map.of("a", 1L)));
            exec(db(), "UPDATE step_details SET outputs_json = '{\"a\": ' WHERE step_id = 's'");
            StepRecord r = store.getStepRecord("f", "r", "j", "s").orElseThrow();
            assertEquals("SUCCESS", r.status(), "the status is usable without the outputs");
            StateStoreException e = assertThrows(StateStoreException.class, () -> r.outputs().get("a"));
            assertTrue(e.getMessage().startsWith("stored outputs of step j/s are not valid JSON ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("): the state store was edited or is damaged; rerun with a new run id"),
                    e.getMessage());
        }
    }

    @Test
    void resumeLookupsAreKeyedByFlow() {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.setStepStatus("flowA", "nightly", "main", "s1", StepUpdate.of("SUCCESS"));
            store.setStepStatus("flowA", "nightly", "main", "s2", StepUpdate.of("SKIPPED"));
            store.setStepStatus("flowA", "nightly", "main", "s3", StepUpdate.of("CUSTOM"));
            assertEquals("SUCCESS", store.getStepStatus("flowA", "nightly", "main", "s1").orElseThrow());
            assertTrue(store.getStepStatus("flowA", "nightly", "main", "s4").isEmpty());
            // another flow with equal run/job/step ids does not see flow A's rows (the reference would)
            assertTrue(store.getStepStatus("flowB", "nightly", "main", "s1").isEmpty());
            assertTrue(store.getStepRecords("flowB", "nightly", "main").isEmpty());
            Map<String, StepRecord> steps = store.getStepRecords("flowA", "nightly", "main");
            assertEquals(List.of("s1", "s2", "s3"), List.copyOf(steps.keySet()));
            assertEquals(List.of(true, true, false), steps.values().stream().map(StepRecord::completed).toList());
            assertTrue(store.getJobRecord("flowA", "nightly", "main").isEmpty());
        }
    }

    @Test
    void runLifecycleListAndShow() throws Exception {
        MutableClock clock = MutableClock.now();
        StoreOptions options = StoreOptions.defaults().withClock(clock);
        try (SqliteStateStore store = SqliteStateStore.open(db(), options)) {
            RunMeta meta = RunMeta.current("sha256:lock", "/flows/etl.yaml", "f00d");
            RunStart start = store.beginRun("etl", "r1", meta);
            assertFalse(start.resumed());
            assertEquals(RunStatus.RUNNING, start.run().status());
            assertEquals(ProcessHandle.current().pid(), start.run().pid());
            assertEquals(meta.host(), start.run().host());
            assertEquals(1, start.run().attempt());
            store.setJobStatus("etl", "r1", "extract", JobUpdate.running(clock.millis()));
            store.setStepStatus("etl", "r1", "extract", "fetch", StepUpdate.of("SUCCESS"));
            clock.advance(Duration.ofSeconds(2));
            assertTrue(store.heartbeat("etl", "r1"));
            store.setJobStatus("etl", "r1", "extract", JobUpdate.finished("SUCCESS", clock.millis(), Map.of(), null));
            store.endRun("etl", "r1", RunStatus.SUCCESS, null, "{\"jobs\": 1}");
            assertThrows(IllegalStateException.class, () -> store.heartbeat("etl", "r1"), "ended runs do not beat");

            clock.advance(Duration.ofSeconds(1));
            store.beginRun("other", "r2", meta);
            store.endRun("other", "r2", RunStatus.FAILED, "job x failed: boom", null);

            List<RunRecord> runs = store.listRuns(10, null);
            assertEquals(List.of("r2", "r1"), runs.stream().map(RunRecord::runId).toList());
            assertEquals(List.of("r1"), store.listRuns(10, "etl").stream().map(RunRecord::runId).toList());
            assertEquals(1, store.listRuns(1, null).size());

            RunDetails d = store.getRun("r1").orElseThrow();
            assertEquals(RunStatus.SUCCESS, d.run().status());
            assertEquals("{\"jobs\": 1}", d.run().summaryJson());
            assertEquals("sha256:lock", d.run().pluginSetHash());
            assertEquals("/flows/etl.yaml", d.run().flowYaml());
            assertEquals("f00d", d.run().flowSha256());
            assertEquals(2_000L, d.run().durationMs());
            assertEquals(List.of("extract"), d.jobs().stream().map(JobRecord::jobId).toList());
            assertEquals(List.of("fetch"), d.steps().stream().map(StepRecord::stepId).toList());
            assertEquals("job x failed: boom", store.getRun("other", "r2").orElseThrow().run().error());
            assertTrue(store.getRun("nope").isEmpty());

            // resume: same run id again
            RunStart resumed = store.beginRun("etl", "r1", meta);
            assertTrue(resumed.resumed());
            assertEquals(RunStatus.SUCCESS, resumed.previous().status());
            assertEquals(2, resumed.run().attempt());
            assertNull(resumed.run().endedAtMs());
            assertNull(resumed.run().summaryJson());
            store.endRun("etl", "r1", RunStatus.SUCCESS, null, null);

            // the same run id in another flow makes the short form ambiguous
            store.beginRun("other", "r1", meta);
            StateStoreException e = assertThrows(StateStoreException.class, () -> store.getRun("r1"));
            assertEquals("run id r1 exists for several flows (etl, other) in state store " + db()
                    + ": name the flow too", e.getMessage());
            assertThrows(IllegalStateException.class, () -> store.endRun("etl", "never", RunStatus.SUCCESS, null, null));
        }
    }

    @Test
    void refusesToBeginARunThatIsStillAlive() {
        try (SqliteStateStore store = SqliteStateStore.open(db());
                SqliteStateStore second = SqliteStateStore.open(db())) {
            store.beginRun("etl", "r1", RunMeta.current(null, null, null));
            RunActiveException e = assertThrows(RunActiveException.class,
                    () -> second.beginRun("etl", "r1", RunMeta.current(null, null, null)));
            assertEquals(ExitCodes.LOCK_BUSY, e.exitCode());
            assertTrue(e.getMessage().startsWith("run r1 of flow etl is still running (pid "
                    + ProcessHandle.current().pid() + " on "), e.getMessage());
            assertTrue(e.getMessage().endsWith(": wait for it to finish or use another --run-id"), e.getMessage());
            assertEquals(1, store.getRun("etl", "r1").orElseThrow().run().attempt(), "refusal wrote nothing");
            // a live run elsewhere with a fresh heartbeat is refused too
            store.beginRun("etl", "r2", OTHER_HOST);
            assertThrows(RunActiveException.class, () -> second.beginRun("etl", "r2", RunMeta.current(null, null, null)));
        }
    }

    @Test
    void aRunWhoseProcessIsGoneIsMarkedInterrupted() throws Exception {
        long deadPid = Integer.MAX_VALUE; // above any pid_max
        assertTrue(ProcessHandle.of(deadPid).isEmpty());
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.beginRun("etl", "alive", RunMeta.current(null, null, null));
            RunMeta dead = new RunMeta(store.options().host(), deadPid, null, "f.yaml", null);
            store.beginRun("etl", "crashed", dead);
            store.setJobStatus("etl", "crashed", "done", JobUpdate.finished("SUCCESS", 10, Map.of(), null));
            store.setJobStatus("etl", "crashed", "busy", JobUpdate.running(5));
            store.setStepStatus("etl", "crashed", "busy", "s1", StepUpdate.of("SUCCESS"));
            store.setStepStatus("etl", "crashed", "busy", "s2", new StepUpdate("RUNNING", "t", null, 6L, null,
                    Map.of(), null));

            List<RunRecord> marked = store.markDeadRuns();
            assertEquals(List.of("crashed"), marked.stream().map(RunRecord::runId).toList());
            RunRecord r = marked.get(0);
            assertEquals(RunStatus.INTERRUPTED, r.status());
            assertEquals("run interrupted: process " + deadPid + " on " + store.options().host() + " is gone",
                    r.error());
            assertNotNull(r.endedAtMs());
            assertEquals(RunStatus.RUNNING, store.getRun("etl", "alive").orElseThrow().run().status());
            assertEquals(List.of(List.of("busy", "INTERRUPTED"), List.of("done", "SUCCESS")),
                    query(db(), "SELECT job_id, status FROM job_runs WHERE run_id = 'crashed' ORDER BY job_id"));
            assertEquals(List.of(List.of("s1", "SUCCESS"), List.of("s2", "INTERRUPTED")),
                    query(db(), "SELECT step_id, status FROM step_runs WHERE run_id = 'crashed' ORDER BY step_id"));
            JobRecord busy = store.getJobRecord("etl", "crashed", "busy").orElseThrow();
            assertEquals("INTERRUPTED", busy.status());
            assertEquals(r.error(), busy.error());
            assertTrue(store.markDeadRuns().isEmpty(), "nothing left to mark");

            // resume of the interrupted run is allowed; s1 is skipped, s2 re-runs
            RunStart resumed = store.beginRun("etl", "crashed", RunMeta.current(null, null, null));
            assertEquals(RunStatus.INTERRUPTED, resumed.previous().status());
            Map<String, StepRecord> steps = store.getStepRecords("etl", "crashed", "busy");
            assertTrue(steps.get("s1").completed());
            assertFalse(steps.get("s2").completed());
        }
    }

    @Test
    void beginRunMarksItsOwnDeadPredecessorAndReportsIt() {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.beginRun("etl", "r", new RunMeta(store.options().host(), Integer.MAX_VALUE, null, null, null));
            RunStart start = store.beginRun("etl", "r", RunMeta.current(null, null, null));
            assertEquals(List.of("r"), start.interrupted().stream().map(RunRecord::runId).toList());
            assertEquals(RunStatus.INTERRUPTED, start.previous().status());
            assertEquals(RunStatus.RUNNING, start.run().status());
        }
    }

    @Test
    void aRunOnAnotherHostIsDeadOnlyWhenItsHeartbeatIsStale() {
        MutableClock clock = MutableClock.now();
        StoreOptions options = StoreOptions.defaults().withClock(clock);
        try (SqliteStateStore remote = SqliteStateStore.open(db(), options);
                SqliteStateStore local = SqliteStateStore.open(db(), options)) {
            remote.beginRun("etl", "r", OTHER_HOST);
            clock.advance(Duration.ofSeconds(10));
            assertTrue(remote.heartbeat("etl", "r"));
            clock.advance(Duration.ofSeconds(14));
            assertTrue(local.markDeadRuns().isEmpty(), "14 s since the last beat < 15 s");
            clock.advance(Duration.ofSeconds(2));
            List<RunRecord> marked = local.markDeadRuns();
            assertEquals(1, marked.size());
            assertEquals("run interrupted: no heartbeat for 16 s (process 4242 on other-host.example)",
                    marked.get(0).error());
            assertEquals(clock.millis() - 16_000, marked.get(0).endedAtMs(), "ended at the last sign of life");
            // the remote process learns it lost the run at its next beat
            assertFalse(remote.heartbeat("etl", "r"));
        }
    }

    @Test
    void runHeartbeatKeepsTheRunFreshFromABackgroundThread() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            long begun = store.beginRun("etl", "r", RunMeta.current(null, null, null)).run().heartbeatAtMs();
            List<String> problems = new ArrayList<>();
            try (RunHeartbeat hb = RunHeartbeat.start(store, "etl", "r", Duration.ofMillis(50), problems::add)) {
                long deadline = System.currentTimeMillis() + 5_000;
                while (store.getRun("etl", "r").orElseThrow().run().heartbeatAtMs() == begun
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertFalse(hb.lost());
            }
            assertTrue(store.getRun("etl", "r").orElseThrow().run().heartbeatAtMs() > begun);
            assertEquals(List.of(), problems);

            // when another process takes the run away, the heartbeat reports it once
            store.endRun("etl", "r", RunStatus.INTERRUPTED, "test", null);
            store.beginRun("etl", "r2", RunMeta.current(null, null, null));
            exec(db(), "UPDATE runs SET status = 'INTERRUPTED' WHERE run_id = 'r2'");
            try (RunHeartbeat hb = RunHeartbeat.start(store, "etl", "r2", Duration.ofMillis(20), problems::add)) {
                long deadline = System.currentTimeMillis() + 5_000;
                while (!hb.lost() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(100);
                assertTrue(hb.lost());
            }
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("run r2 of flow etl is no longer RUNNING for this process"));
        }
    }

    @Test
    void endRunInterruptedMarksRunningJobsAndSteps() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.setJobStatus("etl", "r", "j", JobUpdate.running(1));
            store.endRun("etl", "r", RunStatus.INTERRUPTED, "interrupted by SIGTERM", null);
            assertEquals("INTERRUPTED", store.getJobRecord("etl", "r", "j").orElseThrow().status());
            assertEquals(List.of(List.of("INTERRUPTED")), query(db(), "SELECT status FROM job_runs"));
            assertEquals("interrupted by SIGTERM", store.getRun("etl", "r").orElseThrow().run().error());
        }
    }

    @Test
    void aWriteBlockedByAnotherProcessFailsWithTheLockedMessage() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db(),
                StoreOptions.defaults().withBusyTimeout(Duration.ofMillis(300)))) {
            Process child = new ProcessBuilder(StoreChild.command("hold", db().toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals("LOCKED", out.readLine());
                long t0 = System.nanoTime();
                StateStoreException e = assertThrows(StateStoreException.class,
                        () -> store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS")));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals("state store " + db() + " is locked by another process (waited 300 ms while writing"
                        + " status SUCCESS of step j/s): find the process holding it (fuser " + db()
                        + ") and let it finish, or stop it", e.getMessage());
                assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
                assertTrue(ms >= 250 && ms < 5_000, "waited " + ms + " ms");
                // reads still work in WAL mode while the other process writes
                assertTrue(store.getStepStatus("f", "r", "j", "s").isEmpty());
                OutputStream in = child.getOutputStream();
                in.write('\n');
                in.flush();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, child.exitValue());
            } finally {
                child.destroyForcibly();
            }
            // the failed write left nothing behind and the store is usable again
            assertEquals(List.of(), query(db(), "SELECT * FROM step_runs"));
            store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS"));
            assertEquals("SUCCESS", store.getStepStatus("f", "r", "j", "s").orElseThrow());
            assertTrue(store.getLock("child").isEmpty(), "the child's insert was rolled back");
        }
    }

    @Test
    void everyCommittedStepSurvivesKillDashNine() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion()); // create the schema before the child races it
        }
        Process child = new ProcessBuilder(StoreChild.command("steps", db().toString()))
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
            child.destroyForcibly(); // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(lastReported >= 100, "child wrote " + lastReported);
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            Map<String, StepRecord> steps = store.getStepRecords("f", "r", "j");
            for (int i = 0; i <= lastReported; i++) {
                StepRecord s = steps.get("s" + i);
                assertNotNull(s, "committed step s" + i + " lost");
                assertEquals(Map.of("i", (long) i), s.outputs());
            }
        }
        assertEquals(List.of(List.of("ok")), query(db(), "PRAGMA integrity_check"));
        assertEquals(query(db(), "SELECT count(*) FROM step_details"), query(db(), "SELECT count(*) FROM step_runs"),
                "reference and detail rows committed together");
    }

    @Test
    void aCorruptFileGivesAClearMessage() throws Exception {
        Files.createDirectories(db().getParent());
        byte[] garbage = new byte[8192];
        new Random(7).nextBytes(garbage);
        Files.write(db(), garbage);
        StateStoreException e = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(db()));
        assertEquals("state store " + db() + " is not a valid SQLite database (corrupt?): move it aside and rerun",
                e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
        assertTrue(Arrays.equals(garbage, Files.readAllBytes(db())), "the file was not touched");
    }

    @Test
    void anUnwritableDirectoryGivesAClearMessage() throws Exception {
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean immutable = false;
        if (root) {
            // root ignores permission bits; an immutable directory refuses even root
            immutable = new ProcessBuilder("chattr", "+i", ro.toString()).start().waitFor() == 0;
            assumeTrue(immutable, "running as root without chattr: cannot make a directory unwritable");
        } else {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            Path db = ro.resolve("sub").resolve("state.sqlite");
            StateStoreException e = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(db));
            String reason = root ? "operation not permitted" : "permission denied";
            assertEquals("state store " + db + ": cannot create directory " + db.getParent() + ": " + reason
                    + "; set flow.state.path to a writable location", e.getMessage());
            Path direct = ro.resolve("state.sqlite");
            StateStoreException e2 = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(direct));
            assertEquals("state store " + direct + ": cannot create the file: " + reason
                    + "; set flow.state.path to a writable location", e2.getMessage());
        } finally {
            if (immutable) {
                new ProcessBuilder("chattr", "-i", ro.toString()).start().waitFor();
            } else if (!root) {
                Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    void aFileInThePlaceOfTheDirectoryGivesAClearMessage() throws Exception {
        Path blocker = dir.resolve("state");
        Files.writeString(blocker, "not a directory");
        StateStoreException e = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(db()));
        assertEquals("state store " + db() + ": cannot create directory " + blocker + ": a file is in the way of "
                + blocker + "; set flow.state.path to a writable location", e.getMessage());
    }

    @Test
    void theFileIsCreatedWithMode0600() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db())));
            Path wal = Path.of(db() + "-wal");
            assertTrue(Files.exists(wal));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)),
                    "SQLite gives the WAL the database file's mode");
        }
    }

    @Test
    void closedStoreRefusesCalls() {
        SqliteStateStore store = SqliteStateStore.open(db());
        store.close();
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.getStepStatus("f", "r", "j", "s"));
        assertEquals("state store " + db() + " is closed", e.getMessage());
    }

    @Test
    void measuresTheCostOfStepStatusWrites() throws IOException {
        int n = 1000;
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            Map<String, Object> outputs = Map.of("exit_code", 0L, "stdout", "hello");
            for (int i = 0; i < 50; i++) { // warm-up
                store.setStepStatus("f", "warm", "j", "s" + i, StepUpdate.finished("SUCCESS", "t", "b 1", 1, 2, outputs));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.setStepStatus("f", "r", "j", "s" + i, StepUpdate.finished("SUCCESS", "t", "b 1", 1, 2, outputs));
            }
            long writeNs = System.nanoTime() - t0;
            store.getStepRecords("f", "warm", "j");
            t0 = System.nanoTime();
            Map<String, StepRecord> all = store.getStepRecords("f", "r", "j");
            long bulkNs = System.nanoTime() - t0;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.getStepStatus("f", "r", "j", "s" + i);
            }
            long lookupNs = System.nanoTime() - t0;
            assertEquals(n, all.size());
            // the writes without a sync of their own: RUNNING rows and child-process records
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.setStepStatus("f", "r2", "j", "s" + i, new StepUpdate("RUNNING", "t", "b 1", 1L, null, Map.of(), null));
            }
            long runningNs = System.nanoTime() - t0;
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                store.recordProcess("f", "r2", "j", "s" + i, 100_000 + i, 100_000 + i, 1L);
            }
            long recordNs = System.nanoTime() - t0;
            System.out.printf("[state-store bench] %d RUNNING rows: %.3f ms/write; %d process records: %.3f ms/write"
                    + " (no sync of their own)%n", n, runningNs / 1e6 / n, n, recordNs / 1e6 / n);
            System.out.printf("[state-store bench] %d step status writes: %.1f ms total, %.3f ms/write;"
                    + " bulk read of %d records: %.1f ms; %d single status lookups: %.1f ms (file system: %s)%n",
                    n, writeNs / 1e6, writeNs / 1e6 / n, n, bulkNs / 1e6, n, lookupNs / 1e6,
                    Files.getFileStore(dir).type());
        }
    }

    // ------------------------------------------------------------------ child processes (schema 2)

    /** A real child in its own process group: setsid sh -c 'sleep 60' (the group has two processes). */
    private static Process groupLeader() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid")),
                "setsid(1) needed");
        Process p = new ProcessBuilder("setsid", "/bin/sh", "-c", "sleep 60; true").start();
        return p;
    }

    private static long startMs(Process p) {
        return p.toHandle().info().startInstant().orElseThrow().toEpochMilli();
    }

    @Test
    void migratesAVersion1FileInPlaceAddingTheProcessTable() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS"));
        }
        exec(db(), "DROP TABLE step_processes", "DROP TABLE fire_claims", "PRAGMA user_version = 1");
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion());
            assertEquals("SUCCESS", store.getStepStatus("f", "r", "j", "s").orElseThrow());
        }
        assertEquals(List.of(List.of(0)), query(db(), "SELECT COUNT(*) FROM step_processes"));
        assertEquals(List.of(List.of(0)), query(db(), "SELECT COUNT(*) FROM fire_claims"));
    }

    @Test
    void theChildOfADeadRunIsKilledWhenTheRunIsFoundDead() throws Exception {
        Process child = groupLeader();
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.beginRun("etl", "crashed", new RunMeta(store.options().host(), Integer.MAX_VALUE, null, null, null));
            store.setStepStatus("etl", "crashed", "j", "s", new StepUpdate("RUNNING", "t", null, 1L, null, Map.of(), null));
            store.recordProcess("etl", "crashed", "j", "s", child.pid(), child.pid(), startMs(child));
            assertEquals(child.pid(), ((Number) query(db(), "SELECT pgid FROM step_processes").get(0).get(0)).longValue());
            store.markDeadRuns();
            assertTrue(child.waitFor(5, TimeUnit.SECONDS), "the dead run's child was not killed");
            assertEquals(List.of("killed 2 process(es) of process group " + child.pid()
                    + " left running by step j/s of dead run crashed (flow etl)"), store.takeReaped());
            assertEquals(List.of(), store.takeReaped());
        } finally {
            child.destroyForcibly();
        }
        assertEquals(List.of(), query(db(), "SELECT * FROM step_processes"));
    }

    @Test
    void aRecordWhosePidNowBelongsToANewerProcessKillsNothing() throws Exception {
        Process bystander = groupLeader();
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.beginRun("etl", "crashed", new RunMeta(store.options().host(), Integer.MAX_VALUE, null, null, null));
            // recorded start one minute before the live process with that pid started: reused pid
            store.recordProcess("etl", "crashed", "j", "s", bystander.pid(), bystander.pid(), startMs(bystander) - 60_000);
            store.markDeadRuns();
            assertFalse(bystander.waitFor(300, TimeUnit.MILLISECONDS), "a reused pid was killed");
            assertEquals(List.of(), store.takeReaped());
        } finally {
            bystander.destroyForcibly();
        }
        assertEquals(List.of(), query(db(), "SELECT * FROM step_processes"), "the stale record is dropped");
    }

    @Test
    void takingOverAnExpiredLeaseKillsTheDeadHoldersChildFirst() throws Exception {
        Process child = groupLeader();
        MutableClock clock = new MutableClock(System.currentTimeMillis());
        try (SqliteStateStore store = SqliteStateStore.open(db(), StoreOptions.defaults().withClock(clock))) {
            store.beginRun("etl", "me", RunMeta.current(null, null, null));
            // the holder began while alive (as seen then), then died: only the takeover can notice
            exec(db(), "INSERT INTO runs (flow_id, run_id, status, started_at_ms, heartbeat_at_ms, host, pid, attempt)"
                    + " VALUES ('etl', 'holder', 'RUNNING', " + clock.millis() + ", " + clock.millis() + ", '"
                    + store.options().host() + "', " + Integer.MAX_VALUE + ", 1)",
                    "INSERT INTO locks VALUES ('k', 'holder', " + (clock.millis() / 1000 + 2) + ")");
            store.recordProcess("etl", "holder", "j", "s", child.pid(), child.pid(), startMs(child));
            assertEquals(LockEvent.Kind.BUSY, store.acquireLock("k", "me", 2).kind());
            assertTrue(child.isAlive(), "busy: nothing is killed before the lease expires");
            clock.advance(Duration.ofSeconds(3));
            assertEquals(LockEvent.Kind.TAKEN_OVER, store.acquireLock("k", "me", 2).kind());
            assertTrue(child.waitFor(5, TimeUnit.SECONDS), "the dead holder's child still runs after the takeover");
            assertEquals(1, store.takeReaped().size());
            assertEquals(RunStatus.INTERRUPTED, store.getRun("etl", "holder").orElseThrow().run().status());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aStepsEndDropsItsProcessRowsAndARunningRowNamesTheStep() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.setStepStatus("etl", "r", "j", "s", new StepUpdate("RUNNING", "t", "b 1", 5L, null, Map.of(), null));
            assertEquals("RUNNING", store.getStepStatus("etl", "r", "j", "s").orElseThrow());
            assertEquals(List.of(List.of("RUNNING")), query(db(), "SELECT status FROM step_runs"));
            store.recordProcess("etl", "r", "j", "s", 1234567, -1, null);
            assertEquals(List.of(Arrays.asList(1234567, null)), query(db(), "SELECT pid, pgid FROM step_processes"));
            store.setStepStatus("etl", "r", "j", "s", StepUpdate.finished("SUCCESS", "t", "b 1", 5, 9, Map.of()));
            assertEquals(List.of(), query(db(), "SELECT * FROM step_processes"));
            assertEquals(List.of(List.of("SUCCESS", 5, 4)),
                    query(db(), "SELECT status, started_at_ms, duration_ms FROM step_details"));
            // the RUNNING write is not durable on its own, and the connection is back to FULL afterwards
            assertEquals("2", store.pragma("synchronous"));
        }
    }

    @Test
    void endRunFailedGivesStepsStillRunningTheRunsStatus() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.setJobStatus("etl", "r", "j", JobUpdate.running(5));
            store.setStepStatus("etl", "r", "j", "s", new StepUpdate("RUNNING", "t", null, 5L, null, Map.of(), null));
            store.endRun("etl", "r", RunStatus.FAILED, "state store busy", null);
            assertEquals("FAILED", store.getStepStatus("etl", "r", "j", "s").orElseThrow());
            assertEquals("FAILED", store.getJobRecord("etl", "r", "j").orElseThrow().status());
        }
        assertEquals(List.of(List.of("FAILED")), query(db(), "SELECT status FROM step_runs"));
        assertEquals(List.of(List.of("FAILED")), query(db(), "SELECT status FROM job_runs"));
    }
}
