package io.aetherflow.steps.process;

import io.aetherflow.api.support.Processes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stops a child process together with everything it started: SIGTERM to the whole tree, a grace
 * period, then SIGKILL to whatever is still running (including processes started during the grace
 * period). Descendants are snapshotted while their parents are alive, so orphans are not missed.
 */
final class ProcessTree {

    /** How long to wait for the tree after SIGKILL. */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;

    private ProcessTree() {
    }

    /**
     * Terminates {@code process} and all its descendants. Not interruptible: an interrupt during
     * the grace period cuts it short (straight to SIGKILL) and is restored on return.
     *
     * @param process the child
     * @param grace wait between SIGTERM and SIGKILL
     */
    static void terminate(Process process, Duration grace) {
        boolean interrupted = false;
        Map<Long, ProcessHandle> tree = new LinkedHashMap<>();
        collect(process.toHandle(), tree);
        for (ProcessHandle h : tree.values()) {
            h.destroy();
        }
        try {
            interrupted = !awaitGone(tree, grace.toNanos());
            if (!interrupted && allGone(tree)) {
                reap(process);
                return;
            }
            // a process may have started children during the grace period: collect them too
            for (ProcessHandle h : new ArrayList<>(tree.values())) {
                if (Processes.running(h)) {
                    collect(h, tree);
                }
            }
            for (ProcessHandle h : tree.values()) {
                if (Processes.running(h)) {
                    h.destroyForcibly();
                }
            }
            if (!awaitGone(tree, KILL_WAIT.toNanos())) {
                interrupted = true;
            }
            reap(process);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void reap(Process process) {
        try {
            process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void collect(ProcessHandle root, Map<Long, ProcessHandle> into) {
        into.putIfAbsent(root.pid(), root);
        root.descendants().forEach(d -> into.putIfAbsent(d.pid(), d));
    }

    /** @return false when interrupted while waiting */
    private static boolean awaitGone(Map<Long, ProcessHandle> tree, long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!allGone(tree)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean allGone(Map<Long, ProcessHandle> tree) {
        for (ProcessHandle h : tree.values()) {
            if (Processes.running(h)) {
                return false;
            }
        }
        return true;
    }
}
