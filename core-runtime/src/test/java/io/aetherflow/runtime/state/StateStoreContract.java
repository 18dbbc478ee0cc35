package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.launch.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The state-store contract, run against every backend: {@link SqliteStateStoreTest} (a file in a
 * temp directory) and {@link PgStateStoreContractTest} (a fresh database on one PostgreSQL server
 * per test JVM). Backend-specific behaviour (pragmas, file modes, SQLSTATEs) is tested in the
 * subclasses and in {@link PgStateStoreTest}.
 */
abstract class StateStoreContract {

    static final RunMeta OTHER_HOST = new RunMeta("other-host.example", 4242, "lock-hash", "flow.yaml", "abc");

    /** @return a store on this test's database (the same one on every call: two instances = two processes) */
    abstract StateStore open(StoreOptions options);

    /** @return how the store names its location in messages (the file, or the masked URL) */
    abstract String where();

    /** Runs a query on a separate plain connection (what an ops query would see). */
    abstract List<List<Object>> rawQuery(String sql) throws SQLException;

    /** Runs statements on a separate plain connection (edits behind the store's back). */
    abstract void exec(String... sql) throws SQLException;

    /** After a non-durable write: the store's session is back to durable commits (backend check). */
    void assertDurableSessionRestored(StateStore store) {
    }

    final StateStore open() {
        return open(StoreOptions.defaults());
    }

