package io.aetherflow.runtime.state;

import java.time.Instant;

/**
 * One row of the {@code fire_claims} table: a scheduled fire, who claimed it and how it ended.
 *
 * @param itemId schedule item id
 * @param scheduledAt the fire's scheduled time (millisecond precision)
 * @param owner current (or last) owner
 * @param host the owner's host
 * @param pid the owner's process id
 * @param claimedAt when the current owner claimed it
 * @param leaseUntil the lease end; an uncompleted claim past it may be taken over
 * @param status {@link #CLAIMED} while running, else the final status given to
 *     {@link StateStore#completeFire}
 * @param runId the run id the fire started (nullable)
 * @param completedAt when it completed, or null
 * @param attempts how many owners claimed it (1, plus one per take-over)
 */
public record FireRecord(String itemId, Instant scheduledAt, String owner, String host, long pid, Instant claimedAt,
        Instant leaseUntil, String status, String runId, Instant completedAt, int attempts) {

    /** The status of a claimed, not yet completed fire. */
    public static final String CLAIMED = "CLAIMED";

    /** @return true once {@link StateStore#completeFire} was called for it */
    public boolean completed() {
        return completedAt != null;
    }
}
