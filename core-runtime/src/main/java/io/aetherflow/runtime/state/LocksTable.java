package io.aetherflow.runtime.state;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The {@code locks} table of the Python AetherFlow: TTL leases in epoch seconds, re-entrant for
 * the same owner, taken over only after they expired. Every method runs inside the caller's
 * transaction or read.
 */
final class LocksTable {

    /** Work done before an expired lease is taken over (dead-run detection and reaping). */
    @FunctionalInterface
    interface TakeOver {
        void prepare() throws SQLException;
    }

    private final StateSql db;
    private final TakeOver beforeTakeOver;

    LocksTable(StateSql db, TakeOver beforeTakeOver) {
        this.db = db;
        this.beforeTakeOver = beforeTakeOver;
    }

    /** See {@link StateStore#acquireLock}. */
    LockEvent acquire(String key, String owner, long ttlSeconds) throws SQLException {
        long now = nowSec();
        long until = now + ttlSeconds;
        LockRecord current = select(key).orElse(null);
        // the reference deletes every expired row on acquire; keep doing so
        db.update("DELETE FROM locks WHERE expires_at <= ? AND key <> ?", now, key);
        if (current != null && current.owner().equals(owner)) {
            extend(key, owner, until);
            long expiry = Math.max(current.expiresAt(), until);
            return new LockEvent(current.expiresAt() > now ? LockEvent.Kind.REENTERED : LockEvent.Kind.ACQUIRED,
                    key, owner, null, expiry);
        }
        if (current != null && current.expiresAt() > now) {
            return new LockEvent(LockEvent.Kind.BUSY, key, owner, current.owner(), current.expiresAt());
        }
        if (current != null) {
            // taking over an expired lease: the holder may have died with its guarded child still
            // running; find dead runs and kill what they left before this run enters the lock
            beforeTakeOver.prepare();
        }
        db.update("DELETE FROM locks WHERE key = ?", key);
        db.update("INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)", key, owner, until);
        return current == null ? new LockEvent(LockEvent.Kind.ACQUIRED, key, owner, null, until)
                : new LockEvent(LockEvent.Kind.TAKEN_OVER, key, owner, current.owner(), until);
    }

    /** @return false when the owner no longer has the row */
    boolean renew(String key, String owner, long ttlSeconds) throws SQLException {
        return extend(key, owner, nowSec() + ttlSeconds) == 1;
    }

    private int extend(String key, String owner, long until) throws SQLException {
        return db.update("UPDATE locks SET expires_at = " + db.greatest("expires_at", "?") + " WHERE key = ? AND owner = ?", until, key,
                owner);
    }

    /** @return true when a row of this owner was deleted */
    boolean release(String key, String owner) throws SQLException {
        return db.update("DELETE FROM locks WHERE key = ? AND owner = ?", key, owner) > 0;
    }

    /** @return the unexpired holder of the key */
    Optional<LockRecord> holder(String key) throws SQLException {
        return select(key).filter(r -> r.expiresAt() > nowSec());
    }

    private Optional<LockRecord> select(String key) throws SQLException {
        return db.one("SELECT key, owner, expires_at FROM locks WHERE key = ?",
                rs -> new LockRecord(rs.getString(1), rs.getString(2), rs.getLong(3)), key);
    }

    private long nowSec() {
        return Math.floorDiv(db.nowMs(), 1000);
    }
}
