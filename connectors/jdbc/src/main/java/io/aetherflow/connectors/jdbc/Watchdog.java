package io.aetherflow.connectors.jdbc;

import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cancels a statement that outlives its timeout, for drivers whose {@code setQueryTimeout} does not
 * interrupt a running statement (sqlite-jdbc only applies it to lock waits).
 */
final class Watchdog implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aetherflow-db-timeout");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledFuture<?> task;
    private volatile boolean fired;

    private Watchdog(Statement statement, Duration timeout) {
        task = TIMER.schedule(() -> {
            fired = true;
            try {
                statement.cancel();
            } catch (Exception e) {
                // the statement may have finished meanwhile
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param statement the statement to cancel
     * @param timeout the limit, or null for none
     * @return a running watchdog, or null when there is no limit
     */
    static Watchdog start(Statement statement, Duration timeout) {
        return timeout == null ? null : new Watchdog(statement, timeout);
    }

    /** @return true when the statement was cancelled for running too long */
    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
