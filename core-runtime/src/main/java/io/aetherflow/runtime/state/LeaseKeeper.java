package io.aetherflow.runtime.state;

import io.aetherflow.api.step.LockLease;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The locks of one owner (one run): acquires through the store, keeps every held lease alive from a
 * daemon thread (renewed every third of ttl - 1 s, see {@link #renewalPeriodMillis}), and reports every
 * acquire, re-entry, takeover, refusal, loss and release to a listener for the run log.
 *
 * <p>Nesting is counted here: acquiring a key this keeper already holds returns another lease on
 * the same row (its expiry extended); the row is deleted when the last of those leases closes.
 * Closing the keeper releases whatever is still held.
 */
public final class LeaseKeeper implements AutoCloseable {

    private final StateStore store;
    private final String owner;
    private final Consumer<LockEvent> listener;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private boolean closed;

    /**
     * @param store the state store
     * @param owner lock owner (the run id, as in the reference)
     * @param listener receives every lock event (called on the caller's or the renewal thread)
     */
    public LeaseKeeper(StateStore store, String owner, Consumer<LockEvent> listener) {
        this.store = Objects.requireNonNull(store, "store");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** One lock row held by this keeper, possibly by several nested leases. */
    private final class Held {
        final String key;
        long ttlSeconds;
        int count;
        volatile boolean alive = true;
        ScheduledFuture<?> renewal;

        Held(String key, long ttlSeconds) {
            this.key = key;
            this.ttlSeconds = ttlSeconds;
        }
    }

    /** A lease handed to a step. */
    private final class Lease implements LockLease {
        private final Held row;
        private boolean released;

        Lease(Held row) {
            this.row = row;
        }

        @Override
        public String key() {
            return row.key;
        }

        @Override
        public boolean isHeld() {
            synchronized (LeaseKeeper.this) {
                return !released && row.alive;
            }
        }

        @Override
        public void close() {
            synchronized (LeaseKeeper.this) {
                if (released) {
                    return;
                }
                released = true;
                if (--row.count == 0) {
                    drop(row);
                }
            }
        }
    }

    /**
     * Tries once to acquire {@code key}.
     *
     * @param key lock key
     * @param ttlSeconds lease length in seconds (&gt;= 1); renewed while held (see {@link #renewalPeriodMillis})
     * @return a lease, or empty when another owner holds an unexpired lease
     * @throws StateStoreException when the store fails
     */
    public synchronized Optional<LockLease> tryAcquire(String key, long ttlSeconds) {
        if (closed) {
            throw new IllegalStateException("lease keeper of " + owner + " is closed");
        }
        LockEvent event = store.acquireLock(key, owner, ttlSeconds);
        listener.accept(event);
        if (!event.held()) {
            return Optional.empty();
        }
        Held row = held.get(key);
        if (row == null || !row.alive) {
            if (row != null) {
                cancel(row);
            }
            row = new Held(key, ttlSeconds);
            held.put(key, row);
            schedule(row);
        } else if (ttlSeconds > row.ttlSeconds) {
            row.ttlSeconds = ttlSeconds;
            cancel(row);
            schedule(row);
        }
        row.count++;
        return Optional.of(new Lease(row));
    }

    /** @return keys currently held (with a live lease) by this keeper */
    public synchronized Set<String> heldKeys() {
        return Set.copyOf(held.values().stream().filter(h -> h.alive).map(h -> h.key).toList());
    }

    /** @return the owner these leases belong to */
    public String owner() {
        return owner;
    }

    private void schedule(Held row) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aetherflow-lock-renewal-" + owner);
                t.setDaemon(true);
                return t;
            });
        }
        long period = renewalPeriodMillis(row.ttlSeconds);
        row.renewal = timer.scheduleWithFixedDelay(() -> renew(row), period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * How often a lease is renewed: a third of what a renewal is sure to buy. Expiry is stored in
     * whole seconds ({@code floor(now) + ttl}), so a renewal buys between {@code ttl - 1} and
     * {@code ttl} seconds; renewing every third of {@code ttl - 1} leaves two periods of slack for
     * a renewal that is late (a loaded host), also for short TTLs (2 s: every 333 ms, where a third
     * of the TTL left a third of a second). Never more often than every 250 ms, so a TTL of 1 s has
     * no slack at all. A renewal that waits for a store locked by another process (up to its busy
     * timeout) delays the next one by as much.
     *
     * @param ttlSeconds the lease's TTL
     * @return the renewal period in milliseconds
     */
    static long renewalPeriodMillis(long ttlSeconds) {
        return Math.max(250, (ttlSeconds * 1000 - 1000) / 3);
    }

    private void renew(Held row) {
        synchronized (this) {
            if (!row.alive || held.get(row.key) != row) {
                return;
            }
            boolean ok;
            try {
                ok = store.renewLock(row.key, owner, row.ttlSeconds);
            } catch (RuntimeException e) {
                // a transient failure (e.g. the store was busy): the lease has two periods left; retry next period
                listener.accept(new LockEvent(LockEvent.Kind.RENEWAL_FAILED, row.key, owner, null, 0,
                        e.getMessage()));
                return;
            }
            if (!ok) {
                row.alive = false;
                cancel(row);
                listener.accept(new LockEvent(LockEvent.Kind.LOST, row.key, owner, null, 0, null));
            }
        }
    }

    private void drop(Held row) {
        cancel(row);
        if (held.get(row.key) == row) {
            held.remove(row.key);
        }
        if (!row.alive) {
            return; // already reported LOST; nothing of ours to delete
        }
        row.alive = false;
        boolean deleted = store.releaseLock(row.key, owner);
        listener.accept(new LockEvent(deleted ? LockEvent.Kind.RELEASED : LockEvent.Kind.LOST, row.key, owner, null,
                0, null));
    }

    private static void cancel(Held row) {
        if (row.renewal != null) {
            row.renewal.cancel(false);
            row.renewal = null;
        }
    }

    /** Releases every lock still held and stops the renewal thread. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (Held row : List.copyOf(held.values())) {
            try {
                drop(row);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        held.clear();
        if (timer != null) {
            timer.shutdown();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
