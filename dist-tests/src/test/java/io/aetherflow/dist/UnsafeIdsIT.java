package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.quote;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 (ids and untrusted input): ids that would leave the workspace are refused at validation,
 * the workspace never creates or deletes outside its root, cleanup keeps directories it did not
 * create, untrusted values are echoed on one line, huge ids fail fast, and unreadable YAML has a
 * position.
 */
class UnsafeIdsIT {

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Aetherflow.baseEnv(tmp);
    }

    private Path root() {
        return tmp.resolve("a/b/root");
    }

    /** A flow with the default cleanup (on_success) and its workspace two levels below tmp/a. */
    private Path flow(String jobId, String stepId) throws Exception {
        return Aetherflow.write(tmp.resolve("flow.yaml"), "flow:\n  id: f\n  workspace:\n    root: "
                + quote(root().toString()) + "\n  state:\n    path: " + quote(tmp.resolve("state/af.sqlite").toString())
                + "\njobs:\n  - id: " + quote(jobId) + "\n    steps:\n" + sh(stepId, "echo hi > \"$AETHERFLOW_OUTPUT_DIR/x\" || true", null));
    }

    private static void oneLineNoTrace(Result r) {
        assertFalse(r.stderr().contains("\tat "), r.toString());
        assertFalse(r.stderr().contains("Exception"), r.toString());
    }

    @Test
    void traversalJobIdsAreRejectedAndTheVictimDirectorySurvives() throws Exception {
        Path victim = Files.createDirectories(tmp.resolve("a/victim"));
        Files.writeString(victim.resolve("keep.txt"), "precious");
        for (String id : new String[] {"../../..", tmp.resolve("abs/path").toString(), "../../../escape"}) {
            Path f = flow(id, "s");
            Result v = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
            assertEquals(2, v.exit(), v.toString());
            assertTrue(v.stdout().contains("- jobs[0].id: semantic:unsafe_id - Unsafe job id " + "'" + id.replace("'", "\\'")
                    + "': it contains '/' (a path separator)"), v.stdout());
            assertTrue(v.stdout().contains("flow.yaml:8:5)"), v.stdout());
            Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "victim");
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.stderr().contains("semantic:unsafe_id"), r.stderr());
            oneLineNoTrace(r);
        }
        assertEquals("precious", Files.readString(victim.resolve("keep.txt")));
        assertFalse(Files.exists(tmp.resolve("abs")), "nothing created at the absolute id");
        assertFalse(Files.exists(tmp.resolve("escape")), "nothing created above the root");
        assertFalse(Files.exists(root().resolve("f")), "no job ran");
    }

    @Test
    void stepIdsMustBeSafeToo() throws Exception {
        Path f = flow("j", "../s");
        Result v = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString(), "--json");
        assertEquals(2, v.exit(), v.toString());
        assertTrue(v.stdout().contains("\"code\": \"semantic:unsafe_id\", \"loc\": \"jobs[0].steps[0].id\""), v.stdout());
    }

    @Test
    void controlCharactersInArgumentsAreEscapedOnOneLine() throws Exception {
        Path f = flow("j", "s");
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "x\ny");
        assertEquals(2, r.exit(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains("--run-id 'x\\ny' is not a safe id: it contains a control character"), r.stderr());
        Result j = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--flow-job", "x\ny\u001b[2J");
        assertEquals(2, j.exit(), j.toString());
        assertTrue(j.stderr().contains("--flow-job 'x\\ny\\x1b[2J': no such job"), j.stderr());
        assertFalse(j.stderr().contains("\u001b"), j.stderr());
        assertEquals(1, j.stderr().lines().filter(l -> l.contains("error")).count(), j.stderr());
        Result c = Aetherflow.run(tmp, env(), "runs", "show", "a\nb");
        assertFalse(c.stderr().contains("a\nb"), c.stderr());
    }

    @Test
    void aHugeJobIdFailsFast() throws Exception {
        Path f = flow("j".repeat(5_000_000), "s");
        long t0 = System.nanoTime();
        Result v = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, v.exit(), v.stderr());
        assertTrue(v.stdout().contains("is 5000000 characters long (at most 128)"), v.stdout().substring(0, Math.min(2000, v.stdout().length())));
        assertTrue(v.stdout().length() < 2_000, "the report does not echo the id: " + v.stdout().length());
        // was 15 s (and 454 MB) before the loader fix, then passed validation
        assertTrue(ms < 10_000, "took " + ms + " ms");
    }

    @Test
    void invalidUtf8AndNulBytesHaveAPosition() throws Exception {
        Path f = tmp.resolve("bad.yaml");
        Files.write(f, "flow:\n  id: f\njobs:\n  - id: \"a".getBytes(StandardCharsets.UTF_8));
        Files.write(f, new byte[] {(byte) 0xff, '"', '\n'}, java.nio.file.StandardOpenOption.APPEND);
        Result u = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
        assertEquals(2, u.exit(), u.toString());
        assertTrue(u.stderr().contains("bad.yaml:4:11: the file is not valid UTF-8 (byte 0xff at byte offset 30)"),
                u.stderr());
        Files.write(f, "flow:\n  id: f\njobs:\n  - id: \"a\0b\"\n".getBytes(StandardCharsets.UTF_8));
        Result n = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString(), "--json");
        assertEquals(2, n.exit(), n.toString());
        assertTrue(n.stdout().contains("\"line\": 4, \"column\": 11"), n.stdout());
        assertTrue(n.stdout().contains("U+0000"), n.stdout());
        Result t = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(2, t.exit(), t.toString());
        assertTrue(t.stderr().contains("bad.yaml:4:11:"), t.stderr());
        oneLineNoTrace(t);
    }

    @Test
    void cleanupKeepsAJobDirectoryThatExistedBeforeTheRun() throws Exception {
        Path f = flow("j", "s");
        Path pre = Files.createDirectories(root().resolve("f/j/r1"));
        Files.writeString(pre.resolve("mine.txt"), "keep");
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "r1");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("keep", Files.readString(pre.resolve("mine.txt")));
        assertTrue(r.stderr().contains("Job cleanup skipped: ") && r.stderr().contains("was not created by this run"),
                r.stderr());
        // a directory the run created is still cleaned up (on_success)
        Result fresh = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "r2");
        assertEquals(0, fresh.exit(), fresh.toString());
        assertTrue(fresh.stderr().contains("Job cleaned up"), fresh.stderr());
        assertFalse(Files.exists(root().resolve("f/j/r2")));
    }

    @Test
    void aLinkOutOfTheWorkspaceIsRefused() throws Exception {
        Path f = flow("j", "s");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(root().resolve("f"));
        Files.createSymbolicLink(root().resolve("f/j"), outside);
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "r1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("is not under the workspace root"), r.stderr());
        try (var s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing created through the link");
        }
    }
}
