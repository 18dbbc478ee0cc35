package io.aetherflow.testkit;

import io.aetherflow.api.step.LockLease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A lease in a {@link FakeStepContext}'s lock table (key to owning run id), re-entrant per run. */
final class FakeLock implements LockLease {

    private final Map<String, String> table;
    private final String key;
    private final String owner;
    private final List<String> journal;
    private boolean held = true;

    private FakeLock(Map<String, String> table, String key, String owner, List<String> journal) {
        this.table = table;
        this.key = key;
        this.owner = owner;
        this.journal = journal;
    }

    /** Takes the key unless another run holds it; journals {@code lock:KEY:TTL} and {@code release:KEY}. */
    static Optional<LockLease> tryLock(Map<String, String> table, String key, String owner, Duration ttl,
            List<String> journal) {
        synchronized (table) {
            String holder = table.get(key);
            if (holder != null && !holder.equals(owner)) {
                return Optional.empty();
            }
            table.put(key, owner);
            journal.add("lock:" + key + ":" + ttl.getSeconds());
        }
        return Optional.of(new FakeLock(table, key, owner, journal));
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean isHeld() {
        synchronized (table) {
            return held;
        }
    }

    @Override
    public void close() {
        synchronized (table) {
            if (held) {
                table.remove(key, owner);
                held = false;
                journal.add("release:" + key);
            }
        }
    }
}
