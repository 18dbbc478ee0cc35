package io.aetherflow.runtime.state;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Refreshes {@code runs.heartbeat_at_ms} of one run from a daemon thread, so other processes can
 * tell a live run from a dead one ({@link StateStore#markDeadRuns()}). Close it when the run ends.
 */
public final class RunHeartbeat implements AutoCloseable {

    private final StateStore store;
    private final String flowId;
    private final String runId;
    private final Consumer<String> problems;
    private final ScheduledExecutorService timer;
    private volatile boolean lost;
    private String lastProblem;

    private RunHeartbeat(StateStore store, String flowId, String runId, Consumer<String> problems) {
        this.store = store;
        this.flowId = flowId;
        this.runId = runId;
        this.problems = problems;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aetherflow-heartbeat-" + runId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts beating every {@link StoreOptions#heartbeatInterval()} of the store.
     *
     * @param store the store the run was begun in
     * @param flowId flow id
     * @param runId run id
     * @param problems receives a one-line message when a beat fails or the run row is no longer
     *     RUNNING for this process (each distinct problem once in a row)
     * @return the running heartbeat
     */
    public static RunHeartbeat start(StateStore store, String flowId, String runId, Consumer<String> problems) {
        return start(store, flowId, runId, store.options().heartbeatInterval(), problems);
    }

    /**
     * Starts beating at a given interval.
     *
     * @param store the store the run was begun in
     * @param flowId flow id
     * @param runId run id
     * @param interval time between beats
     * @param problems receives one-line problem messages
     * @return the running heartbeat
     */
    public static RunHeartbeat start(StateStore store, String flowId, String runId, Duration interval,
            Consumer<String> problems) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(problems, "problems");
        long ms = Math.max(1, interval.toMillis());
        RunHeartbeat hb = new RunHeartbeat(store, flowId, runId, problems);
        hb.timer.scheduleWithFixedDelay(hb::beat, ms, ms, TimeUnit.MILLISECONDS);
        return hb;
    }

    private void beat() {
        try {
            if (store.heartbeat(flowId, runId)) {
                lastProblem = null;
                lost = false;
            } else {
                lost = true;
                report("run " + runId + " of flow " + flowId + " is no longer RUNNING for this process in state store "
                        + store.location() + " (another process marked it INTERRUPTED or resumed it)");
            }
        } catch (RuntimeException e) {
            report("heartbeat of run " + runId + " failed: " + e.getMessage());
        }
    }

    private void report(String message) {
        if (!message.equals(lastProblem)) {
            lastProblem = message;
            problems.accept(message);
        }
    }

    /** @return true when the last beat found the run row taken away from this process */
    public boolean lost() {
        return lost;
    }

    /** Stops beating (waits briefly for a beat in progress). Idempotent. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
