package io.aetherflow.runtime.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code runs} table: run rows, heartbeats, the end of a run (with its RUNNING jobs and steps
 * and its process rows), and dead-run detection. Every method runs inside the caller's transaction
 * or read.
 */
final class RunsTable {

    /** A process whose start is later than the run's start by more than this is a reused pid. */
    private static final long PID_REUSE_SLACK_MS = 5_000;

    private static final String RUN_COLUMNS = "flow_id, run_id, status, started_at_ms, ended_at_ms, heartbeat_at_ms,"
            + " host, pid, plugin_set_hash, flow_yaml, flow_sha256, error, summary_json, attempt";

    private final StateSql db;
    private final StepsTable steps;
    private final ProcessesTable processes;
    /** Runs begun through this instance: key flowId NUL runId. */
    private final Map<String, RunMeta> begun = new HashMap<>();
    private final long ownPid = ProcessHandle.current().pid();

    RunsTable(StateSql db, StepsTable steps, ProcessesTable processes) {
        this.db = db;
        this.steps = steps;
        this.processes = processes;
    }

    /** See {@link StateStore#beginRun}. */
    RunStart begin(String flowId, String runId, RunMeta meta) throws SQLException {
        long now = db.nowMs();
        List<RunRecord> dead = markDead(now);
        Optional<RunRecord> previous = select(flowId, runId);
        if (previous.isPresent() && previous.get().status() == RunStatus.RUNNING) {
            RunRecord live = previous.get();
            long last = live.heartbeatAtMs() != null ? live.heartbeatAtMs() : live.startedAtMs();
            throw new RunActiveException("run " + runId + " of flow " + flowId + " is still running (pid "
                    + live.pid() + " on " + live.host() + ", last heartbeat " + Math.max(0, (now - last) / 1000)
                    + " s ago, state store " + db.location() + "): wait for it to finish or use another --run-id", live);
        }
        db.update("INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, 'RUNNING', ?, NULL, ?, ?, ?,"
                + " ?, ?, ?, NULL, NULL, 1) ON CONFLICT (flow_id, run_id) DO UPDATE SET status = 'RUNNING',"
                + " started_at_ms = excluded.started_at_ms, ended_at_ms = NULL,"
                + " heartbeat_at_ms = excluded.heartbeat_at_ms, host = excluded.host, pid = excluded.pid,"
                + " plugin_set_hash = excluded.plugin_set_hash, flow_yaml = excluded.flow_yaml,"
                + " flow_sha256 = excluded.flow_sha256, error = NULL, summary_json = NULL,"
                + " attempt = runs.attempt + 1",
                flowId, runId, now, now, meta.host(), meta.pid(), meta.pluginSetHash(), meta.flowYaml(),
                meta.flowSha256());
        RunRecord run = select(flowId, runId).orElseThrow();
        begun.put(key(flowId, runId), meta);
        return new RunStart(run, previous.orElse(null), dead);
    }

    /** @return the meta of a run begun through this instance, or null */
    RunMeta begun(String flowId, String runId) {
        return begun.get(key(flowId, runId));
    }

    /** @return whether this process still owns the RUNNING row (and refreshed it) */
    boolean heartbeat(String flowId, String runId, RunMeta meta) throws SQLException {
        return db.update("UPDATE runs SET heartbeat_at_ms = ? WHERE flow_id = ? AND run_id = ?"
                + " AND status = 'RUNNING' AND host = ? AND pid = ?",
                db.nowMs(), flowId, runId, meta.host(), meta.pid()) == 1;
    }

    /** See {@link StateStore#endRun}; the caller forgets the run with {@link #forget} once committed. */
    void end(String flowId, String runId, RunStatus status, String error, String summaryJson) throws SQLException {
        long now = db.nowMs();
        if (db.update("UPDATE runs SET status = ?, ended_at_ms = ?, error = ?, summary_json = ?"
                + " WHERE flow_id = ? AND run_id = ?", status.name(), now, error, summaryJson, flowId, runId) != 1) {
            throw new IllegalStateException("run " + runId + " of flow " + flowId + " was never begun in " + db.location());
        }
        if (status == RunStatus.INTERRUPTED) {
            steps.finishRunning(flowId, runId, now, "INTERRUPTED", error == null ? "run interrupted" : error);
        } else if (status == RunStatus.FAILED) {
            // a step whose own end could not be written (the store was busy) is still RUNNING
            steps.finishRunning(flowId, runId, now, "FAILED", error == null ? "run failed" : error);
        }
        processes.dropRun(flowId, runId);
    }

