package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler of the assembled distribution: {@code schedule next} and {@code schedule validate}
 * output and exit codes, {@code aetherflow-scheduler run --once}, and a running scheduler that fires
 * at the next minute inside its warm engine, then stops on SIGTERM (a run still in progress past the
 * stop grace ends INTERRUPTED), with the state rows an {@code aetherflow run} records; an item with a
 * {@code bundle_manifest} only runs the bundle's entry flow from the synced tree.
 */
class SchedulerIT {

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Aetherflow.baseEnv(tmp);
    }

    private Path stateDb() {
        return tmp.resolve("state-root/aetherflow.sqlite");
    }

    private Path flow(String id, String command) throws Exception {
        return Aetherflow.write(tmp.resolve(id + ".yaml"), "version: 1\nflow:\n  id: " + id + "\n"
                + "  workspace: {root: \"{{env.AETHERFLOW_WORK_ROOT}}\"}\n"
                + "  state: {path: \"{{env.AETHERFLOW_STATE_ROOT}}/aetherflow.sqlite\"}\n"
                + "jobs:\n  - id: main\n    steps:\n      - id: s\n        type: external.process\n"
                + "        inputs: {command: [sh, -c, \"" + command + "\"], timeout_seconds: 120}\n");
    }

    private Process scheduler(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Aetherflow.HOME.resolve("bin/aetherflow-scheduler").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    @Test
    void nextPrintsFireTimesInTheZoneAndInUtcAcrossDst() throws Exception {
        Aetherflow.write(tmp.resolve("s.yaml"), "timezone: Europe/Berlin\nitems:\n"
                + "  - {id: night, cron: '30 2 * * *', flow_yaml: f.yaml}\n");
        // 2027-03-28 has no 02:30 in Berlin: skipped
        Result r = Aetherflow.run(tmp, env(), "schedule", "next", "s.yaml", "--count", "2", "--from",
                "2027-03-27T12:00:00Z");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("night  30 2 * * *  (Europe/Berlin)\n  2027-03-29T02:30+02:00  2027-03-29T00:30Z\n"
                + "  2027-03-30T02:30+02:00  2027-03-30T00:30Z\n", r.stdout());
        Result json = Aetherflow.run(tmp, env(), "schedule", "next", "s.yaml", "--count", "1", "--from",
                "2027-03-27T12:00:00Z", "--json");
        assertEquals(0, json.exit(), json.toString());
        assertTrue(json.stdout().contains("\"timezone\": \"Europe/Berlin\"") && json.stdout().contains(
                "\"utc\": \"2027-03-29T00:30Z\""), json.stdout());
        Result bad = Aetherflow.run(tmp, env(), "schedule", "next", "s.yaml", "--count", "zero");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.stderr().contains("--count 'zero': expected a whole number from 1 to 1000"), bad.stderr());
    }

    @Test
    void validateReportsTheFileTheLineAndTheFlows() throws Exception {
        flow("hello", "echo hello");
        Aetherflow.write(tmp.resolve("ok.yaml"), "timezone: UTC\nitems:\n  - {id: hello, cron: '* * * * *', "
                + "flow_yaml: hello.yaml}\n  - {id: bundled, cron: '*/2 * * * *', bundle_manifest: b.yaml}\n");
        Result ok = Aetherflow.run(tmp, env(), "schedule", "validate", "ok.yaml");
        assertEquals(0, ok.exit(), ok.toString());
        assertTrue(ok.stdout().startsWith("OK: " + tmp.resolve("ok.yaml") + " (2 items, UTC)"), ok.stdout());
        Aetherflow.write(tmp.resolve("bad.yaml"), "timezone: UTC\nitems:\n  - {id: hello, cron: '* * * * *', "
                + "flow_yaml: hello.yaml, job: x}\n");
        Result bad = Aetherflow.run(tmp, env(), "schedule", "validate", "bad.yaml");
        assertEquals(2, bad.exit(), bad.toString());
        assertEquals(1, bad.stderr().strip().lines().count(), bad.stderr());
        assertTrue(bad.stderr().contains("bad.yaml:3: items[0].job: unknown key 'job'"), bad.stderr());
        Aetherflow.write(tmp.resolve("broken.yaml"), "version: 1\nflow: {}\njobs: []\n");
        Aetherflow.write(tmp.resolve("flows.yaml"), "items:\n  - {id: b, cron: '* * * * *', flow_yaml: broken.yaml}\n");
        Result flows = Aetherflow.run(tmp, env(), "schedule", "validate", "flows.yaml", "--json");
        assertEquals(2, flows.exit(), flows.toString());
        assertTrue(flows.stdout().contains("\"ok\": false"), flows.stdout());
        Result usage = Aetherflow.run(tmp, env(), "schedule", "validate");
        assertEquals(2, usage.exit(), usage.toString());
        assertTrue(usage.stderr().contains("the following arguments are required: scheduler_yaml"), usage.stderr());
    }

    @Test
    void onceFiresOneItemNowWithTheStateRowsOfARun() throws Exception {
        flow("hello", "echo hello from the scheduler");
        Aetherflow.write(tmp.resolve("s.yaml"), "timezone: UTC\nitems:\n"
                + "  - {id: hello, cron: '0 0 1 1 *', flow_yaml: hello.yaml}\n");
        Result r = Aetherflow.finish(scheduler("run", "s.yaml", "--once", "hello"), 120);
        assertEquals(0, r.exit(), r.toString());
        List<Map<String, Object>> runs = StateDb.query(stateDb(), "SELECT run_id, status FROM runs WHERE flow_id = 'hello'");
        assertEquals(1, runs.size(), runs.toString());
        assertEquals("SUCCESS", runs.get(0).get("status"));
        assertEquals("SUCCESS", StateDb.jobStatus(stateDb(), "main", (String) runs.get(0).get("run_id")));
        List<Map<String, Object>> fires = StateDb.query(stateDb(), "SELECT status, run_id FROM fire_claims WHERE item_id = 'hello'");
        assertEquals(runs.get(0).get("run_id"), fires.get(0).get("run_id"), fires.toString());
        Result unknown = Aetherflow.finish(scheduler("run", "s.yaml", "--once", "nope"), 120);
        assertEquals(2, unknown.exit(), unknown.toString());
    }

    @Test
    void aBundleManifestOnlyItemFiresAndRunsTheBundlesEntryFlow() throws Exception {
        // the example bundle (filesystem source), copied so its sync writes nothing in the repository
        int cp = new ProcessBuilder("cp", "-r", Aetherflow.REPO.resolve("examples/bundle").toString(),
                tmp.resolve("bundle").toString()).inheritIO().start().waitFor();
        assertEquals(0, cp);
        Aetherflow.write(tmp.resolve("s.yaml"), "timezone: UTC\nitems:\n"
                + "  - {id: bundled, cron: '0 0 1 1 *', bundle_manifest: bundle/manifest.yaml}\n");
        Result valid = Aetherflow.run(tmp, env(), "schedule", "validate", "s.yaml");
        assertEquals(0, valid.exit(), valid.toString());
        Result r = Aetherflow.finish(scheduler("run", "s.yaml", "--once", "bundled"), 120);
        assertEquals(0, r.exit(), r.toString());
        // the entry flow ran from the synced tree, with the bundle's env file loaded
        assertTrue(r.stderr().contains("external_process_stdout message=hello from the example bundle"), r.toString());
        assertTrue(r.stderr().contains("message=This file was synced into the bundle's active tree."), r.toString());
        assertTrue(Files.isDirectory(tmp.resolve("work/bundles/example-bundle/active/flows")), r.toString());
        List<Map<String, Object>> runs = StateDb.query(stateDb(), "SELECT run_id, status, flow_yaml FROM runs"
                + " WHERE flow_id = 'bundle-example'");
        assertEquals(1, runs.size(), runs.toString());
        assertEquals("SUCCESS", runs.get(0).get("status"));
        String flowYaml = String.valueOf(runs.get(0).get("flow_yaml"));
        assertTrue(flowYaml.endsWith("flows/main.yaml") && !flowYaml.contains("/bundle/assets/"), runs.toString());
        List<Map<String, Object>> fires = StateDb.query(stateDb(), "SELECT status, run_id FROM fire_claims"
                + " WHERE item_id = 'bundled'");
        assertEquals(List.of(Map.of("status", "SUCCESS", "run_id", runs.get(0).get("run_id"))), fires);
    }

    @Test
    void runFiresInTheWarmEngineAndStopsOnSigterm() throws Exception {
        Path started = tmp.resolve("slow.started");
        flow("hello", "echo hello");
        flow("slow", "touch " + started + "; sleep 100");
        Path metrics = Files.createDirectories(tmp.resolve("metrics"));
        Aetherflow.write(tmp.resolve("s.yaml"), "timezone: UTC\nitems:\n"
                + "  - {id: hello, cron: '* * * * *', flow_yaml: hello.yaml}\n"
                + "  - {id: slow, cron: '* * * * *', flow_yaml: slow.yaml}\n");
        List<String> cmd = new ArrayList<>(List.of(Aetherflow.HOME.resolve("bin/aetherflow-scheduler").toString(),
                "run", "s.yaml", "--stop-grace", "1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        pb.environment().put("AETHERFLOW_METRICS_TEXTFILE", metrics.toString());
        pb.environment().put("AETHERFLOW_LOG_FORMAT", "json");
        // to a file: Process.destroy() closes the pipes, the log would be lost
        Path log = tmp.resolve("scheduler.log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        // both items fire at the next full minute, concurrently, in the one engine
        Aetherflow.awaitFile(started, 90);
        Aetherflow.awaitFile(metrics.resolve("aetherflow_flow_hello.prom"), 30);
        p.destroy(); // SIGTERM: no new fires; slow gets 1 s, then ends INTERRUPTED
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the scheduler stops after SIGTERM");
        String out = Files.readString(log);
        assertEquals(130, p.exitValue(), out);
        assertTrue(out.contains("Scheduled hello -> * * * * *") && out.contains("Scheduler running"), out);
        assertTrue(out.contains("\"item_id\": \"slow\"") && out.contains("\"fire_time\": \""), out);
        assertTrue(out.contains("Scheduler stopping: no new fires"), out);
        assertEquals("SUCCESS", StateDb.query(stateDb(), "SELECT status FROM runs WHERE flow_id = 'hello'").get(0)
                .get("status"));
        assertEquals("INTERRUPTED", StateDb.query(stateDb(), "SELECT status FROM runs WHERE flow_id = 'slow'").get(0)
                .get("status"));
        String prom = Files.readString(metrics.resolve("aetherflow_flow_hello.prom"));
        assertTrue(prom.contains("aetherflow_run_last_status{flow_id=\"hello\",status=\"SUCCESS\"} 1"), prom);
        String sched = Files.readString(metrics.resolve("aetherflow_scheduler.prom"));
        assertTrue(sched.contains("aetherflow_schedule_fires{item_id=\"slow\"} 1"), sched);
    }
}
