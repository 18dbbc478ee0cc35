package io.aetherflow.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepResult;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import io.aetherflow.runtime.run.StateTarget;
import io.aetherflow.runtime.state.RunRecord;
import io.aetherflow.runtime.state.RunStatus;
import io.aetherflow.runtime.state.SqliteStateStore;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fire runs the flow in this process as {@code aetherflow run} does: a run row, job and step
 * rows in the flow's state store, the fire claim completed with that run id; a bundle item fails
 * with one clear line and the scheduler goes on.
 */
class FlowFiresTest {

    @TempDir
    Path tmp;

    @Test
    void aFireRecordsTheSameStateAsARunAndCompletesItsClaim() throws Exception {
        Path flow = tmp.resolve("hello.yaml");
        Files.writeString(flow, "version: 1\nflow:\n  id: hello\n  workspace: {root: " + tmp.resolve("work")
                + "}\n  state: {path: " + tmp.resolve("flow-state.sqlite") + "}\njobs:\n  - id: main\n    steps:\n"
                + "      - {id: greet, type: emit, inputs: {who: '{{env.WHO}}'}}\n");
        StaticPluginCatalog catalog = new StaticPluginCatalog().step("emit",
                ctx -> StepResult.success(Map.of("said", "hello " + ctx.inputs().asMap().get("who"))), "test.steps", 0);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        Path metrics = Files.createDirectories(tmp.resolve("metrics"));
        Map<String, String> env = Map.of("WHO", "scheduler", "HOME", tmp.toString(), "AETHERFLOW_STATE_ROOT",
                tmp.toString(), "AETHERFLOW_METRICS_TEXTFILE", metrics.toString());
        FlowFires fires = new FlowFires(catalog, new HashMap<>(), ps, env, tmp, null, tmp.resolve("cache"),
                i -> {
                    throw new io.aetherflow.runtime.UserError(2, "bundle manifest " + i.bundleManifest() + " not found");
                });
        TestClock clock = new TestClock("2027-01-01T00:00:00Z");
        SchedulerSpec spec = SchedulerSpec.parse(YamlLoader.loadString("items:\n  - {id: hello, cron: '0 0 1 1 *', "
                + "flow_yaml: hello.yaml}\n  - {id: bundled, cron: '0 0 1 1 *', bundle_manifest: b.yaml}\n", "s.yaml"),
                tmp.resolve("s.yaml"));
        EventLog log = new EventLog(ps, LogLevel.INFO, true, s -> s, String::valueOf);
        try (StoreClaims claims = new StoreClaims(SqliteStateStore.open(tmp.resolve("aetherflow.sqlite")), "me",
                StoreClaims.LEASE, m -> { })) {
            Scheduler s = new Scheduler(spec, clock, claims, fires, Executors.newSingleThreadExecutor(), log);
            assertEquals(0, s.fireNow("hello"));
            assertEquals(2, s.fireNow("bundled"));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("item bundled (fire 2027-01-01T00:00:00Z): bundle manifest b.yaml not found"),
                    err.toString(StandardCharsets.UTF_8));
            assertNull(s.fireNow("hello"), "the same fire time is completed: not run twice");
            StateTarget flowTarget = new StateTarget(tmp.resolve("flow-state.sqlite"), null);
            assertEquals(1, fires.idleStores(flowTarget, env), "the run handed its store back to the pool");
            clock.set("2027-01-01T00:01:00Z");
            assertEquals(0, s.fireNow("hello"));
            assertEquals(1, fires.idleStores(flowTarget, env), "the next fire reused it");
            fires.close();
            assertEquals(0, fires.idleStores(flowTarget, env));
        }
        try (StateStore flowState = SqliteStateStore.open(tmp.resolve("flow-state.sqlite"));
                StateStore claimsState = SqliteStateStore.open(tmp.resolve("aetherflow.sqlite"))) {
            List<RunRecord> runs = flowState.listRuns(10, "hello");
            assertEquals(2, runs.size());
            assertEquals(RunStatus.SUCCESS, runs.get(0).status());
            assertEquals(RunStatus.SUCCESS, runs.get(1).status());
            assertEquals("SUCCESS", flowState.getStepStatus("hello", runs.get(0).runId(), "main", "greet").orElseThrow());
            assertEquals(runs.get(1).runId(), claimsState.getFire("hello", Instant.parse("2027-01-01T00:00:00Z"))
                    .orElseThrow().runId());
        }
        String prom = Files.readString(metrics.resolve("aetherflow_flow_hello.prom"));
        assertTrue(prom.contains("aetherflow_run_last_status{flow_id=\"hello\",status=\"SUCCESS\"} 1\n"), prom);
        assertTrue(prom.contains("aetherflow_run_last_status{flow_id=\"hello\",status=\"FAILED\"} 0\n"), prom);
        assertTrue(prom.contains("aetherflow_job_last_steps{flow_id=\"hello\",job_id=\"main\",status=\"SUCCESS\"} 1\n"),
                prom);
        assertTrue(prom.contains("aetherflow_run_last_exit_code{flow_id=\"hello\"} 0\n"), prom);
        assertTrue(prom.contains("# TYPE aetherflow_run_last_duration_seconds gauge"), prom);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("\"event\": \"run_end\"")
                || err.toString(StandardCharsets.UTF_8).contains("run_end"), err.toString(StandardCharsets.UTF_8));
    }
}
