package io.aetherflow.runtime.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code fire_claims} table (schema version 3): one row per scheduled fire (item id +
 * scheduled time in epoch ms), claimed with a lease. Every method runs inside the caller's write
 * transaction ({@code BEGIN IMMEDIATE}), which serialises claims of all processes on the file.
 */
final class FiresTable {

    private static final String COLUMNS = "item_id, scheduled_at_ms, owner, host, pid, claimed_at_ms, lease_until_ms,"
            + " status, run_id, completed_at_ms, attempts";

    private final StateSql db;

    FiresTable(StateSql db) {
        this.db = db;
    }

    /** See {@link StateStore#claimFire}. */
    FireClaim claim(String itemId, Instant scheduledAt, String owner, Duration lease) throws SQLException {
        long now = db.nowMs();
        long until = now + lease.toMillis();
        long at = scheduledAt.toEpochMilli();
        Optional<FireRecord> current = select(itemId, at);
        if (current.isEmpty()) {
            db.update("INSERT INTO fire_claims (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 1)",
                    itemId, at, owner, db.options().host(), ProcessHandle.current().pid(), now, until,
                    FireRecord.CLAIMED);
            return FireClaims.claimed(FireClaim.Kind.CLAIMED, itemId, scheduledAt, owner, null, until);
        }
        FireRecord row = current.get();
        if (row.completed()) {
            return FireClaims.done(row, owner);
        }
        if (row.owner().equals(owner)) {
            db.update("UPDATE fire_claims SET lease_until_ms = " + db.greatest("lease_until_ms", "?") + " WHERE item_id = ?"
                    + " AND scheduled_at_ms = ?", until, itemId, at);
            return FireClaims.claimed(FireClaim.Kind.REENTERED, itemId, scheduledAt, owner, null,
                    Math.max(until, row.leaseUntil().toEpochMilli()));
        }
        if (row.leaseUntil().toEpochMilli() > now) {
            return FireClaims.busy(row, owner);
        }
        db.update("UPDATE fire_claims SET owner = ?, host = ?, pid = ?, claimed_at_ms = ?, lease_until_ms = ?,"
                + " attempts = attempts + 1 WHERE item_id = ? AND scheduled_at_ms = ?", owner, db.options().host(),
                ProcessHandle.current().pid(), now, until, itemId, at);
        return FireClaims.claimed(FireClaim.Kind.TAKEN_OVER, itemId, scheduledAt, owner, row.owner(), until);
    }

    /** See {@link StateStore#renewFire}. */
    boolean renew(String itemId, Instant scheduledAt, String owner, Duration lease) throws SQLException {
        return db.update("UPDATE fire_claims SET lease_until_ms = " + db.greatest("lease_until_ms", "?") + " WHERE item_id = ?"
                + " AND scheduled_at_ms = ? AND owner = ? AND completed_at_ms IS NULL",
                db.nowMs() + lease.toMillis(), itemId, scheduledAt.toEpochMilli(), owner) == 1;
    }

    /** See {@link StateStore#completeFire}. */
    boolean complete(String itemId, Instant scheduledAt, String owner, String status, String runId)
            throws SQLException {
        return db.update("UPDATE fire_claims SET status = ?, run_id = ?, completed_at_ms = ? WHERE item_id = ?"
                + " AND scheduled_at_ms = ? AND owner = ? AND completed_at_ms IS NULL", status, runId, db.nowMs(),
                itemId, scheduledAt.toEpochMilli(), owner) == 1;
    }

    /** See {@link StateStore#releaseFire}. */
    boolean release(String itemId, Instant scheduledAt, String owner) throws SQLException {
        return db.update("DELETE FROM fire_claims WHERE item_id = ? AND scheduled_at_ms = ? AND owner = ?"
                + " AND completed_at_ms IS NULL", itemId, scheduledAt.toEpochMilli(), owner) == 1;
    }

    /** See {@link StateStore#getFire}. */
    Optional<FireRecord> get(String itemId, Instant scheduledAt) throws SQLException {
        return select(itemId, scheduledAt.toEpochMilli());
    }

    private Optional<FireRecord> select(String itemId, long at) throws SQLException {
        return db.one("SELECT " + COLUMNS + " FROM fire_claims WHERE item_id = ? AND scheduled_at_ms = ?",
                FiresTable::record, itemId, at);
    }

    static FireRecord record(ResultSet rs) throws SQLException {
        Long completed = StateSql.getLong(rs, "completed_at_ms");
        return new FireRecord(rs.getString("item_id"), Instant.ofEpochMilli(rs.getLong("scheduled_at_ms")),
                rs.getString("owner"), rs.getString("host"), rs.getLong("pid"),
                Instant.ofEpochMilli(rs.getLong("claimed_at_ms")), Instant.ofEpochMilli(rs.getLong("lease_until_ms")),
                rs.getString("status"), rs.getString("run_id"),
                completed == null ? null : Instant.ofEpochMilli(completed), rs.getInt("attempts"));
    }
}
