package io.aetherflow.runtime.state;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
    /**
     * Runs begun through this store as new run ids (not resumed): only this store can have written
     * process rows for them, so a step that recorded none has none to drop ({@link #dropStep}).
     */
    private final Set<String> freshRuns = new HashSet<>();
    /** Steps of fresh runs that recorded a process through this store. */
    private final Set<String> stepsWithRows = new HashSet<>();

    ProcessesTable(StateSql db) {
        this.db = db;
    }

    /**
     * Notes a run begun through this store under a new run id: its steps' rows are all written by
     * this store, so {@link #dropStep} can skip the delete for a step that recorded no process.
     */
    void begunFresh(String flowId, String runId) {
        freshRuns.add(key(flowId, runId, null, null));
    }

    /** Inserts or replaces the row of one child (keyed by run and pid), on this host. */
    void record(String flowId, String runId, String jobId, String stepId, long pid, long pgid, Long startedAtMs)
            throws SQLException {
        stepsWithRows.add(key(flowId, runId, jobId, stepId));
        db.update("INSERT INTO step_processes (flow_id, run_id, job_id, step_id, host, pid, pgid,"
                + " started_at_ms, registered_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (run_id, flow_id, pid) DO UPDATE SET job_id = excluded.job_id,"
                + " step_id = excluded.step_id, host = excluded.host, pgid = excluded.pgid,"
                + " started_at_ms = excluded.started_at_ms, registered_at_ms = excluded.registered_at_ms",
                flowId, runId, jobId, stepId, db.options().host(), pid, pgid > 0 ? pgid : null, startedAtMs,
                db.nowMs());
    }

    /**
     * Forgets the children of a step that reached a final status. A step of a fresh run that
     * recorded no child has no rows: no statement then (most steps start no process).
     */
    void dropStep(String flowId, String runId, String jobId, String stepId) throws SQLException {
        if (freshRuns.contains(key(flowId, runId, null, null))
                && !stepsWithRows.contains(key(flowId, runId, jobId, stepId))) {
            return;
        }
        db.update("DELETE FROM step_processes WHERE run_id = ? AND flow_id = ? AND job_id = ? AND step_id = ?",
                runId, flowId, jobId, stepId);
    }

    /** Forgets the children of a run that ended. */
    void dropRun(String flowId, String runId) throws SQLException {
        forgetRun(flowId, runId);
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

    /** Forgets what {@link #begunFresh} and {@link #record} noted about a run. */
    void forgetRun(String flowId, String runId) {
        freshRuns.remove(key(flowId, runId, null, null));
        String prefix = key(flowId, runId, null, null);
        stepsWithRows.removeIf(k -> k.startsWith(prefix));
    }

    /** Forgets what was noted about every run (a pooled store handed to the next run). */
    void forgetAll() {
        freshRuns.clear();
        stepsWithRows.clear();
    }

    /** @return flow NUL run NUL [job NUL step] */
    private static String key(String flowId, String runId, String jobId, String stepId) {
        String run = flowId + '\0' + runId + '\0';
        return jobId == null ? run : run + jobId + '\0' + stepId;
    }

    /** @return what {@link #reapOrphans} killed since the last call, oldest first; cleared */
    List<String> takeReaped() {
        List<String> out = List.copyOf(reaped);
        reaped.clear();
        return out;
    }
}
