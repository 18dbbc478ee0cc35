package io.aetherflow.runtime.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Backend-neutral pieces of the fire claims: argument checks and the {@link FireClaim} results. */
final class FireClaims {

    private FireClaims() {
    }

    /** Checks the arguments of a claim or renewal. */
    static void check(String itemId, Instant scheduledAt, String owner, Duration lease) {
        check(itemId, scheduledAt, owner);
        Objects.requireNonNull(lease, "lease");
        if (lease.toMillis() < 1) {
            throw new IllegalArgumentException("fire lease must be at least 1 ms: " + lease);
        }
    }

    /** Checks the key and owner of a fire. */
    static void check(String itemId, Instant scheduledAt, String owner) {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(scheduledAt, "scheduledAt");
        Objects.requireNonNull(owner, "owner");
    }

    static FireClaim claimed(FireClaim.Kind kind, String itemId, Instant at, String owner, String previous,
            long untilMs) {
        return new FireClaim(kind, itemId, at, owner, previous, Instant.ofEpochMilli(untilMs), FireRecord.CLAIMED);
    }

    static FireClaim busy(FireRecord row, String owner) {
        return new FireClaim(FireClaim.Kind.BUSY, row.itemId(), row.scheduledAt(), owner, row.owner(),
                row.leaseUntil(), row.status());
    }

    static FireClaim done(FireRecord row, String owner) {
        return new FireClaim(FireClaim.Kind.DONE, row.itemId(), row.scheduledAt(), owner, row.owner(),
                row.completedAt(), row.status());
    }
}
