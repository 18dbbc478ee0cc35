package io.aetherflow.runtime.state;

import java.time.Instant;

/**
 * Something that happened to a lock, for the run log: the outcome of
 * {@link StateStore#acquireLock} and the events a {@link LeaseKeeper} reports.
 *
 * @param kind what happened
 * @param key lock key
 * @param owner the owner acting (the run asking for, renewing or releasing the lock)
 * @param otherOwner for TAKEN_OVER the previous holder whose lease expired; for BUSY the current
 *     holder; otherwise null
 * @param expiresAt lease end in epoch seconds: the new expiry for ACQUIRED, REENTERED, TAKEN_OVER
 *     and RENEWED, the holder's expiry for BUSY, 0 otherwise
 * @param detail for RENEWAL_FAILED the error; otherwise null
 */
public record LockEvent(Kind kind, String key, String owner, String otherOwner, long expiresAt, String detail) {

    /**
     * An event without detail text.
     *
     * @param kind what happened
     * @param key lock key
     * @param owner acting owner
     * @param otherOwner previous or current other holder, or null
     * @param expiresAt epoch seconds or 0
     */
    public LockEvent(Kind kind, String key, String owner, String otherOwner, long expiresAt) {
        this(kind, key, owner, otherOwner, expiresAt, null);
    }

    /** What happened. */
    public enum Kind {
        /** The lock was free (or only expired rows of the same owner existed) and is now held. */
        ACQUIRED,
        /** The owner already held it; the lease was extended. */
        REENTERED,
        /** Another owner's lease had expired; the lock now belongs to this owner. */
        TAKEN_OVER,
        /** Another owner holds an unexpired lease; not acquired. */
        BUSY,
        /** The lease was extended by background renewal. */
        RENEWED,
        /** Renewal failed for a transient reason (store busy, I/O); retried at the next period. */
        RENEWAL_FAILED,
        /** Renewal or release found the row gone or owned by someone else. */
        LOST,
        /** The owner released the lock. */
        RELEASED
    }

    /** @return true when, after this event, the owner holds the lock */
    public boolean held() {
        return kind == Kind.ACQUIRED || kind == Kind.REENTERED || kind == Kind.TAKEN_OVER || kind == Kind.RENEWED;
    }

    /** @return a one-line description for the run log */
    public String message() {
        String until = expiresAt > 0 ? Instant.ofEpochSecond(expiresAt).toString() : "?";
        return switch (kind) {
            case ACQUIRED -> "lock " + key + " acquired by " + owner + " until " + until;
            case REENTERED -> "lock " + key + " re-entered by " + owner + ", lease extended until " + until;
            case TAKEN_OVER -> "lock " + key + " taken over by " + owner + " from " + otherOwner
                    + " (its lease had expired); held until " + until;
            case BUSY -> "lock " + key + " is held by " + otherOwner + " until " + until + "; " + owner
                    + " did not get it";
            case RENEWED -> "lock " + key + " lease renewed by " + owner + " until " + until;
            case RENEWAL_FAILED -> "lock " + key + " lease renewal by " + owner + " failed (retrying): " + detail;
            case LOST -> "lock " + key + " lost by " + owner
                    + ": its lease expired and the row was taken or deleted";
            case RELEASED -> "lock " + key + " released by " + owner;
        };
    }

    @Override
    public String toString() {
        return message();
    }
}
