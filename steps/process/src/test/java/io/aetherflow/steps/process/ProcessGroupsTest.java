package io.aetherflow.steps.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watchdog ends when the step component does, and a later child starts a new one. */
class ProcessGroupsTest {

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

        assertFalse(first.isAlive(), "the watchdog still runs after the component was deactivated");
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
