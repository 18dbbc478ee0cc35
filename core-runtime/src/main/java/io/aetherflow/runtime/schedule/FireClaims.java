package io.aetherflow.runtime.schedule;

import java.time.Instant;

/**
 * Claims a fire before it runs, so that several schedulers sharing one state store run each fire
 * once: the first claim of an item id and fire time wins, every later one is refused.
 */
@FunctionalInterface
public interface FireClaims {

    /**
     * @param itemId the item id
     * @param scheduledAt its fire time
     * @return true when this scheduler claimed it and must run it, false when another already did
     */
    boolean claim(String itemId, Instant scheduledAt);
}
