package io.aetherflow.runtime.state;

import java.time.Instant;

/**
 * The outcome of {@link StateStore#claimFire}: whether the caller now owns one scheduled fire
 * (item id + scheduled time) and, when not, who does or how it ended.
 *
 * @param kind what happened
 * @param itemId schedule item id
 * @param scheduledAt the fire's scheduled time
 * @param owner the owner asking
 * @param otherOwner for TAKEN_OVER the previous owner whose lease expired; for BUSY and DONE the
 *     owner recorded on the row; otherwise null
 * @param leaseUntil the lease end of the row after the call (for DONE the time it completed)
 * @param status for DONE the final status written by {@link StateStore#completeFire}; otherwise
 *     {@link FireRecord#CLAIMED}
 */
public record FireClaim(Kind kind, String itemId, Instant scheduledAt, String owner, String otherOwner,
        Instant leaseUntil, String status) {

    /** What happened. */
    public enum Kind {
        /** Nobody had claimed the fire; the caller owns it now. */
        CLAIMED,
        /** The caller already owned it (same owner string); the lease was extended. */
        REENTERED,
        /** Another owner's lease had expired (it died or stopped renewing); the caller owns it now. */
        TAKEN_OVER,
        /** Another owner holds an unexpired lease; the caller must not run the fire. */
        BUSY,
        /** The fire was already completed (by anyone); nobody may run it again. */
        DONE
    }

    /** @return true when the caller owns the fire and must run it */
    public boolean claimed() {
        return kind == Kind.CLAIMED || kind == Kind.REENTERED || kind == Kind.TAKEN_OVER;
    }

    /** @return a one-line description for the scheduler log */
    public String message() {
        String fire = "fire " + itemId + "@" + scheduledAt;
        return switch (kind) {
            case CLAIMED -> fire + " claimed by " + owner + " until " + leaseUntil;
            case REENTERED -> fire + " re-claimed by " + owner + ", lease extended until " + leaseUntil;
            case TAKEN_OVER -> fire + " taken over by " + owner + " from " + otherOwner
                    + " (its lease had expired); held until " + leaseUntil;
            case BUSY -> fire + " is claimed by " + otherOwner + " until " + leaseUntil + "; " + owner
                    + " skips it";
            case DONE -> fire + " already completed (" + status + ") by " + otherOwner + "; " + owner + " skips it";
        };
    }

    @Override
    public String toString() {
        return message();
    }
}
