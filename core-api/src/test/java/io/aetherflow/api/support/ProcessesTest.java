package io.aetherflow.api.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessesTest {

    @Test
    void aSleepingChildRunsUntilItIsReaped() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            assertTrue(Processes.running(p.toHandle()));
            assertTrue(Processes.running(ProcessHandle.current()));
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
        assertFalse(Processes.running(p.toHandle()));
    }

    @Test
    void anExitedButUnreapedChildIsNotRunning() throws Exception {
        // the shell's child exits at once; the shell does not wait for it for a second: a zombie meanwhile
        Process sh = new ProcessBuilder("/bin/sh", "-c", "sleep 0 & exec sleep 2").start();
        try {
            ProcessHandle zombie = null;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (zombie == null && System.nanoTime() < end) {
                zombie = sh.toHandle().children().findFirst().orElse(null);
                Thread.sleep(20);
            }
            assertNotNull(zombie, "the shell's background child");
            Thread.sleep(200);
            assertTrue(zombie.isAlive(), "a zombie still has a process table entry");
            assertFalse(Processes.running(zombie), "an exited child its parent has not reaped is a zombie");
        } finally {
            sh.destroyForcibly();
            sh.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
