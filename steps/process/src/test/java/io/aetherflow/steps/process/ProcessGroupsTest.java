package io.aetherflow.steps.process;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.testkit.FakeStepContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog runs before a child does, ends when the step component does, and a later child
 * starts a new one.
 */
class ProcessGroupsTest {

    @TempDir
    Path tmp;

    @AfterEach
    void endTheWatchdog() {
        ProcessGroups.close();
    }

    @Test
    void theWatchdogRunsBeforeTheFirstChildStarts() throws Exception {
        assumeTrue(ProcessGroups.available(), "needs setsid and /bin/sh");
        assumeTrue(java.nio.file.Files.exists(Path.of("/proc/self/task/" + ProcessHandle.current().pid() + "/children")),
                "needs /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN)");
        ProcessGroups.close();
        assertNull(ProcessGroups.watchdogProcess());
        // the child (setsid execs in place, so its parent is this JVM) looks, with shell built-ins
        // only, for a sibling whose command line is already the watchdog's (first line of its script)
        String script = "me=$$; found=; for f in /proc/$PPID/task/*/children; do read -r l < $f; for k in $l; do"
                + " [ \"$k\" = \"$me\" ] && continue; read -r c < /proc/$k/cmdline;"
                + " case $c in *\"HUP INT PIPE\"*) found=$k;; esac; done; done; [ -n \"$found\" ]";
        assertTrue(ProcessGroups.WATCHDOG_SCRIPT.startsWith("trap '' HUP INT PIPE\n"));
        FakeStepContext c = FakeStepContext.at(tmp).flowId("f").runId("r").jobId("j").stepId("s")
                .stepType(ExternalProcessStep.TYPE).inputs(Map.of("command", List.of("/bin/sh", "-c", script)));
        StepResult r = assertDoesNotThrow(() -> new ExternalProcessStep().run(c),
                "the child started before the watchdog ran");
        assertEquals(StepResult.SUCCESS, r.status());
        ProcessGroups.close();
    }

    @Test
    void theWatchdogIsStartedBeforeTheChildIsEvenTried() {
        assumeTrue(ProcessGroups.available(), "needs setsid and /bin/sh");
        ProcessGroups.close();
        // a cwd that does not exist: starting the child fails, after the watchdog was started
        FakeStepContext c = FakeStepContext.at(tmp).flowId("f").runId("r").jobId("j").stepId("s")
                .stepType(ExternalProcessStep.TYPE)
                .inputs(Map.of("command", List.of("/bin/true"), "cwd", tmp.resolve("no-such-dir").toString()));
        assertThrows(StepFailedException.class, () -> new ExternalProcessStep().run(c));
        Process w = ProcessGroups.watchdogProcess();
        assertNotNull(w, "no watchdog was started before the child");
        assertTrue(w.isAlive());
        ProcessGroups.close();
    }

    @Test
    void deactivateEndsTheWatchdogAndTheNextChildStartsAnother() throws Exception {
        assumeTrue(ProcessGroups.available(), "needs setsid and /bin/sh");
        // a group id that no process has: the watchdog would only signal it if the list kept it
        long pgid = Integer.MAX_VALUE - 7;
        ProcessGroups.watch(pgid);
        ProcessGroups.unwatch(pgid);
        Process first = ProcessGroups.watchdogProcess();
        assertNotNull(first, "watch() starts the watchdog");
        assertTrue(first.isAlive());

        new ExternalProcessStep().deactivate();

        assertTrue(first.waitFor(10, TimeUnit.SECONDS), "the watchdog still runs after the component was deactivated");
        assertNull(ProcessGroups.watchdogProcess());
        ProcessGroups.watch(pgid);
        ProcessGroups.unwatch(pgid);
        Process second = ProcessGroups.watchdogProcess();
        assertNotNull(second, "a child after deactivation gets a watchdog again");
        assertNotSame(first, second);
        ProcessGroups.close();
        assertTrue(second.waitFor(5, TimeUnit.SECONDS));
    }
}
