package io.aetherflow.runtime.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQLite schema and its migrations, versioned with {@code PRAGMA user_version}.
 *
 * <p>Version 0 is a file created by the Python AetherFlow (only {@code job_runs}, {@code step_runs},
 * {@code locks}) or an empty file. Migration 1 keeps those three tables exactly as they are
 * (created with the reference's DDL when missing) and adds {@code runs}, {@code job_details} and
 * {@code step_details}. The detail tables' primary keys start with {@code run_id} so the same index
 * answers both flow-keyed lookups and the "does any flow have a detail row" check used for legacy
 * rows. Migration 2 adds {@code step_processes}; migration 3 adds {@code fire_claims} (the
 * scheduler's exactly-once claims); the other tables are unchanged.
 */
final class SqliteSchema {

    /** The schema version this code writes. */
    static final int VERSION = 3;

    private static final List<String> V1 = List.of(
            // the reference's tables, byte-for-byte the same columns, types and keys
            "CREATE TABLE IF NOT EXISTS job_runs (job_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT NULL,"
                    + " updated_at INTEGER NOT NULL, PRIMARY KEY (job_id, run_id))",
            "CREATE TABLE IF NOT EXISTS step_runs (job_id TEXT NOT NULL, run_id TEXT NOT NULL, step_id TEXT NOT NULL,"
                    + " status TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (job_id, run_id, step_id))",
            "CREATE TABLE IF NOT EXISTS locks (key TEXT NOT NULL, owner TEXT NOT NULL, expires_at INTEGER NOT NULL,"
                    + " PRIMARY KEY (key))",
            // everything new; times in epoch milliseconds (column names say so)
            "CREATE TABLE IF NOT EXISTS runs (flow_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT NULL,"
                    + " started_at_ms INTEGER NOT NULL, ended_at_ms INTEGER, heartbeat_at_ms INTEGER, host TEXT,"
                    + " pid INTEGER, plugin_set_hash TEXT, flow_yaml TEXT, flow_sha256 TEXT, error TEXT,"
                    + " summary_json TEXT, attempt INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (flow_id, run_id))",
            "CREATE INDEX IF NOT EXISTS runs_by_run_id ON runs (run_id)",
            "CREATE INDEX IF NOT EXISTS runs_by_started ON runs (started_at_ms)",
            "CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status)",
            "CREATE TABLE IF NOT EXISTS job_details (flow_id TEXT NOT NULL, run_id TEXT NOT NULL,"
                    + " job_id TEXT NOT NULL, status TEXT NOT NULL, started_at_ms INTEGER, ended_at_ms INTEGER,"
                    + " duration_ms INTEGER, outputs_json TEXT, error TEXT, updated_at_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (run_id, job_id, flow_id))",
            "CREATE TABLE IF NOT EXISTS step_details (flow_id TEXT NOT NULL, run_id TEXT NOT NULL,"
                    + " job_id TEXT NOT NULL, step_id TEXT NOT NULL, status TEXT NOT NULL, step_type TEXT,"
                    + " served_by TEXT, started_at_ms INTEGER, ended_at_ms INTEGER, duration_ms INTEGER,"
                    + " outputs_json TEXT, error TEXT, updated_at_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (run_id, job_id, step_id, flow_id))");

    /**
     * Version 2: the child processes of running steps (pid, process group, start time), so a run
     * that finds another one dead can kill what it left running. Rows live only while the step
     * runs.
     */
    private static final List<String> V2 = List.of(
            "CREATE TABLE IF NOT EXISTS step_processes (flow_id TEXT NOT NULL, run_id TEXT NOT NULL,"
                    + " job_id TEXT NOT NULL, step_id TEXT NOT NULL, host TEXT, pid INTEGER NOT NULL,"
                    + " pgid INTEGER, started_at_ms INTEGER, registered_at_ms INTEGER NOT NULL,"
                    + " PRIMARY KEY (run_id, flow_id, pid))");

    /**
     * Version 3: scheduled fires claimed with a lease ({@link StateStore#claimFire}); one row per
     * item id and scheduled time, kept after completion so a fire never runs twice.
     */
    static final List<String> V3 = List.of(
            "CREATE TABLE IF NOT EXISTS fire_claims (item_id TEXT NOT NULL, scheduled_at_ms INTEGER NOT NULL,"
                    + " owner TEXT NOT NULL, host TEXT, pid INTEGER, claimed_at_ms INTEGER NOT NULL,"
                    + " lease_until_ms INTEGER NOT NULL, status TEXT NOT NULL, run_id TEXT, completed_at_ms INTEGER,"
                    + " attempts INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (item_id, scheduled_at_ms))");

    /** Reference columns that existing ops queries rely on. */
    private static final Map<String, Set<String>> REFERENCE_COLUMNS = Map.of(
            "job_runs", Set.of("job_id", "run_id", "status", "updated_at"),
            "step_runs", Set.of("job_id", "run_id", "step_id", "status", "updated_at"),
            "locks", Set.of("key", "owner", "expires_at"));

    private SqliteSchema() {
    }

    /**
     * Brings the schema to {@link #VERSION}; the caller holds a write transaction.
     *
     * @return the version found before migrating
     */
    static int migrate(Connection c, Path file) throws SQLException {
        int found = userVersion(c);
        if (found > VERSION) {
            throw newer(file, found);
        }
        try (Statement st = c.createStatement()) {
            if (found < 1) {
                for (String ddl : V1) {
                    st.execute(ddl);
                }
            }
            if (found < 2) {
                for (String ddl : V2) {
                    st.execute(ddl);
                }
            }
            if (found < 3) {
                for (String ddl : V3) {
                    st.execute(ddl);
                }
            }
            // later versions: if (found < 4) { ... }
            checkReferenceTables(c, file);
            st.execute("PRAGMA user_version = " + VERSION);
        }
        return found;
    }

    static int userVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    static StateStoreException newer(Path file, int found) {
        return new StateStoreException("state store " + file + " has schema version " + found
                + ", newer than this AetherFlow understands (" + VERSION
                + "): upgrade AetherFlow or set flow.state.path to another file");
    }

    private static void checkReferenceTables(Connection c, Path file) throws SQLException {
        for (Map.Entry<String, Set<String>> e : REFERENCE_COLUMNS.entrySet()) {
            Set<String> have = new HashSet<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("PRAGMA table_info(" + e.getKey() + ")")) {
                while (rs.next()) {
                    have.add(rs.getString("name"));
                }
            }
            if (!have.containsAll(e.getValue())) {
                Set<String> missing = new HashSet<>(e.getValue());
                missing.removeAll(have);
                throw new StateStoreException("state store " + file + ": table " + e.getKey()
                        + " lacks columns " + missing.stream().sorted().toList()
                        + " (not an AetherFlow state file?): move it aside or set flow.state.path to another file");
            }
        }
    }
}