    void forget(String flowId, String runId) {
        begun.remove(key(flowId, runId));
    }

    /** Forgets every run begun through this instance (a pooled store handed to the next run). */
    void forgetAll() {
        begun.clear();
    }

    /** See {@link StateStore#markDeadRuns()}; also reaps what dead runs left running. */
    List<RunRecord> markDead(long now) throws SQLException {
        List<RunRecord> running = db.list("SELECT " + RUN_COLUMNS + " FROM runs WHERE status = 'RUNNING'",
                RunsTable::run);
        List<RunRecord> marked = new ArrayList<>();
        for (RunRecord r : running) {
            String why = deathReason(r, now);
            if (why == null) {
                continue;
            }
            long endedAt = r.heartbeatAtMs() != null ? r.heartbeatAtMs() : r.startedAtMs();
            String error = "run interrupted: " + why;
            db.update("UPDATE runs SET status = 'INTERRUPTED', ended_at_ms = ?, error = ?"
                    + " WHERE flow_id = ? AND run_id = ? AND status = 'RUNNING'", endedAt, error, r.flowId(), r.runId());
            steps.finishRunning(r.flowId(), r.runId(), now, "INTERRUPTED", error);
            marked.add(select(r.flowId(), r.runId()).orElseThrow());
        }
        processes.reapOrphans();
        return marked;
    }

    /** @return null when the run may be alive, else why it is dead */
    private String deathReason(RunRecord r, long now) {
        StoreOptions options = db.options();
        boolean sameHost = r.host() != null && r.host().equalsIgnoreCase(options.host());
        if (sameHost && r.pid() != null && r.pid() != ownPid) {
            Optional<ProcessHandle> ph = ProcessHandle.of(r.pid());
            if (ph.isEmpty() || !ph.get().isAlive()) {
                return "process " + r.pid() + " on " + r.host() + " is gone";
            }
            Optional<Instant> started = ph.get().info().startInstant();
            if (started.isPresent() && started.get().toEpochMilli() > r.startedAtMs() + PID_REUSE_SLACK_MS) {
                return "process " + r.pid() + " on " + r.host() + " is gone (the pid now belongs to a newer process)";
            }
            return null;
        }
        long last = r.heartbeatAtMs() != null ? r.heartbeatAtMs() : r.startedAtMs();
        if (now - last > options.staleAfter().toMillis()) {
            return "no heartbeat for " + (now - last) / 1000 + " s (process " + r.pid() + " on " + r.host() + ")";
        }
        return null;
    }

    /** @return up to {@code limit} runs (of one flow, or all), newest first */
    List<RunRecord> list(int limit, String flowId) throws SQLException {
        return flowId == null
                ? db.list("SELECT " + RUN_COLUMNS + " FROM runs ORDER BY started_at_ms DESC, " + db.insertOrder() + " DESC LIMIT ?",
                        RunsTable::run, limit)
                : db.list("SELECT " + RUN_COLUMNS + " FROM runs WHERE flow_id = ?"
                        + " ORDER BY started_at_ms DESC, " + db.insertOrder() + " DESC LIMIT ?", RunsTable::run, flowId, limit);
    }

    /** @return the runs of every flow with this run id, by flow id */
    List<RunRecord> withRunId(String runId) throws SQLException {
        return db.list("SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ? ORDER BY flow_id", RunsTable::run, runId);
    }

    /** @return the run with its job and step detail rows */
    RunDetails details(RunRecord run) throws SQLException {
        return new RunDetails(run, steps.jobs(run.flowId(), run.runId()), steps.steps(run.flowId(), run.runId()));
    }

    Optional<RunRecord> select(String flowId, String runId) throws SQLException {
        return db.one("SELECT " + RUN_COLUMNS + " FROM runs WHERE flow_id = ? AND run_id = ?", RunsTable::run,
                flowId, runId);
    }

    private static String key(String flowId, String runId) {
        return flowId + '\0' + runId;
    }

    private static RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString("flow_id"), rs.getString("run_id"), RunStatus.valueOf(rs.getString("status")),
                rs.getLong("started_at_ms"), StateSql.getLong(rs, "ended_at_ms"),
                StateSql.getLong(rs, "heartbeat_at_ms"), rs.getString("host"), StateSql.getLong(rs, "pid"),
                rs.getString("plugin_set_hash"), rs.getString("flow_yaml"), rs.getString("flow_sha256"),
                rs.getString("error"), rs.getString("summary_json"), rs.getInt("attempt"));
    }
}
