package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart tests in the style of Spring Batch's: run 1 fails by plan half-way, run 2 resumes with the
 * same run id; side effects happen exactly once and outputs of the steps that are not re-run are
 * restored for later templates and {@code when}.
 */
class ResumeIT {

    @TempDir
    Path tmp;

    @Test
    void resumeAfterAFailureRestoresOutputsAndRunsEachSideEffectOnce() throws Exception {
        Path gate = tmp.resolve("gate");
        String jobs = "  - id: extract\n    steps:\n"
                + sh("probe", "echo probe >> " + tmp.resolve("probe.count"),
                        "          outputs: {rows: 42, file: data.csv}\n"
                        + "        outputs:\n          rows: \"{{ result.rows }}\"\n")
                + sh("load", "test -e " + gate + " || exit 7; echo load >> " + tmp.resolve("load.count"), null)
                + sh("report", "echo rows={{steps.probe.rows}} file={{steps.probe.file}} job={{job.outputs.rows}} > "
                        + tmp.resolve("report.txt"), null)
                + "  - id: publish\n    depends_on: [extract]\n    when: jobs.extract.outputs.rows > 40\n    steps:\n"
                + sh("send", "echo sent >> " + tmp.resolve("send.count"), null);
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("resume", jobs));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Path db = Path.of(env.get("AF_STATE"));

        Result first = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "nightly");
        assertEquals(1, first.exit(), first.toString());
        assertEquals("FAILED", StateDb.jobStatus(db, "extract", "nightly"));
        assertEquals("SUCCESS", StateDb.stepStatus(db, "extract", "nightly", "probe"));

        Files.writeString(gate, "open");
        Result second = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "nightly");
        assertEquals(0, second.exit(), second.toString());
        assertTrue(second.stderr().contains("Step skip (resume) step_id=probe prev=SUCCESS"), second.stderr());
        assertEquals("probe\n", Files.readString(tmp.resolve("probe.count")), "probe ran exactly once");
        assertEquals("load\n", Files.readString(tmp.resolve("load.count")), "load succeeded exactly once");
        assertEquals("rows=42 file=data.csv job=42\n", Files.readString(tmp.resolve("report.txt")),
                "outputs of the resumed step are restored");
        assertEquals("sent\n", Files.readString(tmp.resolve("send.count")), "when sees the restored job outputs");
        assertEquals("SUCCESS", StateDb.jobStatus(db, "publish", "nightly"));
    }

    @Test
    void killMinus9DuringAStepThenResume() throws Exception {
        Path started = tmp.resolve("started");
        String jobs = "  - id: j\n    steps:\n"
                + sh("one", "echo one >> " + tmp.resolve("one.count"), null)
                + sh("two", "echo two >> " + tmp.resolve("two.count") + "; touch " + started + "; test -e "
                        + tmp.resolve("fast") + " || sleep 60", null)
                + sh("three", "echo three >> " + tmp.resolve("three.count"), null);
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("crash", jobs));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Path db = Path.of(env.get("AF_STATE"));
        Process p = Aetherflow.builder(Aetherflow.HOME, tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "k1")
                .start();
        Aetherflow.awaitFile(started, 60);
        List<ProcessHandle> children = p.toHandle().descendants().toList();
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
        p.waitFor();
        children.forEach(ProcessHandle::destroyForcibly);
        assertEquals("SUCCESS", StateDb.stepStatus(db, "j", "k1", "one"), "committed step survives kill -9");
        // the step that was running has its row (written when it started), in both tables
        assertEquals("RUNNING", StateDb.stepStatus(db, "j", "k1", "two"));
        assertEquals("RUNNING", StateDb.query(db, "SELECT status FROM step_details WHERE run_id='k1' AND step_id='two'")
                .get(0).get("status"));
        assertEquals(null, StateDb.stepStatus(db, "j", "k1", "three"));

        Result runs = Aetherflow.run(tmp, env, "runs", "show", "k1", "--flow-yaml", f.toString());
        assertEquals(0, runs.exit(), runs.toString());
        assertTrue(runs.stdout().contains("INTERRUPTED"), "dead run detected: " + runs.stdout());
        assertTrue(runs.stdout().lines().anyMatch(l -> l.contains("two") && l.contains("INTERRUPTED")),
                "runs show names the step that was running: " + runs.stdout());
        assertEquals("INTERRUPTED", StateDb.stepStatus(db, "j", "k1", "two"));

        Files.writeString(tmp.resolve("fast"), "");
        Result resumed = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "k1");
        assertEquals(0, resumed.exit(), resumed.toString());
        assertEquals("one\n", Files.readString(tmp.resolve("one.count")), "earlier step not re-run");
        assertEquals("two\ntwo\n", Files.readString(tmp.resolve("two.count")), "killed step re-runs");
        assertEquals("three\n", Files.readString(tmp.resolve("three.count")));
        assertEquals("SUCCESS", StateDb.jobStatus(db, "j", "k1"));
        assertEquals("SUCCESS", StateDb.stepStatus(db, "j", "k1", "two"));
    }
}
