package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every documented exit code, produced by the real distribution. */
class ExitCodesIT {

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Aetherflow.baseEnv(tmp);
    }

    private Path stateDb() {
        return Path.of(env().get("AF_STATE"));
    }

    private Path flowFile(String yaml) throws Exception {
        return Aetherflow.write(tmp.resolve("flow.yaml"), yaml);
    }

    @Test
    void zeroWhenEveryJobSucceeds() throws Exception {
        Path f = flowFile(flow("ok", "  - id: a\n    steps:\n" + sh("s", "echo hi", null)));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "r1");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("SUCCESS", StateDb.jobStatus(stateDb(), "a", "r1"));
    }

    @Test
    void oneWhenAJobFails() throws Exception {
        Path f = flowFile(flow("bad", "  - id: a\n    steps:\n" + sh("s", "echo boom >&2; exit 3", null)));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "r1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("exit code 3"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace at INFO: " + r.stderr());
        assertEquals("FAILED", StateDb.jobStatus(stateDb(), "a", "r1"));
    }

    @Test
    void twoOnUsageErrorsAndInvalidFlows() throws Exception {
        assertEquals(2, Aetherflow.run(tmp, env()).exit());
        assertEquals(2, Aetherflow.run(tmp, env(), "run").exit());
        assertEquals(2, Aetherflow.run(tmp, env(), "run", "--flow-yaml").exit());
        assertEquals(2, Aetherflow.run(tmp, env(), "frobnicate").exit());
        Path f = flowFile("flow: {id: x\njobs: []\n");
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("flow.yaml:"), r.stderr());
        Path ok = Aetherflow.write(tmp.resolve("ok.yaml"), flow("ok", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result noJob = Aetherflow.run(tmp, env(), "run", "--flow-yaml", ok.toString(), "--flow-job", "nope");
        assertEquals(2, noJob.exit(), noJob.toString());
        // documented (cli.md, differences.md): a typo is exit 2 with one line, never a silent no-op
        assertEquals("aetherflow: error: --flow-job 'nope': no such job in " + ok + "; jobs: [a]",
                noJob.stderr().strip());
        assertFalse(Files.exists(stateDb()), "nothing ran, nothing was written");
        Result missing = Aetherflow.run(tmp, env(), "run", "--flow-yaml", tmp.resolve("nope.yaml").toString());
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.stderr().contains("nope.yaml"), missing.stderr());
    }

    @Test
    void threeOnAnUnknownStepType() throws Exception {
        Path f = flowFile(flow("u", "  - id: a\n    steps:\n      - id: s\n        type: no.such.step\n"));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.stderr().contains("no.such.step"), r.stderr());
    }

    @Test
    void threeWhenABundleJarChangedAfterLocking() throws Exception {
        Path copy = Aetherflow.copyInstallation(tmp);
        Path jar;
        try (Stream<Path> s = Files.list(copy.resolve("bundles"))) {
            jar = s.filter(p -> p.getFileName().toString().contains("steps-control")).findFirst().orElseThrow();
        }
        Files.write(jar, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        Path f = flowFile(flow("ok", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result r = Aetherflow.run(copy, tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.stderr().contains(jar.getFileName().toString()) || r.stderr().contains("io.aetherflow.steps.control"),
                r.stderr());
    }

    @Test
    void fourWhenTheStatePathIsUnusable() throws Exception {
        Map<String, String> env = env();
        Path blocker = Aetherflow.write(tmp.resolve("blocker"), "a file where a directory should be");
        env.put("AF_STATE", blocker.resolve("state.sqlite").toString());
        Path f = flowFile(flow("ok", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString());
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.stderr().contains("state store"), r.stderr());
    }

    @Test
    void fourWhenTheWorkspaceRootIsUnusable() throws Exception {
        Map<String, String> env = env();
        Path blocker = Aetherflow.write(tmp.resolve("blocker"), "a file where the workspace should be");
        env.put("AETHERFLOW_WORK_ROOT", blocker.resolve("work").toString());
        Path f = flowFile(flow("ok", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString());
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.stderr().contains("workspace root"), r.stderr());
        assertFalse(Files.exists(stateDb()), "nothing written when the workspace is unusable");
    }

    @Test
    void fourWhenTheStateDbIsCorrupt() throws Exception {
        Aetherflow.write(stateDb(), "this is not a database, it is a text file that is long enough".repeat(100));
        Path f = flowFile(flow("ok", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.stderr().contains(stateDb().toString()), r.stderr());
        assertTrue(Files.readString(stateDb()).startsWith("this is not a database"), "left untouched");
    }

    @Test
    void fourWhenTheStateDbIsLockedByAnotherProcess() throws Exception {
        Path f = flowFile(flow("ok", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        assertEquals(0, Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString()).exit());
        Map<String, String> env = env();
        env.put("AETHERFLOW_STATE_BUSY_TIMEOUT", "1");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDb());
                Statement st = c.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString());
            assertEquals(4, r.exit(), r.toString());
            assertTrue(r.stderr().contains("locked") || r.stderr().contains("busy"), r.stderr());
            st.execute("ROLLBACK");
        }
    }

    @Test
    void seventyFiveWhenALockIsHeldByAnotherLiveRun() throws Exception {
        Path f = flowFile(flow("lk", "  - id: a\n    steps:\n"
                + "      - id: guarded\n        type: with_lock\n        inputs:\n          lock_key: nightly\n"
                + "          on_busy: exit\n          step:\n            type: check_items\n"
                + "            inputs: {items: [a]}\n"));
        assertEquals(0, Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "first").exit());
        StateDb.execute(stateDb(), "INSERT INTO locks(key, owner, expires_at) VALUES (?, ?, ?)", "nightly",
                "someone-else", System.currentTimeMillis() / 1000 + 3600);
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "second");
        assertEquals(75, r.exit(), r.toString());
        assertTrue(r.stderr().contains("Lock not acquired: nightly"), r.stderr());
    }

    @Test
    void oneHundredThirtyOnSigtermThenResumable() throws Exception {
        Path started = tmp.resolve("started");
        Path pidFile = tmp.resolve("child.pid");
        Path f = flowFile(flow("sig", "  - id: a\n    steps:\n"
                + sh("first", "echo one >> " + tmp.resolve("first.count"), null)
                + sh("slow", "echo $$ > " + pidFile + "; touch " + started + "; if [ -e " + tmp.resolve("fast")
                        + " ]; then exit 0; fi; sleep 60", null)));
        Process p = Aetherflow.builder(Aetherflow.HOME, tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "s1")
                .start();
        Aetherflow.awaitFile(started, 60);
        long child = Long.parseLong(Files.readString(pidFile).trim());
        p.destroy(); // SIGTERM
        Result r = Aetherflow.finish(p, 60);
        assertEquals(130, r.exit(), r.toString());
        assertEquals("INTERRUPTED", StateDb.jobStatus(stateDb(), "a", "s1"));
        assertEquals("SUCCESS", StateDb.stepStatus(stateDb(), "a", "s1", "first"));
        Thread.sleep(200);
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "child process tree killed");
        Files.writeString(tmp.resolve("fast"), "");
        Result resumed = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "s1");
        assertEquals(0, resumed.exit(), resumed.toString());
        assertEquals("one\n", Files.readString(tmp.resolve("first.count")), "the first step ran once");
    }
}
