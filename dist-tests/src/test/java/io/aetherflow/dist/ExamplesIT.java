package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples without a peer, run from the repository root exactly as their header comments and
 * examples/README.md tell a user, with the default state location ({@code AETHERFLOW_STATE_ROOT}).
 */
@RunsExamples({"resume", "with-lock", "probe-then-extract", "env-profiles", "hello", "vendor-plugin"})
class ExamplesIT {

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Aetherflow.baseEnv(tmp);
    }

    /** Where every example and {@code runs} put the state: {@code $AETHERFLOW_STATE_ROOT/aetherflow.sqlite}. */
    private Path stateDb() {
        return Path.of(env().get("AETHERFLOW_STATE_ROOT")).resolve("aetherflow.sqlite");
    }

    private static Result af(Map<String, String> env, String... args) throws Exception {
        return Aetherflow.run(Aetherflow.REPO, env, args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> step(Map<String, Object> run, String job, String step) {
        for (Object j : (List<Object>) run.get("jobs")) {
            Map<String, Object> jm = (Map<String, Object>) j;
            if (job.equals(jm.get("job_id"))) {
                for (Object s : (List<Object>) jm.get("steps")) {
                    if (step.equals(((Map<String, Object>) s).get("step_id"))) {
                        return (Map<String, Object>) s;
                    }
                }
            }
        }
        throw new AssertionError("no step " + job + "." + step + " in " + run);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> show(Map<String, String> env, String runId, String flowYaml) throws Exception {
        Result r = af(env, "runs", "show", runId, "--flow-yaml", flowYaml, "--json");
        assertEquals(0, r.exit(), r.toString());
        return (Map<String, Object>) Json.parse(r.stdout().trim());
    }

    @Test
    @SuppressWarnings("unchecked")
    void resumeFailsAtFlakyThenResumesWithTheSameRunIdAndRestoresOutputs() throws Exception {
        Map<String, String> env = env();
        String flow = "examples/resume/flow.yaml";
        Result first = af(env, "run", "--flow-yaml", flow, "--run-id", "demo-1");
        assertEquals(1, first.exit(), first.toString());
        assertTrue(first.stderr().contains("first attempt: failing on purpose"), first.stderr());
        assertEquals("SUCCESS", StateDb.stepStatus(stateDb(), "pipeline", "demo-1", "prepare"));
        assertEquals("FAILED", StateDb.stepStatus(stateDb(), "pipeline", "demo-1", "flaky"));
        assertEquals(null, StateDb.stepStatus(stateDb(), "pipeline", "demo-1", "publish"));
        String batch = String.valueOf(((Map<String, Object>) step(show(env, "demo-1", flow), "pipeline", "prepare")
                .get("outputs")).get("stdout"));
        assertTrue(batch.matches("batch-\\d{14}"), batch);

        Result second = af(env, "run", "--flow-yaml", flow, "--run-id", "demo-1");
        assertEquals(0, second.exit(), second.toString());
        assertTrue(second.stderr().contains("Step skip (resume) step_id=prepare"), second.stderr());
        assertFalse(second.stderr().contains("step_start flow_id=resume_demo run_id=demo-1 job_id=pipeline step_id=prepare"),
                "prepare must not run again: " + second.stderr());
        assertTrue(second.stderr().contains("second attempt: succeeding"), second.stderr());
        // publish read the restored steps.prepare output through job.outputs.batch
        assertTrue(second.stderr().contains("publishing " + batch + " (prepared by run demo-1)"), second.stderr());

        Map<String, Object> run = show(env, "demo-1", flow);
        assertEquals("SUCCESS", run.get("status"));
        assertEquals(2L, ((Number) run.get("attempt")).longValue());
        assertEquals("publishing " + batch + " (prepared by run demo-1)\n",
                ((Map<String, Object>) step(run, "pipeline", "publish").get("outputs")).get("stdout"));
        Map<String, Object> job = (Map<String, Object>) ((List<Object>) run.get("jobs")).get(0);
        assertEquals(Map.of("batch", batch), job.get("outputs"));
    }

    @Test
    void withLockSecondConcurrentRunExits75WhileTheFirstHoldsTheLock() throws Exception {
        Map<String, String> env = env();
        String flow = "examples/with-lock/flow.yaml";
        Map<String, String> slow = new java.util.LinkedHashMap<>(env);
        slow.put("EXPORT_SECONDS", "20");
        Process first = Aetherflow.builder(Aetherflow.HOME, Aetherflow.REPO, slow, "run", "--flow-yaml", flow,
                "--run-id", "holder").start();
        first.getOutputStream().close();
        try {
            awaitLock("export:warehouse", 90);
            Result second = af(env, "run", "--flow-yaml", flow, "--run-id", "busy");
            assertEquals(75, second.exit(), second.toString());
            assertTrue(second.stderr().contains("Lock not acquired: export:warehouse"), second.stderr());
            assertFalse(second.stderr().contains("export started"), second.stderr());
        } finally {
            Result holder = Aetherflow.finish(first, 120);
            assertEquals(0, holder.exit(), holder.toString());
            assertTrue(holder.stderr().contains("export finished"), holder.stderr());
        }
        assertEquals("SUCCESS", StateDb.jobStatus(stateDb(), "nightly_export", "holder"));
        assertEquals("FAILED", StateDb.jobStatus(stateDb(), "nightly_export", "busy"));
        // the holder released the lock
        assertEquals(List.of(), StateDb.query(stateDb(), "SELECT key FROM locks WHERE key = ?", "export:warehouse"));
    }

    private void awaitLock(String key, int seconds) throws Exception {
        Aetherflow.awaitFile(stateDb(), seconds);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            try {
                if (!StateDb.query(stateDb(), "SELECT key FROM locks WHERE key = ?", key).isEmpty()) {
                    return;
                }
            } catch (SQLException e) {
                // schema not created yet
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("lock " + key + " was never taken in " + stateDb());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void probeThenExtractRunsExtractWithDataAndBlocksItWithoutEnough() throws Exception {
        Map<String, String> env = env();
        String flow = "examples/probe-then-extract/flow.yaml";
        Path work = Path.of(env.get("AETHERFLOW_WORK_ROOT")).resolve("probe_then_extract");

        Result dflt = af(env, "run", "--flow-yaml", flow, "--run-id", "p1");
        assertEquals(0, dflt.exit(), dflt.toString());
        assertTrue(dflt.stderr().contains("probe found 2 item(s)"), dflt.stderr());
        assertEquals("SUCCESS", StateDb.jobStatus(stateDb(), "probe", "p1"));
        assertEquals("SUCCESS", StateDb.jobStatus(stateDb(), "extract", "p1"));
        assertEquals("2", Files.readString(work.resolve("extract/p1/artifacts/extracted.count")).trim());

        Map<String, String> five = new java.util.LinkedHashMap<>(env);
        five.put("MIN_FILES", "5");
        Result few = af(five, "run", "--flow-yaml", flow, "--run-id", "p2");
        assertEquals(0, few.exit(), few.toString());
        assertEquals("SKIPPED", StateDb.jobStatus(stateDb(), "probe", "p2"));
        assertEquals("SKIPPED", StateDb.stepStatus(stateDb(), "probe", "p2", "list_incoming"));
        assertEquals("BLOCKED", StateDb.jobStatus(stateDb(), "extract", "p2"));
        assertTrue(few.stderr().contains("count(2) < min_count(5)"), few.stderr());
        assertFalse(few.stderr().contains("extracting"), few.stderr());
        assertFalse(Files.exists(work.resolve("extract/p2/artifacts/extracted.count")));

        Map<String, String> three = new java.util.LinkedHashMap<>(env);
        three.put("INCOMING_FILES", "a.csv,b.csv,c.csv");
        Result more = af(three, "run", "--flow-yaml", flow, "--run-id", "p3");
        assertEquals(0, more.exit(), more.toString());
        assertEquals("3", Files.readString(work.resolve("extract/p3/artifacts/extracted.count")).trim());
    }

    @Test
    void envProfilesRunShWorksAndMasksTheTokenAndTheDecodedPassword() throws Exception {
        Map<String, String> env = env();
        env.put("AETHERFLOW", Aetherflow.HOME.resolve("bin/aetherflow").toString());
        String runSh = Aetherflow.REPO.resolve("examples/env-profiles/run.sh").toString();
        Result r = sh(env, runSh, "run", "--run-id", "e1");
        assertEquals(0, r.exit(), r.toString());
        String all = r.stdout() + r.stderr();
        assertTrue(all.contains("target=staging user=etl_reader host=db.staging.example.internal"), all);
        assertTrue(all.contains("token=***"), all);
        assertTrue(all.contains("decoded password=***"), all);
        assertFalse(all.contains("tok-4f9a0c2e7b1d"), all);
        assertFalse(all.contains("s3cr3t-staging-pass"), all);
        assertEquals("SUCCESS", StateDb.jobStatus(stateDb(), "report", "e1"));
        Result show = af(env, "runs", "show", "e1", "--flow-yaml", "examples/env-profiles/flow.yaml", "--json");
        assertEquals(0, show.exit(), show.toString());
        assertTrue(show.stdout().contains("\"target\": \"staging\""), show.stdout());
        assertFalse(show.stdout().contains("tok-4f9a0c2e7b1d") || show.stdout().contains("s3cr3t-staging-pass"),
                show.stdout());
        for (String cmd : List.of("explain", "doctor", "validate")) {
            Result c = sh(env, runSh, cmd);
            assertEquals(0, c.exit(), cmd + ": " + c);
            assertFalse((c.stdout() + c.stderr()).contains("s3cr3t-staging-pass"), c.toString());
        }
    }

    private static Result sh(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Aetherflow.REPO.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return Aetherflow.finish(p, 120);
    }

    @Test
    void theReadmeSequenceExamplesThenRunsListFindsTheirRuns() throws Exception {
        Map<String, String> env = env();
        assertEquals(0, af(env, "run", "--flow-yaml", "examples/hello/flow.yaml", "--run-id", "hello-1").exit());
        Result resume = af(env, "run", "--flow-yaml", "examples/resume/flow.yaml", "--run-id", "nightly-1");
        assertEquals(1, resume.exit(), resume.toString());
        Result list = af(env, "runs", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().startsWith("State store: " + stateDb()), list.stdout());
        assertTrue(list.stdout().matches("(?s).*hello-1 +hello +SUCCESS.*"), list.stdout());
        assertTrue(list.stdout().matches("(?s).*nightly-1 +resume_demo +FAILED.*"), list.stdout());
        // --flow-yaml selects the flow: only its runs are listed
        Result hello = af(env, "runs", "list", "--flow-yaml", "examples/hello/flow.yaml");
        assertEquals(0, hello.exit(), hello.toString());
        assertTrue(hello.stdout().contains("hello-1") && !hello.stdout().contains("nightly-1"), hello.stdout());
        // and runs show of another flow's run says whose run it is
        Result other = af(env, "runs", "show", "nightly-1", "--flow-yaml", "examples/hello/flow.yaml");
        assertEquals(2, other.exit(), other.toString());
        assertEquals("aetherflow: error: run 'nightly-1' in " + stateDb() + " belongs to flow resume_demo, not to flow"
                + " 'hello' (from --flow-yaml examples/hello/flow.yaml): pass --flow-id resume_demo or the --flow-yaml"
                + " of that flow", other.stderr().strip());
        Result byState = af(env, "runs", "show", "nightly-1", "--state", stateDb().toString());
        assertEquals(0, byState.exit(), byState.toString());
        assertTrue(byState.stdout().startsWith("Run nightly-1 of flow resume_demo: FAILED"), byState.stdout());
    }

    @Test
    void aFlowWithoutStatePathUsesTheStateRootAsRunsDoes() throws Exception {
        Map<String, String> env = env();
        Path f = Aetherflow.write(tmp.resolve("nostate.yaml"), "flow:\n  id: nostate\n  workspace:\n"
                + "    root: \"{{env.AETHERFLOW_WORK_ROOT}}\"\njobs:\n  - id: a\n    steps:\n"
                + Flows.sh("s", "true", null));
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "n1");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("SUCCESS", StateDb.jobStatus(stateDb(), "a", "n1"));
        Result list = Aetherflow.run(tmp, env, "runs", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().contains("n1") && list.stdout().contains("nostate"), list.stdout());
        Result show = Aetherflow.run(tmp, env, "runs", "show", "n1", "--flow-yaml", f.toString());
        assertEquals(0, show.exit(), show.toString());
        // a relative AETHERFLOW_STATE_ROOT resolves against the working directory, for run and runs alike
        env.put("AETHERFLOW_STATE_ROOT", "rel-state");
        assertEquals(0, Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "n2").exit());
        assertEquals("SUCCESS", StateDb.jobStatus(tmp.resolve("rel-state/aetherflow.sqlite"), "a", "n2"));
        Result rel = Aetherflow.run(tmp, env, "runs", "list");
        assertTrue(rel.exit() == 0 && rel.stdout().contains("n2") && !rel.stdout().contains("n1 "), rel.toString());
    }

    @Test
    void theVendorFlowWithoutItsPluginFailsValidationAsItsCommentSays() throws Exception {
        Result v = af(env(), "validate", "--flow-yaml", "examples/vendor-plugin/flow.yaml");
        assertEquals(3, v.exit(), v.toString());
        String text = v.stdout() + v.stderr();
        assertEquals(2, text.split("semantic:unknown_step_type - Unknown step type: acme.greet\\. Loaded: \\[", -1)
                .length - 1, text);
        String comment = Files.readString(Aetherflow.REPO.resolve("examples/vendor-plugin/flow.yaml"));
        assertTrue(comment.contains("semantic:unknown_step_type - Unknown step type: acme.greet. Loaded: [...]"),
                "the comment quotes what validate prints");
    }
}
