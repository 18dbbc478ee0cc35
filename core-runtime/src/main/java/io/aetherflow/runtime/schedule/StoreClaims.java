package io.aetherflow.runtime.schedule;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.run.StateTarget;
import io.aetherflow.runtime.run.StoreAccess;
import io.aetherflow.runtime.state.FireClaim;
import io.aetherflow.runtime.state.StateStore;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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

    /**
     * Test-only: the claim lease in seconds instead of {@link #LEASE}, so that tests see a killed
     * scheduler's fire taken over within seconds. Not for production (a lease shorter than a
     * stop-the-world pause or a slow database write lets a second scheduler run the fire too).
     */
    public static final String LEASE_ENV = "AETHERFLOW_TEST_FIRE_LEASE_SECONDS";

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
     * @param target the scheduler's state store: the SQLite file, or the PostgreSQL database of
     *        {@code AETHERFLOW_STATE_URL} ({@link StateTarget#resolve})
     * @param cacheDir where the native library is kept, or null
     * @param env the environment snapshot
     * @param log where claim outcomes are reported
     * @return claims on that store, with a fresh owner
     */
    public static StoreClaims open(StateTarget target, Path cacheDir, Map<String, String> env, Consumer<String> log) {
        return new StoreClaims(StoreAccess.open(target, cacheDir == null ? StoreAccess.cacheDir(env) : cacheDir, env),
                newOwner(), lease(env), log);
    }

    /** @return {@link #LEASE}, or the test-only {@link #LEASE_ENV} (whole seconds, 1 to 3600) */
    static Duration lease(Map<String, String> env) {
        String v = env.get(LEASE_ENV);
        if (v == null || v.isBlank()) {
            return LEASE;
        }
        try {
            long s = Long.parseLong(v.trim());
            if (s >= 1 && s <= 3600) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(ExitCodes.INVALID, LEASE_ENV + " '" + v + "': expected whole seconds from 1 to 3600"
                + " (a test-only setting: unset it)");
    }

    @Override
    public Duration lease() {
        return lease;
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
        return outcome(store.claimFire(itemId, scheduledAt, owner, lease));
    }

    private Outcome outcome(FireClaim c) {
        if (c.kind() == FireClaim.Kind.TAKEN_OVER) {
            log.accept(c.message());
        }
        if (c.claimed()) {
            return Outcome.RUN;
        }
        return c.kind() == FireClaim.Kind.DONE ? Outcome.DONE : Outcome.BUSY;
    }

    @Override
    public Map<String, Outcome> claimAll(Map<String, Instant> fires) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (FireClaim c : store.claimFires(fires, owner, lease)) {
            out.put(c.itemId(), outcome(c));
        }
        return out;
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
