package io.aetherflow.runtime.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Claims a fire before it runs, so that several schedulers sharing one state store run each fire
 * once (the first claim of an item id and fire time wins), and records how it ended.
 * {@link StoreClaims} implements it on the {@code StateStore} seam.
 */
public interface FireClaims {

    /** The outcome of a claim. */
    enum Outcome {
        /** This scheduler owns the fire and runs it. */
        RUN,
        /** Another live scheduler holds it; ask again later (it is taken over once that lease expires). */
        BUSY,
        /** The fire was completed (by anyone): never run it. */
        DONE
    }

    /**
     * @param itemId the item id
     * @param scheduledAt its fire time
     * @return what to do
     */
    Outcome claim(String itemId, Instant scheduledAt);

    /**
     * Claims the fires found due at one moment, together (a store claims them in one transaction);
     * each is decided as by {@link #claim}. This default claims them one by one.
     *
     * @param fires item id to fire time, in the order to claim
     * @return the outcome per item id
     */
    default Map<String, Outcome> claimAll(Map<String, Instant> fires) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        fires.forEach((itemId, at) -> out.put(itemId, claim(itemId, at)));
        return out;
    }

    /**
     * Extends the lease of a claimed fire that is still running.
     *
     * @param itemId the item id
     * @param scheduledAt its fire time
     */
    void renew(String itemId, Instant scheduledAt);

    /**
     * Records the end of a claimed fire; afterwards nobody runs it again.
     *
     * @param itemId the item id
     * @param scheduledAt its fire time
     * @param status SUCCESS, FAILED or INTERRUPTED
     * @param runId the run id it ran as
     */
    void complete(String itemId, Instant scheduledAt, String status, String runId);

    /** @return how long a claim is held without renewal (the scheduler renews every third of it) */
    default Duration lease() {
        return StoreClaims.LEASE;
    }
}
