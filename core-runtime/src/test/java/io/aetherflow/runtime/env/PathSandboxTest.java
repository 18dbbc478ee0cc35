package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathSandboxTest {

    @TempDir
    Path tmp;

    Path work;
    Path artifacts;
    Path outside;

    @BeforeEach
    void layout() throws Exception {
        tmp = tmp.toRealPath();
        work = Files.createDirectories(tmp.resolve("work"));
        artifacts = Files.createDirectories(tmp.resolve("work/run1/job_a/artifacts"));
        outside = Files.createDirectories(tmp.resolve("outside"));
    }

    private Path resolve(String raw, boolean sandbox, boolean enterprise) {
        return PathSandbox.resolve(raw, artifacts, work, sandbox, enterprise);
    }

    @Test
    void relativeResolvesUnderArtifacts() {
        assertEquals(artifacts.resolve("out/report.csv"), resolve("out/report.csv", true, false));
        assertEquals(artifacts.resolve("b.txt"), resolve("./a/../b.txt", true, false));
    }

    @Test
    void absoluteInsideWorkRootIsAllowed() {
        assertEquals(work.resolve("shared/in.csv"), resolve(work.resolve("shared/in.csv").toString(), true, false));
    }

    @Test
    void absoluteOutsideIsRejected() {
        String raw = outside.resolve("x.txt").toString();
        SandboxViolationException e = assertThrows(SandboxViolationException.class, () -> resolve(raw, true, false));
        assertEquals("Path not under allowed roots: " + raw + ". Allowed roots: ['" + work + "', '" + artifacts + "']",
                e.getMessage());
        assertThrows(SandboxViolationException.class, () -> resolve("../../../../outside/x.txt", true, false));
    }

    @Test
    void sandboxOffAllowsAnything() {
        assertEquals(outside.resolve("x.txt"), resolve(outside.resolve("x.txt").toString(), false, false));
        assertEquals(outside.resolve("x.txt"), resolve(outside.resolve("x.txt").toString(), false, true));
    }

    @Test
    void missingRootsAreNotListed() {
        Path missingWork = tmp.resolve("nowhere");
        SandboxViolationException e = assertThrows(SandboxViolationException.class,
                () -> PathSandbox.resolve("/etc/passwd", artifacts, missingWork, true, false));
        assertTrue(e.getMessage().endsWith("Allowed roots: ['" + artifacts + "']"), e.getMessage());
    }

    @Test
    void enterpriseAllowsOnlyTheArtifactsDir() {
        assertEquals(artifacts.resolve("a.txt"), resolve("a.txt", true, true));
        String raw = work.resolve("shared/in.csv").toString();
        SandboxViolationException e = assertThrows(SandboxViolationException.class, () -> resolve(raw, true, true));
        assertEquals("Path escapes job artifacts dir in enterprise mode: " + raw, e.getMessage());
        assertEquals("Path escapes job artifacts dir in enterprise mode: ../x",
                assertThrows(SandboxViolationException.class, () -> resolve("../x", true, true)).getMessage());
    }

    @Test
    void symlinkPointingOutsideIsRejected() throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "s");
        Files.createSymbolicLink(artifacts.resolve("link"), outside);
        assertThrows(SandboxViolationException.class, () -> resolve("link/secret.txt", true, false));
        assertThrows(SandboxViolationException.class, () -> resolve("link/secret.txt", true, true));
        assertEquals(outside.resolve("secret.txt"), resolve("link/secret.txt", false, false));
    }

    @Test
    void symlinkInsideResolvesToItsTarget() throws Exception {
        Path target = Files.createDirectories(work.resolve("data"));
        Files.createSymbolicLink(artifacts.resolve("data"), target);
        assertEquals(target.resolve("f.csv"), resolve("data/f.csv", true, false));
        // Enterprise: the target is outside the artifacts dir.
        assertThrows(SandboxViolationException.class, () -> resolve("data/f.csv", true, true));
    }

    @Test
    void dotDotAfterSymlinkFollowsTheTarget() throws Exception {
        Files.createSymbolicLink(artifacts.resolve("up"), outside);
        // up/.. is the parent of the link's target (tmp), not the artifacts dir.
        assertEquals(tmp.resolve("work/x"), resolve("up/../work/x", false, false));
    }
}
