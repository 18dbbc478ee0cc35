package io.aetherflow.runtime.schedule;

import java.time.Instant;

/** Runs one fire of an item to completion on the calling (worker) thread. */
@FunctionalInterface
public interface FireRunner extends AutoCloseable {

    /**
     * @param item the item
     * @param scheduledAt the fire time it runs for
     * @param runId the fresh run id to use
     * @return the run's exit code ({@link io.aetherflow.launch.ExitCodes})
     */
    int run(ScheduleItem item, Instant scheduledAt, String runId);

    /** Releases what the runner keeps between fires (open state stores); nothing by default. */
    @Override
    default void close() {
    }
}
