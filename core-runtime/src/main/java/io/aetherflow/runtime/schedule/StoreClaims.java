package io.aetherflow.runtime.schedule;

import io.aetherflow.runtime.run.StoreAccess;
import io.aetherflow.runtime.state.FireClaim;
import io.aetherflow.runtime.state.StateStore;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Fire claims in the state store ({@link StateStore#claimFire} and friends): one row per item id
 * and fire time, so every fire runs once across the schedulers sharing the store (on one host with
 * SQLite). The owner is {@code host:pid:uuid}; the lease is renewed while the run lasts, so a dead
 * scheduler's fire is taken over by another once its lease expired.
 */
public final class StoreClaims implements FireClaims, AutoCloseable {

    /** How long a claim is held without renewal. */
    public static final Duration LEASE = Duration.ofSeconds(60);

    private final StateStore store;
    private final String owner;
    private final Duration lease;
    private final Consumer<String> log;

    /**
     * @param store the store (closed with this object)
     * @param owner this scheduler's owner string
     * @param lease the claim lease
     * @param log where claim outcomes other than a plain claim are reported
     */
    public StoreClaims(StateStore store, String owner, Duration lease, Consumer<String> log) {
        this.store = store;
        this.owner = owner;
        this.lease = lease;
        this.log = log;
    }

    /**
     * @param statePath the scheduler's state store file
     * @param cacheDir where the native library is kept, or null
     * @param env the environment snapshot
     * @param log where claim outcomes are reported
     * @return claims on the store at that path, with a fresh owner
     */
    public static StoreClaims open(Path statePath, Path cacheDir, Map<String, String> env, Consumer<String> log) {
        return new StoreClaims(StoreAccess.open(statePath, cacheDir == null ? StoreAccess.cacheDir(env) : cacheDir, env),
                newOwner(), LEASE, log);
    }

    /** @return {@code host:pid:uuid} */
    public static String newOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":" + UUID.randomUUID();
    }

    /** @return this scheduler's owner string */
    public String owner() {
        return owner;
    }

    @Override
    public Outcome claim(String itemId, Instant scheduledAt) {
        FireClaim c = store.claimFire(itemId, scheduledAt, owner, lease);
        if (c.kind() == FireClaim.Kind.TAKEN_OVER) {
            log.accept(c.message());
        }
        if (c.claimed()) {
            return Outcome.RUN;
        }
        return c.kind() == FireClaim.Kind.DONE ? Outcome.DONE : Outcome.BUSY;
    }

    @Override
    public void renew(String itemId, Instant scheduledAt) {
        if (!store.renewFire(itemId, scheduledAt, owner, lease)) {
            log.accept("fire " + itemId + "@" + scheduledAt + ": lease could not be renewed by " + owner);
        }
    }

    @Override
    public void complete(String itemId, Instant scheduledAt, String status, String runId) {
        store.completeFire(itemId, scheduledAt, owner, status, runId);
    }

    @Override
    public void close() {
        try {
            store.close();
        } catch (Exception e) {
            log.accept("state store close failed: " + e);
        }
    }
}
