package io.aetherflow.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.runtime.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {

    @TempDir
    Path tmp;

    private Workspace ws(String runId) {
        return new Workspace(tmp.resolve("a/b/root"), "f", runId, SpecParser.DEFAULT_LAYOUT);
    }

    @Test
    void jobIdsThatLeaveTheRootAreRefusedAndNothingIsCreatedOrDeleted() throws Exception {
        Path victim = Files.createDirectories(tmp.resolve("a/victim"));
        Files.writeString(victim.resolve("keep.txt"), "precious");
        Workspace w = ws("victim");
        for (String job : new String[] {"../../..", "/abs/path", "../../../escape"}) {
            StepFailedException e = assertThrows(StepFailedException.class, () -> w.ensureSub(job, "artifacts"));
            assertTrue(e.getMessage().contains("not under the workspace root"), e.getMessage());
            assertTrue(w.cleanup(job).contains("not under the workspace root"));
        }
        assertTrue(Files.exists(victim.resolve("keep.txt")));
        assertFalse(Files.exists(tmp.resolve("abs")));
        assertFalse(Files.exists(Path.of("/abs/path")));
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    @Test
    void aLinkOutOfTheRootIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path flowDir = Files.createDirectories(tmp.resolve("a/b/root/f"));
        Files.createSymbolicLink(flowDir.resolve("j"), outside);
        Workspace w = ws("r1");
        assertThrows(StepFailedException.class, () -> w.ensureSub("j", "artifacts"));
        try (var s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing created through the link");
        }
        Files.createDirectories(outside.resolve("r1"));
        Files.writeString(outside.resolve("r1/data.txt"), "x");
        assertTrue(w.cleanup("j").contains("not under the workspace root"));
        assertTrue(Files.exists(outside.resolve("r1/data.txt")));
    }

    @Test
    void aLayoutThatLeavesTheRootIsRefused() {
        Workspace w = new Workspace(tmp.resolve("root"), "f", "r", Map.of("artifacts", "../../../../out"));
        assertThrows(StepFailedException.class, () -> w.ensureSub("j", "artifacts"));
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void cleanupDeletesOnlyWhatThisRunCreated() throws Exception {
        Workspace w = ws("r1");
        Path art = w.ensureSub("j", "artifacts");
        Files.writeString(art.resolve("out.txt"), "x");
        assertTrue(Files.isRegularFile(w.jobDir("j").resolve(Workspace.OWNER_FILE)));
        assertNull(w.cleanup("j"));
        assertFalse(Files.exists(w.jobDir("j")));

        // a job directory that was there before the run: used, but never deleted
        Path pre = Files.createDirectories(ws("r2").jobDir("j"));
        Files.writeString(pre.resolve("mine.txt"), "keep");
        Workspace w2 = ws("r2");
        w2.ensureSub("j", "artifacts");
        String kept = w2.cleanup("j");
        assertTrue(kept != null && kept.contains("was not created by this run"), kept);
        assertTrue(Files.exists(pre.resolve("mine.txt")));
    }

    @Test
    void aResumedRunCleansUpTheDirectoryItsEarlierAttemptCreated() throws Exception {
        ws("r3").ensureSub("j", "scratch");
        // a new process, same flow and run id (resume): the owner file says the directory is this run's
        Workspace resumed = ws("r3");
        resumed.ensureSub("j", "scratch");
        assertNull(resumed.cleanup("j"));
        assertFalse(Files.exists(resumed.jobDir("j")));
        // an owner file naming another run does not count
        Path d = ws("r4").ensureJobDir("j");
        Files.writeString(d.resolve(Workspace.OWNER_FILE), "flow_id=f\nrun_id=other\n");
        assertTrue(ws("r4").cleanup("j").contains("was not created by this run"));
        assertTrue(Files.isDirectory(d));
    }
}
