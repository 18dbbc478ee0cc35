package io.aetherflow.runtime.run;

import io.aetherflow.api.step.LockLease;
import java.time.Duration;
import java.util.Optional;

/** Run-scoped access to the state store's locks, with background lease renewal. */
public interface LockService extends AutoCloseable {

    /**
     * Tries once to acquire a lock for this run (re-entrant for the same run).
     *
     * @param key lock key
     * @param ttl lease length
     * @return the lease or empty when another live run holds it
     */
    Optional<LockLease> tryLock(String key, Duration ttl);

    /**
     * @param key lock key
     * @return the current holder of the key, or null when free or unknown
     */
    String holder(String key);

    /** Releases every lease still held by this run. */
    @Override
    void close();
}
