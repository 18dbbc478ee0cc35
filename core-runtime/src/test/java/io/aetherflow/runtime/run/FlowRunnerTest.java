package io.aetherflow.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.api.support.Json;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.observe.RunObserver;
import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import io.aetherflow.runtime.spec.FlowMeta;
import io.aetherflow.runtime.spec.FlowSpec;
import io.aetherflow.runtime.spec.JobSpec;
import io.aetherflow.runtime.spec.LocksSpec;
import io.aetherflow.runtime.spec.StateSpec;
import io.aetherflow.runtime.spec.StepSpec;
import io.aetherflow.runtime.spec.WorkspaceSpec;
import io.aetherflow.runtime.state.RunMeta;
import io.aetherflow.runtime.state.SqliteStateStore;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StepRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job and step loop against a real SQLite store, with steps written as lambdas. */
class FlowRunnerTest {

    @TempDir
    Path tmp;

    private StateStore store;
    private final ByteArrayOutputStream logBuf = new ByteArrayOutputStream();
    private final List<String> ran = new ArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new HashMap<>();
    private StaticPluginCatalog catalog;
    /** The store the runner writes through, when not {@link #store} itself. */
    private StateStore runnerStore;

    @BeforeEach
    void setUp() {
        store = SqliteStateStore.open(tmp.resolve("state.sqlite"));
        catalog = new StaticPluginCatalog()
                .step("emit", ctx -> {
                    ran.add(ctx.jobId() + "." + ctx.stepId());
                    AtomicInteger left = failuresLeft.get(ctx.stepId());
                    if (left != null && left.getAndDecrement() > 0) {
                        throw new StepFailedException("planned failure of " + ctx.stepId());
                    }
                    return StepResult.success(new LinkedHashMap<>(ctx.inputs().asMap()));
                }, "test.steps", 0)
                .step("check_items", ctx -> {
                    ran.add(ctx.jobId() + "." + ctx.stepId());
                    int n = ctx.inputs().list("items").size();
                    return n == 0 ? StepResult.skipped("count(0) < min_count(1)", Map.of("has_data", false, "count", 0))
                            : StepResult.success(Map.of("has_data", true, "count", n));
                }, "test.steps", 0);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static StepSpec step(String id, String type, Map<String, Object> inputs, Map<String, Object> outputs,
            String onNoData) {
        return new StepSpec(id, type, inputs, outputs == null ? Map.of() : outputs, onNoData);
    }

    private static JobSpec job(String id, List<String> deps, String when, StepSpec... steps) {
        return new JobSpec(id, null, deps, when, List.of(steps));
    }

    private JobOutcome run(String runId, String cleanup, JobSpec... jobs) {
        return run(runId, cleanup, null, jobs);
    }

    private JobOutcome run(String runId, String cleanup, String flowJob, JobSpec... jobs) {
        FlowMeta meta = new FlowMeta("f", null, new WorkspaceSpec(tmp.resolve("work").toString(), cleanup,
                Map.of("artifacts", "artifacts", "scratch", "scratch", "manifests", "manifests")),
                new StateSpec("sqlite", tmp.resolve("state.sqlite").toString()), new LocksSpec("job", 3600));
        FlowSpec spec = new FlowSpec(1, meta, Map.of(), Map.of(), List.of(jobs));
        store.beginRun("f", runId, RunMeta.current(null, "flow.yaml", null));
        EventLog log = new EventLog(new PrintStream(logBuf, true, StandardCharsets.UTF_8), LogLevel.INFO, true,
                s -> s, String::valueOf);
        RunObserver obs = new RunObserver(log, "f", runId, List.of());
        Workspace ws = new Workspace(tmp.resolve("work"), "f", runId, meta.workspace().layout());
        try (ConnectorManager cm = new ConnectorManager(catalog, Map.of(), "run", false, new HashMap<>(), (a, b) -> { });
                StoreLocks locks = new StoreLocks(store, runId, log, obs)) {
            RunSession session = new RunSession("f", runId, Map.of("HOME", "/h"), false, true, tmp.resolve("work"), ws,
                    catalog, cm, locks, log, obs, s -> s);
            JobOutcome o = new FlowRunner(session, runnerStore == null ? store : runnerStore, spec, meta, flowJob).runJobs();
            store.endRun("f", runId, io.aetherflow.runtime.state.RunStatus.valueOf(o.status()), o.error(), null);
            return o;
        }
    }

    private String log() {
        return logBuf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dependsOnBlocksWhenADependencyDidNotSucceedAndWhenGates() {
        JobOutcome o = run("r1", "never",
                job("probe", List.of(), null, step("c", "check_items", Map.of("items", List.of()),
                        Map.of("has_data", "{{ result.has_data }}"), "skip_job")),
                job("load", List.of("probe"), null, step("x", "emit", Map.of(), null, null)),
                job("gated", List.of(), "jobs.probe.status == 'SKIPPED' and jobs.load.status == 'BLOCKED'",
                        step("y", "emit", Map.of("v", "{{jobs.probe.outputs.has_data}}"), null, null)),
                job("never", List.of(), "jobs.probe.outputs.has_data == TRUE", step("z", "emit", Map.of(), null, null)));
        assertEquals(ExitCodes.OK, o.exitCode());
        assertEquals(List.of("probe.c", "gated.y"), ran);
        assertTrue(log().contains("Job blocked job_id=load depends_on=['probe']"), log());
        assertTrue(log().contains("Job skipped (no data) reason=count(0) < min_count(1)"), log());
        assertEquals("SKIPPED", store.getJobRecord("f", "r1", "probe").orElseThrow().status());
        assertEquals("BLOCKED", store.getJobRecord("f", "r1", "load").orElseThrow().status());
        assertEquals("SKIPPED", store.getJobRecord("f", "r1", "never").orElseThrow().status());
        assertEquals(false, store.getJobRecord("f", "r1", "probe").orElseThrow().outputs().get("has_data"));
    }

    @Test
    void shortCircuitSkipsTheRestOfTheJobAndRecordsIt() {
        JobOutcome o = run("r1", "never", job("j", List.of(), null,
                step("c", "check_items", Map.of("items", List.of()), null, "skip_job"),
                step("after", "emit", Map.of("v", 1), null, null)));
        assertEquals(ExitCodes.OK, o.exitCode());
        assertEquals(List.of("j.c"), ran);
        StepRecord after = store.getStepRecord("f", "r1", "j", "after").orElseThrow();
        assertEquals("SKIPPED", after.status());
        assertEquals(true, after.outputs().get("skipped"));
    }

    @Test
    void resumeSkipsCompletedStepsAndRestoresTheirOutputsAndPromotions() {
        failuresLeft.put("b", new AtomicInteger(1));
        JobSpec j = job("j", List.of(), null,
                step("a", "emit", Map.of("rows", 42), Map.of("rows", "{{ result.rows }}"), null),
                step("b", "emit", Map.of("seen", "{{steps.a.rows}}"), null, null),
                step("c", "emit", Map.of("typed", "{{ job.outputs.rows }}", "text", "n={{steps.a.rows}}"), null, null));
        JobSpec next = job("k", List.of("j"), "jobs.j.outputs.rows > 40", step("d", "emit", Map.of(), null, null));
        JobOutcome first = run("r1", "never", j, next);
        assertEquals(ExitCodes.JOB_FAILED, first.exitCode());
        assertTrue(first.error().contains("planned failure of b"), first.error());
        assertEquals(List.of("j.a", "j.b"), ran);
        assertEquals("FAILED", store.getJobRecord("f", "r1", "j").orElseThrow().status());
        ran.clear();
        JobOutcome second = run("r1", "never", j, next);
        assertEquals(ExitCodes.OK, second.exitCode(), second.error());
        assertEquals(List.of("j.b", "j.c", "k.d"), ran);
        StepRecord c = store.getStepRecord("f", "r1", "j", "c").orElseThrow();
        assertEquals(42L, ((Number) c.outputs().get("typed")).longValue());
        assertEquals("n=42", c.outputs().get("text"));
        assertTrue(log().contains("Step skip (resume) step_id=a prev=SUCCESS"), log());
    }

    @Test
    void aResumedShortCircuitStillSkipsTheJob() {
        JobSpec j = job("j", List.of(), null, step("c", "check_items", Map.of("items", List.of()), null, "skip_job"),
                step("d", "emit", Map.of(), null, null));
        run("r1", "never", j);
        ran.clear();
        JobOutcome again = run("r1", "never", j);
        assertEquals(ExitCodes.OK, again.exitCode());
        assertEquals(List.of(), ran);
        assertEquals("SKIPPED", store.getJobRecord("f", "r1", "j").orElseThrow().status());
    }

    @Test
    void cleanupPoliciesRemoveTheJobDirectory() {
        run("r1", "on_success", job("ok", List.of(), null, step("a", "emit", Map.of(), null, null)));
        assertFalse(Files.exists(tmp.resolve("work/f/ok/r1")));
        failuresLeft.put("b", new AtomicInteger(1));
        run("r2", "on_success", job("bad", List.of(), null, step("b", "emit", Map.of(), null, null)));
        assertTrue(Files.isDirectory(tmp.resolve("work/f/bad/r2/artifacts")), "kept for inspection on failure");
        failuresLeft.put("b", new AtomicInteger(1));
        run("r3", "always", job("bad", List.of(), null, step("b", "emit", Map.of(), null, null)));
        assertFalse(Files.exists(tmp.resolve("work/f/bad/r3")));
        run("r4", "never", job("ok", List.of(), null, step("a", "emit", Map.of(), null, null)));
        assertTrue(Files.isDirectory(tmp.resolve("work/f/ok/r4/scratch")));
    }

    @Test
    void templateErrorsFailTheJobBeforeTheStepStarts() {
        JobOutcome o = run("r1", "never", job("j", List.of(), null,
                step("a", "emit", Map.of("v", "{{env.NOT_THERE}}"), null, null)));
        assertEquals(ExitCodes.JOB_FAILED, o.exitCode());
        assertTrue(o.error().contains("env.NOT_THERE"), o.error());
        assertTrue(ran.isEmpty());
        assertFalse(log().contains("\"step_start\""), log());
    }

    @Test
    void invalidWhenFailsTheJobAndStopsTheRun() {
        JobOutcome o = run("r1", "never", job("j", List.of(), "jobs.nope.status == 'SUCCESS'",
                step("a", "emit", Map.of(), null, null)), job("k", List.of(), null, step("b", "emit", Map.of(), null, null)));
        assertEquals(ExitCodes.JOB_FAILED, o.exitCode());
        assertTrue(o.error().startsWith("Invalid job.when for job_id=j: "), o.error());
        assertTrue(ran.isEmpty());
    }

    @Test
    void flowJobRunsOnlyThatJobAndBlocksItsDependants() {
        run("r1", "never", "k", job("j", List.of(), null, step("a", "emit", Map.of(), null, null)),
                job("k", List.of(), null, step("b", "emit", Map.of(), null, null)),
                job("l", List.of("k"), null, step("c", "emit", Map.of(), null, null)));
        assertEquals(List.of("k.b"), ran);
    }

    @Test
    void stepEventsAndSummaryCarryIdsAndBundles() {
        run("r1", "never", job("j", List.of(), null, step("a", "emit", Map.of(), null, null)));
        String first = log().lines().filter(l -> l.contains("\"step_start\"")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> ev = (Map<String, Object>) Json.parse(first);
        assertEquals("test.steps 0.0.0", ev.get("bundle"));
        assertEquals("r1", ev.get("run_id"));
        assertEquals("test.steps 0.0.0", store.getStepRecord("f", "r1", "j", "a").orElseThrow().servedBy());
    }

    @Test
    void interruptionMarksTheJobInterrupted() {
        catalog.step("wait", ctx -> {
            Thread.currentThread().interrupt();
            Thread.sleep(10_000);
            return StepResult.success(null);
        }, "test.steps", 0);
        JobOutcome o = run("r1", "never", job("j", List.of(), null, step("w", "wait", Map.of(), null, null)));
        assertEquals(ExitCodes.INTERRUPTED, o.exitCode());
        Thread.interrupted();
        assertEquals("INTERRUPTED", store.getJobRecord("f", "r1", "j").orElseThrow().status());
    }

    /**
     * A step's SUCCESS row and its outputs are committed (visible to another connection, i.e. out of
     * this process's transaction) before the next step starts, and the file is in synchronous=FULL
     * mode again at that point (the RUNNING row's relaxed commit does not leak into the step end).
     */
    @Test
    void aStepsSuccessAndOutputsAreCommittedBeforeTheNextStepStarts() throws Exception {
        Path file = tmp.resolve("state.sqlite");
        List<String> seen = new ArrayList<>();
        catalog.step("peek", ctx -> {
            String prev = ctx.inputs().string("prev");
            try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                    java.sql.PreparedStatement ps = other.prepareStatement("SELECT d.status, d.outputs_json, r.status"
                            + " FROM step_details d JOIN step_runs r ON r.run_id = d.run_id AND r.job_id = d.job_id"
                            + " AND r.step_id = d.step_id WHERE d.run_id = ? AND d.job_id = ? AND d.step_id = ?")) {
                ps.setString(1, "r1");
                ps.setString(2, ctx.jobId());
                ps.setString(3, prev);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    seen.add(rs.next() ? rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) : "none");
                }
            }
            try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                    java.sql.Statement st = other.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SELECT status FROM step_details WHERE run_id = 'r1'"
                            + " AND job_id = '" + ctx.jobId() + "' AND step_id = '" + ctx.stepId() + "'")) {
                seen.add("self " + (rs.next() ? rs.getString(1) : "none"));
            }
            return StepResult.success(Map.of("peeked", prev));
        }, "test.steps", 0);
        JobOutcome o = run("r1", "never", job("j", List.of(), null,
                step("a", "emit", Map.of("rows", 7), null, null),
                step("b", "peek", Map.of("prev", "a"), null, null),
                step("c", "peek", Map.of("prev", "b"), null, null)));
        assertEquals(ExitCodes.OK, o.exitCode(), o.error());
        assertEquals(List.of("SUCCESS {\"rows\": 7} SUCCESS", "self RUNNING",
                "SUCCESS {\"peeked\": \"a\"} SUCCESS", "self RUNNING"), seen);
    }


    /**
     * The next step's RUNNING row rides in the previous step's durable end: a job of four steps
     * writes one RUNNING row on its own (the first step's) and three step ends that also start the
     * next step; every row ends SUCCESS, each step starts no earlier than the one before ended, and
     * the events keep their order.
     */
    @Test
    void theNextStepsStartRidesInThePreviousStepsEnd() {
        List<String> writes = new ArrayList<>();
        runnerStore = (StateStore) java.lang.reflect.Proxy.newProxyInstance(StateStore.class.getClassLoader(),
                new Class<?>[] {StateStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals("setStepStatus")) {
                        writes.add(((io.aetherflow.runtime.state.StepUpdate) args[4]).status() + " " + args[3]);
                    } else if (m.getName().equals("endStepStartNext")) {
                        writes.add(((io.aetherflow.runtime.state.StepUpdate) args[4]).status() + " " + args[3]
                                + " + RUNNING " + args[5]);
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        JobOutcome o = run("r1", "never", job("j", List.of(), null,
                step("a", "emit", Map.of("v", 1), null, null),
                step("b", "emit", Map.of("v", "{{steps.a.v}}"), null, null),
                step("c", "emit", Map.of(), null, null),
                step("d", "emit", Map.of(), null, null)));
        assertEquals(ExitCodes.OK, o.exitCode(), o.error());
        assertEquals(List.of("RUNNING a", "SUCCESS a + RUNNING b", "SUCCESS b + RUNNING c", "SUCCESS c + RUNNING d",
                "SUCCESS d"), writes);
        long endBefore = 0;
        for (String id : List.of("a", "b", "c", "d")) {
            StepRecord r = store.getStepRecord("f", "r1", "j", id).orElseThrow();
            assertEquals("SUCCESS", r.status(), id);
            assertTrue(r.startedAtMs() >= endBefore && r.endedAtMs() >= r.startedAtMs(), id + ": " + r);
            endBefore = r.endedAtMs();
        }
        assertEquals("1", String.valueOf(store.getStepRecord("f", "r1", "j", "b").orElseThrow().outputs().get("v")));
        List<String> events = log().lines().filter(l -> l.contains("\"step_start\"") || l.contains("\"step_end\""))
                .map(l -> (l.contains("\"step_start\"") ? "start " : "end ") + ((Map<?, ?>) Json.parse(l)).get("step_id"))
                .toList();
        assertEquals(List.of("start a", "end a", "start b", "end b", "start c", "end c", "start d", "end d"), events);
    }

    /** A template error in the step after a successful one is reported at its turn, as before. */
    @Test
    void aTemplateErrorInTheNextStepIsReportedAtItsTurn() {
        JobOutcome o = run("r1", "never", job("j", List.of(), null,
                step("a", "emit", Map.of(), null, null),
                step("b", "emit", Map.of("v", "{{env.NOT_THERE}}"), null, null)));
        assertEquals(ExitCodes.JOB_FAILED, o.exitCode());
        assertTrue(o.error().startsWith("job 'j' step 'b': ") && o.error().contains("env.NOT_THERE"), o.error());
        assertEquals(List.of("j.a"), ran);
        assertEquals("SUCCESS", store.getStepRecord("f", "r1", "j", "a").orElseThrow().status());
        assertEquals("FAILED", store.getStepRecord("f", "r1", "j", "b").orElseThrow().status());
        assertEquals(1, log().lines().filter(l -> l.contains("\"step_start\"")).count(), log());
    }

    /**
     * An interrupt that arrives after a step returned lands in the next step, whose RUNNING row is
     * already written: that step ends INTERRUPTED (with its step_start and step_end), no row stays
     * RUNNING.
     */
    @Test
    void anInterruptBetweenStepsEndsTheStartedNextStepInterrupted() {
        catalog.step("stop", ctx -> {
            Thread.currentThread().interrupt();
            return StepResult.success(null);
        }, "test.steps", 0);
        runnerStore = null;
        JobOutcome o = run("r1", "never", job("j", List.of(), null,
                step("a", "stop", Map.of(), null, null),
                step("b", "stop", Map.of(), null, null)));
        Thread.interrupted();
        assertEquals(ExitCodes.INTERRUPTED, o.exitCode());
        assertEquals("interrupted during step 'b'", o.error());
        assertEquals("SUCCESS", store.getStepRecord("f", "r1", "j", "a").orElseThrow().status());
        assertEquals("INTERRUPTED", store.getStepRecord("f", "r1", "j", "b").orElseThrow().status());
        assertTrue(log().contains("\"step_id\": \"b\"") || log().contains("\"step_id\":\"b\""), log());
        assertEquals(2, log().lines().filter(l -> l.contains("\"step_end\"")).count(), log());
    }

}
