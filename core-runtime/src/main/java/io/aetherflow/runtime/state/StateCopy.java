package io.aetherflow.runtime.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a team's history from one state store to another ({@code aetherflow state migrate}):
 * every table of the schema, rows in their insertion order, in one write transaction on the
 * target. Backend-neutral (SQLite to PostgreSQL, and back). The target must be empty (no row in
 * any table): a partial or repeated copy is refused with a message saying which table holds rows,
 * so a copy never mixes two histories; a failed copy rolls back completely and can be rerun.
 */
public final class StateCopy {

    /** Every table with its columns, in an order that copies reference rows before details. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("job_runs", "job_id, run_id, status, updated_at");
        TABLES.put("step_runs", "job_id, run_id, step_id, status, updated_at");
        TABLES.put("locks", "key, owner, expires_at");
        TABLES.put("runs", "flow_id, run_id, status, started_at_ms, ended_at_ms, heartbeat_at_ms, host, pid,"
                + " plugin_set_hash, flow_yaml, flow_sha256, error, summary_json, attempt");
        TABLES.put("job_details", "flow_id, run_id, job_id, status, started_at_ms, ended_at_ms, duration_ms,"
                + " outputs_json, error, updated_at_ms");
        TABLES.put("step_details", "flow_id, run_id, job_id, step_id, status, step_type, served_by, started_at_ms,"
                + " ended_at_ms, duration_ms, outputs_json, error, updated_at_ms");
        TABLES.put("step_processes", "flow_id, run_id, job_id, step_id, host, pid, pgid, started_at_ms,"
                + " registered_at_ms");
        TABLES.put("fire_claims", "item_id, scheduled_at_ms, owner, host, pid, claimed_at_ms, lease_until_ms, status,"
                + " run_id, completed_at_ms, attempts");
    }

    private StateCopy() {
    }

    /**
     * @param from the source store
     * @param to the target store (empty)
     * @return rows copied per table, in copy order
     * @throws StateStoreException when the target holds rows (nothing is written) or a write fails
     */
    public static Map<String, Integer> copy(StateStore from, StateStore to) {
        StateSql src = sql(from);
        StateSql dst = sql(to);
        Map<String, List<Object[]>> rows = new LinkedHashMap<>();
        synchronized (from) {
            src.snapshot("reading the history to migrate", () -> {
                for (Map.Entry<String, String> t : TABLES.entrySet()) {
                    String order = t.getKey().equals("locks") ? "key" : t.getKey().equals("step_processes")
                            || t.getKey().equals("fire_claims") ? t.getValue().split(",")[0] : src.insertOrder();
                    int n = t.getValue().split(",").length;
                    rows.put(t.getKey(), src.list("SELECT " + t.getValue() + " FROM " + t.getKey() + " ORDER BY " + order,
                            rs -> row(rs, n)));
                }
                return null;
            });
        }
        Map<String, Integer> copied = new LinkedHashMap<>();
        synchronized (to) {
            dst.write("migrating the history from " + from.location(), () -> {
                for (String table : TABLES.keySet()) {
                    if (dst.one("SELECT 1 FROM " + table + " LIMIT 1", rs -> 1).isPresent()) {
                        throw new StateStoreException("state store " + to.location() + " is not empty (table " + table
                                + " has rows): migrate into a new, empty database, or drop the AetherFlow tables there"
                                + " first (nothing was copied)");
                    }
                }
                for (Map.Entry<String, String> t : TABLES.entrySet()) {
                    List<Object[]> list = rows.get(t.getKey());
                    String marks = "?" + ", ?".repeat(t.getValue().split(",").length - 1);
                    String insert = "INSERT INTO " + t.getKey() + " (" + t.getValue() + ") VALUES (" + marks + ")";
                    for (Object[] r : list) {
                        dst.update(insert, r);
                    }
                    copied.put(t.getKey(), list.size());
                }
                return null;
            });
        }
        return copied;
    }

    private static Object[] row(ResultSet rs, int n) throws SQLException {
        List<Object> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            out.add(v instanceof Number num ? (Object) num.longValue() : v == null ? null : v.toString());
        }
        return out.toArray();
    }

    private static StateSql sql(StateStore store) {
        if (store instanceof JdbcStateStore j) {
            return j.sql();
        }
        throw new IllegalArgumentException("not a JDBC state store: " + store.getClass().getName());
    }
}