    /** {@link #rawQuery} with every integer widened to Long (SQLite INTEGER vs PostgreSQL INTEGER/BIGINT). */
    final List<List<Object>> query(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> raw : rawQuery(sql)) {
            List<Object> row = new ArrayList<>();
            for (Object v : raw) {
                row.add(v instanceof Integer || v instanceof Short ? Long.valueOf(((Number) v).longValue()) : v);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * A real child in its own process group: setsid sh -c 'sleep 60' (the group has two processes),
     * returned once the shell has started its sleep.
     */
    static Process groupLeader() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid")),
                "setsid(1) needed");
        Process p = new ProcessBuilder("setsid", "/bin/sh", "-c", "sleep 60; true").start();
        long end = System.nanoTime() + 30_000_000_000L;
        while (p.toHandle().children().findAny().isEmpty()) {
            if (System.nanoTime() > end) {
                p.destroyForcibly();
                throw new AssertionError("the shell of the test's process group never started its sleep");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return p;
    }

    static long startMs(Process p) {
        return p.toHandle().info().startInstant().orElseThrow().toEpochMilli();
    }

    @Test
    void writesReferenceAndDetailRowsForJobsAndSteps() throws Exception {
        MutableClock clock = MutableClock.now();
        try (StateStore store = open(StoreOptions.defaults().withClock(clock))) {
            store.setJobStatus("flow", "r1", "job", JobUpdate.running(1_000));
            assertEquals(List.of(List.of("job", "r1", "RUNNING", clock.millis() / 1000)),
                    query("SELECT job_id, run_id, status, updated_at FROM job_runs"));
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
            assertEquals(List.of(List.of("FAILED", clock.millis() / 1000)),
                    query("SELECT status, updated_at FROM job_runs WHERE job_id = 'job' AND run_id = 'r1'"));

            StepRecord step = store.getStepRecord("flow", "r1", "job", "s1").orElseThrow();
            assertEquals("external.process", step.stepType());
            assertEquals("io.aetherflow.steps.process 1.0.0", step.servedBy());
            assertEquals(250L, step.durationMs());
            assertEquals(List.of(List.of("job", "r1", "s1", "SUCCESS")),
                    query("SELECT job_id, run_id, step_id, status FROM step_runs"));

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
        try (StateStore store = open()) {
            store.setStepStatus("f", "r", "j", "s", StepUpdate.finished("SUCCESS", "t", null, 1, 2, outputs));
            store.setJobStatus("f", "r", "j", JobUpdate.finished("SUCCESS", 5, outputs, null));
        }
        try (StateStore store = open()) {
            assertEquals(outputs, store.getStepRecord("f", "r", "j", "s").orElseThrow().outputs());
            assertEquals(outputs, store.getJobRecord("f", "r", "j").orElseThrow().outputs());
            assertEquals(List.copyOf(outputs.keySet()),
                    List.copyOf(store.getStepRecord("f", "r", "j", "s").orElseThrow().outputs().keySet()),
                    "key order kept");
        }
    }

    @Test
    void damagedStoredOutputsFailWithAClearMessageWhenUsed() throws Exception {
        try (StateStore store = open()) {
            store.setStepStatus("f", "r", "j", "s", StepUpdate.finished("SUCCESS", "t", null, 1, 2, Map.of("a", 1L)));
            exec("UPDATE step_details SET outputs_json = '{\"a\": ' WHERE step_id = 's'");
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
        try (StateStore store = open()) {
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
        try (StateStore store = open(options)) {
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
            assertEquals("run id r1 exists for several flows (etl, other) in state store " + where()
                    + ": name the flow too", e.getMessage());
            assertThrows(IllegalStateException.class, () -> store.endRun("etl", "never", RunStatus.SUCCESS, null, null));
        }
    }

    @Test
    void refusesToBeginARunThatIsStillAlive() {
        try (StateStore store = open();
                StateStore second = open()) {
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
        try (StateStore store = open()) {
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
                    query("SELECT job_id, status FROM job_runs WHERE run_id = 'crashed' ORDER BY job_id"));
            assertEquals(List.of(List.of("s1", "SUCCESS"), List.of("s2", "INTERRUPTED")),
                    query("SELECT step_id, status FROM step_runs WHERE run_id = 'crashed' ORDER BY step_id"));
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
        try (StateStore store = open()) {
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
        try (StateStore remote = open(options);
                StateStore local = open(options)) {
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
        try (StateStore store = open()) {
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
            exec("UPDATE runs SET status = 'INTERRUPTED' WHERE run_id = 'r2'");
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
        try (StateStore store = open()) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.setJobStatus("etl", "r", "j", JobUpdate.running(1));
            store.endRun("etl", "r", RunStatus.INTERRUPTED, "interrupted by SIGTERM", null);
            assertEquals("INTERRUPTED", store.getJobRecord("etl", "r", "j").orElseThrow().status());
            assertEquals(List.of(List.of("INTERRUPTED")), query("SELECT status FROM job_runs"));
            assertEquals("interrupted by SIGTERM", store.getRun("etl", "r").orElseThrow().run().error());
        }
    }

    @Test
    void closedStoreRefusesCalls() {
        StateStore store = open();
        store.close();
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.getStepStatus("f", "r", "j", "s"));
        assertEquals("state store " + where() + " is closed", e.getMessage());
    }

    @Test
    void measuresTheCostOfStepStatusWrites() throws IOException {
        int n = 1000;
        try (StateStore store = open()) {
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
                    + " bulk read of %d records: %.1f ms; %d single status lookups: %.1f ms (store: %s)%n",
                    n, writeNs / 1e6, writeNs / 1e6 / n, n, bulkNs / 1e6, n, lookupNs / 1e6,
                    where());
        }
    }

    @Test
    void theChildOfADeadRunIsKilledWhenTheRunIsFoundDead() throws Exception {
        Process child = groupLeader();
        try (StateStore store = open()) {
            store.beginRun("etl", "crashed", new RunMeta(store.options().host(), Integer.MAX_VALUE, null, null, null));
            store.setStepStatus("etl", "crashed", "j", "s", new StepUpdate("RUNNING", "t", null, 1L, null, Map.of(), null));
            store.recordProcess("etl", "crashed", "j", "s", child.pid(), child.pid(), startMs(child));
            assertEquals(child.pid(), ((Number) query("SELECT pgid FROM step_processes").get(0).get(0)).longValue());
            store.markDeadRuns();
            assertTrue(child.waitFor(5, TimeUnit.SECONDS), "the dead run's child was not killed");
            assertEquals(List.of("killed 2 process(es) of process group " + child.pid()
                    + " left running by step j/s of dead run crashed (flow etl)"), store.takeReaped());
            assertEquals(List.of(), store.takeReaped());
        } finally {
            child.destroyForcibly();
        }
        assertEquals(List.of(), query("SELECT * FROM step_processes"));
    }

    @Test
    void aRecordWhosePidNowBelongsToANewerProcessKillsNothing() throws Exception {
        Process bystander = groupLeader();
        try (StateStore store = open()) {
            store.beginRun("etl", "crashed", new RunMeta(store.options().host(), Integer.MAX_VALUE, null, null, null));
            // recorded start one minute before the live process with that pid started: reused pid
            store.recordProcess("etl", "crashed", "j", "s", bystander.pid(), bystander.pid(), startMs(bystander) - 60_000);
            store.markDeadRuns();
            assertFalse(bystander.waitFor(300, TimeUnit.MILLISECONDS), "a reused pid was killed");
            assertEquals(List.of(), store.takeReaped());
        } finally {
            bystander.destroyForcibly();
        }
        assertEquals(List.of(), query("SELECT * FROM step_processes"), "the stale record is dropped");
    }

    @Test
    void takingOverAnExpiredLeaseKillsTheDeadHoldersChildFirst() throws Exception {
        Process child = groupLeader();
        MutableClock clock = new MutableClock(System.currentTimeMillis());
        try (StateStore store = open(StoreOptions.defaults().withClock(clock))) {
            store.beginRun("etl", "me", RunMeta.current(null, null, null));
            // the holder began while alive (as seen then), then died: only the takeover can notice
            exec("INSERT INTO runs (flow_id, run_id, status, started_at_ms, heartbeat_at_ms, host, pid, attempt)"
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
        try (StateStore store = open()) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.setStepStatus("etl", "r", "j", "s", new StepUpdate("RUNNING", "t", "b 1", 5L, null, Map.of(), null));
            assertEquals("RUNNING", store.getStepStatus("etl", "r", "j", "s").orElseThrow());
            assertEquals(List.of(List.of("RUNNING")), query("SELECT status FROM step_runs"));
            store.recordProcess("etl", "r", "j", "s", 1234567, -1, null);
            assertEquals(List.of(Arrays.asList(1234567L, null)), query("SELECT pid, pgid FROM step_processes"));
            store.setStepStatus("etl", "r", "j", "s", StepUpdate.finished("SUCCESS", "t", "b 1", 5, 9, Map.of()));
            assertEquals(List.of(), query("SELECT * FROM step_processes"));
            assertEquals(List.of(List.of("SUCCESS", 5L, 4L)),
                    query("SELECT status, started_at_ms, duration_ms FROM step_details"));
            // the RUNNING write is not durable on its own, and the connection is back to FULL afterwards
            assertDurableSessionRestored(store);
        }
    }

    @Test
    void aStepsEndCanStartTheNextStepInTheSameTransaction() throws Exception {
        try (StateStore store = open()) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.setStepStatus("etl", "r", "j", "a", new StepUpdate("RUNNING", "t", "b 1", 5L, null, Map.of(), null));
            store.recordProcess("etl", "r", "j", "a", 1234567, -1, null);
            store.endStepStartNext("etl", "r", "j", "a", StepUpdate.finished("SUCCESS", "t", "b 1", 5, 9, Map.of("n", 1L)),
                    "b", new StepUpdate("RUNNING", "u", "b 1", 9L, null, Map.of(), null));
            assertEquals(List.of(List.of("a", "SUCCESS", "t", 5L, 4L, "{\"n\": 1}"), Arrays.asList("b", "RUNNING", "u", 9L,
                    null, "{}")), query("SELECT step_id, status, step_type, started_at_ms, duration_ms, outputs_json"
                    + " FROM step_details ORDER BY step_id"));
            assertEquals(List.of(List.of("a", "SUCCESS"), List.of("b", "RUNNING")),
                    query("SELECT step_id, status FROM step_runs ORDER BY step_id"));
            assertEquals(List.of(), query("SELECT * FROM step_processes"));
            assertDurableSessionRestored(store);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.endStepStartNext("etl",
                    "r", "j", "b", new StepUpdate("RUNNING", "u", null, 9L, null, Map.of(), null), "c",
                    new StepUpdate("RUNNING", "u", null, 9L, null, Map.of(), null)));
            assertTrue(e.getMessage().contains("a final status, then RUNNING"), e.getMessage());
        }
    }

    @Test
    void aResumedRunsStepEndDropsProcessRowsAnEarlierAttemptLeft() throws Exception {
        try (StateStore store = open()) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.endRun("etl", "r", RunStatus.INTERRUPTED, "killed", null);
            assertTrue(store.beginRun("etl", "r", RunMeta.current(null, null, null)).resumed());
            // a row this store instance did not write (the earlier attempt, on another host)
            exec("INSERT INTO step_processes (flow_id, run_id, job_id, step_id, host, pid, pgid, started_at_ms,"
                    + " registered_at_ms) VALUES ('etl', 'r', 'j', 's', 'elsewhere', 4242, NULL, NULL, 1)");
            store.setStepStatus("etl", "r", "j", "s", new StepUpdate("RUNNING", "t", "b 1", 5L, null, Map.of(), null));
            assertEquals(1, query("SELECT * FROM step_processes").size(), "a RUNNING row keeps them");
            store.endStepStartNext("etl", "r", "j", "s", StepUpdate.finished("SUCCESS", "t", "b 1", 5, 9, Map.of()),
                    "s2", new StepUpdate("RUNNING", "t", "b 1", 9L, null, Map.of(), null));
            assertEquals(List.of(), query("SELECT * FROM step_processes"));
        }
    }

    @Test
    void aFreshRunsStepEndDropsTheRowsOfTheProcessesItRecorded() throws Exception {
        try (StateStore store = open()) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.setStepStatus("etl", "r", "j", "a", new StepUpdate("RUNNING", "t", "b 1", 5L, null, Map.of(), null));
            store.endStepStartNext("etl", "r", "j", "a", StepUpdate.finished("SUCCESS", "t", "b 1", 5, 9, Map.of()),
                    "b", new StepUpdate("RUNNING", "t", "b 1", 9L, null, Map.of(), null));
            store.recordProcess("etl", "r", "j", "b", 1234567, -1, null);
            store.recordProcess("etl", "r", "j", "b", 1234568, -1, null);
            store.endStepStartNext("etl", "r", "j", "b", StepUpdate.finished("SUCCESS", "t", "b 1", 9, 12, Map.of()),
                    "c", new StepUpdate("RUNNING", "t", "b 1", 12L, null, Map.of(), null));
            assertEquals(List.of(), query("SELECT * FROM step_processes"));
            store.recordProcess("etl", "r", "j", "c", 1234569, -1, null);
            store.setStepStatus("etl", "r", "j", "c", new StepUpdate("FAILED", "t", "b 1", 12L, 14L, Map.of(), "x"));
            assertEquals(List.of(), query("SELECT * FROM step_processes"));
            assertEquals(List.of(List.of("a", "SUCCESS", 4L), List.of("b", "SUCCESS", 3L), List.of("c", "FAILED", 2L)),
                    query("SELECT step_id, status, duration_ms FROM step_details ORDER BY step_id"));
        }
    }

    @Test
    void endRunFailedGivesStepsStillRunningTheRunsStatus() throws Exception {
        try (StateStore store = open()) {
            store.beginRun("etl", "r", RunMeta.current(null, null, null));
            store.setJobStatus("etl", "r", "j", JobUpdate.running(5));
            store.setStepStatus("etl", "r", "j", "s", new StepUpdate("RUNNING", "t", null, 5L, null, Map.of(), null));
            store.endRun("etl", "r", RunStatus.FAILED, "state store busy", null);
            assertEquals("FAILED", store.getStepStatus("etl", "r", "j", "s").orElseThrow());
            assertEquals("FAILED", store.getJobRecord("etl", "r", "j").orElseThrow().status());
        }
        assertEquals(List.of(List.of("FAILED")), query("SELECT status FROM step_runs"));
        assertEquals(List.of(List.of("FAILED")), query("SELECT status FROM job_runs"));
    }
}
