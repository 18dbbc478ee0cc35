package io.aetherflow.runtime.state;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code step_processes} table: child processes of running steps, dropped when their step or
 * run ends, and reaped (killed, then forgotten) when their run was found dead. Every method runs
 * inside the caller's transaction.
 */
final class ProcessesTable {

    /** One recorded child of a run that is no longer RUNNING. */
    private record Orphan(String flowId, String runId, String jobId, String stepId, long pid, Long pgid,
            Long startedAtMs) {
    }

    private final StateSql db;
    /** What {@link #reapOrphans} killed, until {@link #takeReaped()}. */
    private final List<String> reaped = new ArrayList<>();

    ProcessesTable(StateSql db) {
        this.db = db;
    }

    /** Inserts or replaces the row of one child (keyed by run and pid), on this host. */
    void record(String flowId, String runId, String jobId, String stepId, long pid, long pgid, Long startedAtMs)
            throws SQLException {
        db.update("INSERT INTO step_processes (flow_id, run_id, job_id, step_id, host, pid, pgid,"
                + " started_at_ms, registered_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (run_id, flow_id, pid) DO UPDATE SET job_id = excluded.job_id,"
                + " step_id = excluded.step_id, host = excluded.host, pgid = excluded.pgid,"
                + " started_at_ms = excluded.started_at_ms, registered_at_ms = excluded.registered_at_ms",
                flowId, runId, jobId, stepId, db.options().host(), pid, pgid > 0 ? pgid : null, startedAtMs,
                db.nowMs());
    }

    /** Forgets the children of a step that reached a final status. */
    void dropStep(String flowId, String runId, String jobId, String stepId) throws SQLException {
        db.update("DELETE FROM step_processes WHERE run_id = ? AND flow_id = ? AND job_id = ? AND step_id = ?",
                runId, flowId, jobId, stepId);
    }

    /** Forgets the children of a run that ended. */
    void dropRun(String flowId, String runId) throws SQLException {
        db.update("DELETE FROM step_processes WHERE run_id = ? AND flow_id = ?", runId, flowId);
    }

    /**
     * Kills the recorded child processes (on this host) of runs that are no longer RUNNING, i.e.
     * that were found dead, then forgets them. Runs inside the caller's write transaction, so no
     * other run can start its guarded work before they are gone.
     */
    void reapOrphans() throws SQLException {
        List<Orphan> rows = db.list("SELECT p.flow_id, p.run_id, p.job_id, p.step_id, p.pid, p.pgid, p.started_at_ms"
                + " FROM step_processes p LEFT JOIN runs r ON r.flow_id = p.flow_id AND r.run_id = p.run_id"
                + " WHERE (r.status IS NULL OR r.status <> 'RUNNING') AND (p.host IS NULL OR p.host = ?)",
                rs -> new Orphan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        StateSql.getLong(rs, "pgid"), StateSql.getLong(rs, "started_at_ms")),
                db.options().host());
        for (Orphan r : rows) {
            Long pgid = r.pgid();
            int n = OrphanReaper.reap(r.pid(), pgid == null ? -1 : pgid, r.startedAtMs());
            if (n > 0) {
                reaped.add("killed " + n + " process(es) of process group " + (pgid == null || pgid <= 0 ? r.pid() : pgid)
                        + " left running by step " + r.jobId() + "/" + r.stepId() + " of dead run " + r.runId()
                        + " (flow " + r.flowId() + ")");
            }
            db.update("DELETE FROM step_processes WHERE run_id = ? AND flow_id = ? AND pid = ?", r.runId(), r.flowId(),
                    r.pid());
        }
    }

    /** @return what {@link #reapOrphans} killed since the last call, oldest first; cleared */
    List<String> takeReaped() {
        List<String> out = List.copyOf(reaped);
        reaped.clear();
        return out;
    }
}
