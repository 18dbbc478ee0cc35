package io.aetherflow.runtime.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL schema: the same tables and columns as {@link SqliteSchema} (TEXT stays TEXT,
 * SQLite's 64-bit INTEGER becomes BIGINT) plus one {@code row_seq} identity column on the tables
 * whose rows are listed in insertion order (SQLite's implicit {@code rowid}). The version lives in
 * {@code aetherflow_schema(version, applied_at_ms)}, one row per applied version, with the same
 * numbers as the SQLite {@code user_version} (3: every table of SQLite version 3). Migrations run
 * under the store's advisory write lock, so two hosts opening a new database at once create it
 * once.
 */
final class PgSchema {

    /** The schema version this code writes (same numbering as {@link SqliteSchema#VERSION}). */
    static final int VERSION = SqliteSchema.VERSION;

    private static final String SEQ = ", row_seq BIGINT GENERATED ALWAYS AS IDENTITY";

    private static final List<String> V3 = List.of(
            "CREATE TABLE IF NOT EXISTS job_runs (job_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT NULL,"
                    + " updated_at BIGINT NOT NULL" + SEQ + ", PRIMARY KEY (job_id, run_id))",
            "CREATE TABLE IF NOT EXISTS step_runs (job_id TEXT NOT NULL, run_id TEXT NOT NULL, step_id TEXT NOT NULL,"
                    + " status TEXT NOT NULL, updated_at BIGINT NOT NULL" + SEQ
                    + ", PRIMARY KEY (job_id, run_id, step_id))",
            "CREATE TABLE IF NOT EXISTS locks (key TEXT NOT NULL, owner TEXT NOT NULL, expires_at BIGINT NOT NULL,"
                    + " PRIMARY KEY (key))",
            "CREATE TABLE IF NOT EXISTS runs (flow_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT NULL,"
                    + " started_at_ms BIGINT NOT NULL, ended_at_ms BIGINT, heartbeat_at_ms BIGINT, host TEXT,"
                    + " pid BIGINT, plugin_set_hash TEXT, flow_yaml TEXT, flow_sha256 TEXT, error TEXT,"
                    + " summary_json TEXT, attempt INTEGER NOT NULL DEFAULT 1" + SEQ + ", PRIMARY KEY (flow_id, run_id))",
            "CREATE INDEX IF NOT EXISTS runs_by_run_id ON runs (run_id)",
            "CREATE INDEX IF NOT EXISTS runs_by_started ON runs (started_at_ms)",
            "CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status)",
            "CREATE TABLE IF NOT EXISTS job_details (flow_id TEXT NOT NULL, run_id TEXT NOT NULL,"
                    + " job_id TEXT NOT NULL, status TEXT NOT NULL, started_at_ms BIGINT, ended_at_ms BIGINT,"
                    + " duration_ms BIGINT, outputs_json TEXT, error TEXT, updated_at_ms BIGINT NOT NULL" + SEQ
                    + ", PRIMARY KEY (run_id, job_id, flow_id))",
            "CREATE TABLE IF NOT EXISTS step_details (flow_id TEXT NOT NULL, run_id TEXT NOT NULL,"
                    + " job_id TEXT NOT NULL, step_id TEXT NOT NULL, status TEXT NOT NULL, step_type TEXT,"
                    + " served_by TEXT, started_at_ms BIGINT, ended_at_ms BIGINT, duration_ms BIGINT,"
                    + " outputs_json TEXT, error TEXT, updated_at_ms BIGINT NOT NULL" + SEQ
                    + ", PRIMARY KEY (run_id, job_id, step_id, flow_id))",
            "CREATE TABLE IF NOT EXISTS step_processes (flow_id TEXT NOT NULL, run_id TEXT NOT NULL,"
                    + " job_id TEXT NOT NULL, step_id TEXT NOT NULL, host TEXT, pid BIGINT NOT NULL,"
                    + " pgid BIGINT, started_at_ms BIGINT, registered_at_ms BIGINT NOT NULL,"
                    + " PRIMARY KEY (run_id, flow_id, pid))",
            "CREATE TABLE IF NOT EXISTS fire_claims (item_id TEXT NOT NULL, scheduled_at_ms BIGINT NOT NULL,"
                    + " owner TEXT NOT NULL, host TEXT, pid BIGINT, claimed_at_ms BIGINT NOT NULL,"
                    + " lease_until_ms BIGINT NOT NULL, status TEXT NOT NULL, run_id TEXT, completed_at_ms BIGINT,"
                    + " attempts INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (item_id, scheduled_at_ms))");

    private PgSchema() {
    }

    /**
     * Brings the schema to {@link #VERSION}; the caller holds the advisory write lock in a transaction.
     *
     * @return the version found before migrating (0 for an empty database)
     */
    static int migrate(Connection c, String where, long nowMs) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS aetherflow_schema (version INTEGER NOT NULL PRIMARY KEY,"
                    + " applied_at_ms BIGINT NOT NULL)");
            int found = version(c);
            if (found > VERSION) {
                throw newer(where, found);
            }
            if (found < 3) {
                for (String ddl : V3) {
                    st.execute(ddl);
                }
                st.execute("INSERT INTO aetherflow_schema (version, applied_at_ms) VALUES (3, " + nowMs + ")");
            }
            // later versions: if (found < 4) { ...; INSERT INTO aetherflow_schema ... (4, ...) }
            return found;
        }
    }

    /** @return the highest applied version, 0 when none (or no version table) */
    static int version(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM aetherflow_schema")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    static StateStoreException newer(String where, int found) {
        return new StateStoreException("state store " + where + " has schema version " + found
                + ", newer than this AetherFlow understands (" + VERSION
                + "): upgrade AetherFlow on every host sharing it, or point state.url at another database");
    }
}
