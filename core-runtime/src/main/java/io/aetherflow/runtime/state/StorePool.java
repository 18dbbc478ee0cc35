package io.aetherflow.runtime.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Open state stores kept between the runs of one long-lived process (the scheduler's warm host):
 * a run {@linkplain #lease leases} a store, uses it alone (one connection per run, as for a
 * command-line run), and its {@code close()} hands the store back instead of closing the
 * connection, so the next fire of any item on the same store skips the file checks, the
 * connection set-up (pragmas, PostgreSQL session and authentication) and the schema check.
 * Runs that overlap get stores of their own (a new one opens when none is idle); at most
 * {@code maxIdle} stores per key stay open while idle. An idle SQLite store has released its page
 * cache; an idle PostgreSQL store whose connection the server dropped reconnects at its next use
 * ({@code PgDatabase}). Thread-safe.
 */
public final class StorePool implements AutoCloseable {

    private final Map<Object, Deque<JdbcStateStore>> idle = new HashMap<>();
    private boolean closed;

    /**
     * A store for one run: an idle one of this key, else a new one from {@code open}.
     *
     * @param key what the store is (stores of equal keys are interchangeable, e.g. the location and
     *        the {@link StoreOptions})
     * @param maxIdle how many stores of this key are kept open while idle (0: none)
     * @param open opens a new store; a store that is not one of this package's JDBC stores is
     *        returned as it is (its close closes it)
     * @return the store; its {@code close()} hands it back
     */
    public StateStore lease(Object key, int maxIdle, Supplier<? extends StateStore> open) {
        JdbcStateStore store;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("store pool is closed");
            }
            Deque<JdbcStateStore> ready = idle.get(key);
            store = ready == null ? null : ready.pollFirst();
        }
        if (store == null) {
            StateStore fresh = open.get();
            if (!(fresh instanceof JdbcStateStore jdbc)) {
                return fresh;
            }
            store = jdbc;
        }
        return LeasedStore.of(store, back -> giveBack(key, maxIdle, back));
    }

    private void giveBack(Object key, int maxIdle, JdbcStateStore store) {
        boolean kept = false;
        if (store.recycle()) {
            synchronized (this) {
                if (!closed) {
                    Deque<JdbcStateStore> ready = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
                    if (ready.size() < maxIdle) {
                        ready.addFirst(store); // the most recently used first: its pages are the warmest
                        kept = true;
                    }
                }
            }
        }
        if (!kept) {
            closeQuietly(store);
        }
    }

    /**
     * @param key a key
     * @return how many stores of that key are idle
     */
    public synchronized int idleCount(Object key) {
        Deque<JdbcStateStore> ready = idle.get(key);
        return ready == null ? 0 : ready.size();
    }

    /** Closes the idle stores; stores still leased close when their run hands them back. Idempotent. */
    @Override
    public void close() {
        List<JdbcStateStore> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
        }
        all.forEach(StorePool::closeQuietly);
    }

    private static void closeQuietly(JdbcStateStore store) {
        try {
            store.close();
        } catch (RuntimeException e) {
            // the connection is gone either way; nothing a run could act on
        }
    }
}
