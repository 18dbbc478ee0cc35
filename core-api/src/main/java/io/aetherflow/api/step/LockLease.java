package io.aetherflow.api.step;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A held lock. The engine renews the lease in the background while the holder is alive, so a long
 * step does not lose its lock; closing releases it.
 */
@ProviderType
public interface LockLease extends AutoCloseable {

    /** @return the lock key */
    String key();

    /** @return true while the lease is held (false after close or when renewal failed) */
    boolean isHeld();

    /** Releases the lock; idempotent. */
    @Override
    void close();
}
