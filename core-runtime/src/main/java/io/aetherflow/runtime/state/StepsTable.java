package io.aetherflow.runtime.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job and step rows: the reference tables of the Python AetherFlow ({@code job_runs},
 * {@code step_runs}, epoch seconds, no flow id) written together with the detail tables
 * ({@code job_details}, {@code step_details}), and the reference rows no detail row explains
 * (written by the Python AetherFlow: {@code legacy} records). Every method runs inside the
 * caller's transaction or read.
 */
final class StepsTable {

    static final String JOB_COLUMNS = "flow_id, run_id, job_id, status, started_at_ms, ended_at_ms,"
            + " duration_ms, outputs_json, error, updated_at_ms";
    static final String STEP_COLUMNS = "flow_id, run_id, job_id, step_id, status, step_type, served_by,"
            + " started_at_ms, ended_at_ms, duration_ms, outputs_json, error, updated_at_ms";

    /** A reference row without a detail row of any flow: written by the Python AetherFlow. */
    private static final String NO_STEP_DETAIL = " AND NOT EXISTS (SELECT 1 FROM step_details d"
            + " WHERE d.run_id = r.run_id AND d.job_id = r.job_id AND d.step_id = r.step_id)";

    private final StateSql db;
    private final ProcessesTable processes;

    StepsTable(StateSql db, ProcessesTable processes) {
        this.db = db;
        this.processes = processes;
    }

    // ------------------------------------------------------------------------------------ jobs

    void setJob(String flowId, String runId, String jobId, JobUpdate update, String outputsJson) throws SQLException {
        long now = db.nowMs();
        db.update("INSERT INTO job_runs (job_id, run_id, status, updated_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (job_id, run_id) DO UPDATE SET status = excluded.status,"
                + " updated_at = excluded.updated_at", jobId, runId, update.status(), Math.floorDiv(now, 1000));
        db.update("INSERT INTO job_details (" + JOB_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (run_id, job_id, flow_id) DO UPDATE SET status = excluded.status,"
                + " started_at_ms = COALESCE(excluded.started_at_ms, job_details.started_at_ms),"
                + " ended_at_ms = excluded.ended_at_ms,"
                + " duration_ms = excluded.ended_at_ms"
                + " - COALESCE(excluded.started_at_ms, job_details.started_at_ms),"
                + " outputs_json = excluded.outputs_json, error = excluded.error,"
                + " updated_at_ms = excluded.updated_at_ms",
                flowId, runId, jobId, update.status(), update.startedAtMs(), update.endedAtMs(),
                duration(update.startedAtMs(), update.endedAtMs()), outputsJson, update.error(), now);
    }

    Optional<JobRecord> job(String flowId, String runId, String jobId) throws SQLException {
        Optional<JobRecord> detail = db.one("SELECT " + JOB_COLUMNS + " FROM job_details WHERE run_id = ?"
                + " AND job_id = ? AND flow_id = ?", StepsTable::job, runId, jobId, flowId);
        if (detail.isPresent()) {
            return detail;
        }
        return db.one("SELECT r.status, r.updated_at FROM job_runs r WHERE r.job_id = ?"
                + " AND r.run_id = ? AND NOT EXISTS (SELECT 1 FROM job_details d WHERE d.run_id = r.run_id"
                + " AND d.job_id = r.job_id)",
                rs -> new JobRecord(null, runId, jobId, rs.getString(1), null, null, null, Map.of(), null,
                        rs.getLong(2) * 1000, true),
                jobId, runId);
    }

    /** @return the job detail rows of a run, in the order they were first written */
    List<JobRecord> jobs(String flowId, String runId) throws SQLException {
        return db.list("SELECT " + JOB_COLUMNS + " FROM job_details WHERE run_id = ? AND flow_id = ? ORDER BY " + db.insertOrder(),
                StepsTable::job, runId, flowId);
    }

    // ----------------------------------------------------------------------------------- steps

    /** The reference rows' upsert of {@code rows} rows of (job, run, step, status, updated_at). */
    private static String stepRunsUpsert(int rows) {
        return "INSERT INTO step_runs (job_id, run_id, step_id, status, updated_at) VALUES "
                + values("(?, ?, ?, ?, ?)", rows) + " ON CONFLICT (job_id, run_id, step_id) DO UPDATE SET"
                + " status = excluded.status, updated_at = excluded.updated_at";
    }

    /** The detail rows' upsert: a null type, bundle or start time keeps the stored one. */
    private static String stepDetailsUpsert(int rows) {
        return "INSERT INTO step_details (" + STEP_COLUMNS + ") VALUES "
                + values("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                + " ON CONFLICT (run_id, job_id, step_id, flow_id) DO UPDATE SET status = excluded.status,"
                + " step_type = COALESCE(excluded.step_type, step_details.step_type),"
                + " served_by = COALESCE(excluded.served_by, step_details.served_by),"
                + " started_at_ms = COALESCE(excluded.started_at_ms, step_details.started_at_ms),"
                + " ended_at_ms = excluded.ended_at_ms,"
                + " duration_ms = excluded.ended_at_ms"
                + " - COALESCE(excluded.started_at_ms, step_details.started_at_ms),"
                + " outputs_json = excluded.outputs_json, error = excluded.error,"
                + " updated_at_ms = excluded.updated_at_ms";
    }

    private static String values(String row, int rows) {
        StringBuilder sb = new StringBuilder(row);
        for (int i = 1; i < rows; i++) {
            sb.append(", ").append(row);
        }
        return sb.toString();
    }

    private static final String STEP_RUNS_ONE = stepRunsUpsert(1);
    private static final String STEP_RUNS_TWO = stepRunsUpsert(2);
    private static final String STEP_DETAILS_ONE = stepDetailsUpsert(1);
    private static final String STEP_DETAILS_TWO = stepDetailsUpsert(2);

    /** Writes both rows; a final status also drops the step's process rows. */
    void setStep(String flowId, String runId, String jobId, String stepId, StepUpdate update, String outputsJson)
            throws SQLException {
        long now = db.nowMs();
        db.update(STEP_RUNS_ONE, runsRow(runId, jobId, stepId, update, now));
        db.update(STEP_DETAILS_ONE, detailsRow(flowId, runId, jobId, stepId, update, outputsJson, now));
        if (!"RUNNING".equals(update.status())) {
            processes.dropStep(flowId, runId, jobId, stepId);
        }
    }

    /**
     * Writes the rows of a step's final status and of the next step's RUNNING status: the same rows
     * as two {@link #setStep} calls, in one statement per table (a step boundary is the engine's
     * most frequent write).
     */
    void setStepAndNext(String flowId, String runId, String jobId, String stepId, StepUpdate update,
            String outputsJson, String nextStepId, StepUpdate next, String nextOutputsJson) throws SQLException {
        long now = db.nowMs();
        db.update(STEP_RUNS_TWO, concat(runsRow(runId, jobId, stepId, update, now),
                runsRow(runId, jobId, nextStepId, next, now)));
        db.update(STEP_DETAILS_TWO, concat(detailsRow(flowId, runId, jobId, stepId, update, outputsJson, now),
                detailsRow(flowId, runId, jobId, nextStepId, next, nextOutputsJson, now)));
        processes.dropStep(flowId, runId, jobId, stepId);
    }

    private static Object[] runsRow(String runId, String jobId, String stepId, StepUpdate update, long now) {
        return new Object[] {jobId, runId, stepId, update.status(), Math.floorDiv(now, 1000)};
    }

    private static Object[] detailsRow(String flowId, String runId, String jobId, String stepId, StepUpdate update,
            String outputsJson, long now) {
        return new Object[] {flowId, runId, jobId, stepId, update.status(), update.stepType(), update.servedBy(),
            update.startedAtMs(), update.endedAtMs(), duration(update.startedAtMs(), update.endedAtMs()),
            outputsJson, update.error(), now};
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    Optional<String> stepStatus(String flowId, String runId, String jobId, String stepId) throws SQLException {
        Optional<String> detail = db.one("SELECT status FROM step_details WHERE run_id = ? AND job_id = ?"
                + " AND step_id = ? AND flow_id = ?", rs -> rs.getString(1), runId, jobId, stepId, flowId);
        return detail.isPresent() ? detail : legacyStep(runId, jobId, stepId).map(StepRecord::status);
    }

    Optional<StepRecord> step(String flowId, String runId, String jobId, String stepId) throws SQLException {
        Optional<StepRecord> detail = db.one("SELECT " + STEP_COLUMNS + " FROM step_details WHERE run_id = ?"
                + " AND job_id = ? AND step_id = ? AND flow_id = ?", StepsTable::step, runId, jobId, stepId, flowId);
        return detail.isPresent() ? detail : legacyStep(runId, jobId, stepId);
    }

    /** @return step id to record: detail rows in the order first written, then legacy rows */
    Map<String, StepRecord> steps(String flowId, String runId, String jobId) throws SQLException {
        Map<String, StepRecord> out = new LinkedHashMap<>();
        for (StepRecord s : db.list("SELECT " + STEP_COLUMNS + " FROM step_details WHERE run_id = ? AND job_id = ?"
                + " AND flow_id = ? ORDER BY " + db.insertOrder(), StepsTable::step, runId, jobId, flowId)) {
            out.put(s.stepId(), s);
        }
        for (StepRecord s : db.list("SELECT r.step_id, r.status, r.updated_at FROM step_runs r WHERE r.job_id = ?"
                + " AND r.run_id = ?" + NO_STEP_DETAIL + " ORDER BY r." + db.insertOrder(),
                rs -> legacyRecord(runId, jobId, rs.getString(1), rs.getString(2), rs.getLong(3)), jobId, runId)) {
            out.putIfAbsent(s.stepId(), s);
        }
        return out;
    }

    /** @return the step detail rows of a run, in the order they were first written */
    List<StepRecord> steps(String flowId, String runId) throws SQLException {
        return db.list("SELECT " + STEP_COLUMNS + " FROM step_details WHERE run_id = ? AND flow_id = ? ORDER BY " + db.insertOrder(),
                StepsTable::step, runId, flowId);
    }

    private Optional<StepRecord> legacyStep(String runId, String jobId, String stepId) throws SQLException {
        return db.one("SELECT r.status, r.updated_at FROM step_runs r WHERE r.job_id = ? AND r.run_id = ?"
                + " AND r.step_id = ?" + NO_STEP_DETAIL,
                rs -> legacyRecord(runId, jobId, stepId, rs.getString(1), rs.getLong(2)), jobId, runId, stepId);
    }

    private static StepRecord legacyRecord(String runId, String jobId, String stepId, String status, long updatedSec) {
        return new StepRecord(null, runId, jobId, stepId, status, null, null, null, null, null, Map.of(), null,
                updatedSec * 1000, true);
    }

    // ------------------------------------------------------------------------------ run end

    /** Gives the run's RUNNING jobs and steps a final status, reference rows first (they key off the details). */
    void finishRunning(String flowId, String runId, long now, String status, String error) throws SQLException {
        long nowSec = Math.floorDiv(now, 1000);
        db.update("UPDATE job_runs SET status = ?, updated_at = ? WHERE run_id = ?"
                + " AND status = 'RUNNING' AND job_id IN (SELECT job_id FROM job_details WHERE run_id = ?"
                + " AND flow_id = ? AND status = 'RUNNING')", status, nowSec, runId, runId, flowId);
        db.update("UPDATE step_runs SET status = ?, updated_at = ? WHERE run_id = ?"
                + " AND status = 'RUNNING' AND EXISTS (SELECT 1 FROM step_details d WHERE d.run_id = step_runs.run_id"
                + " AND d.job_id = step_runs.job_id AND d.step_id = step_runs.step_id AND d.flow_id = ?"
                + " AND d.status = 'RUNNING')", status, nowSec, runId, flowId);
        for (String table : new String[] {"job_details", "step_details"}) {
            db.update("UPDATE " + table + " SET status = ?, ended_at_ms = ?,"
                    + " duration_ms = ? - started_at_ms, error = COALESCE(error, ?), updated_at_ms = ?"
                    + " WHERE run_id = ? AND flow_id = ? AND status = 'RUNNING'",
                    status, now, now, error, now, runId, flowId);
        }
    }

    // ------------------------------------------------------------------------------- mapping

    private static Long duration(Long start, Long end) {
        return start != null && end != null ? end - start : null;
    }

    private static JobRecord job(ResultSet rs) throws SQLException {
        String jobId = rs.getString("job_id");
        return new JobRecord(rs.getString("flow_id"), rs.getString("run_id"), jobId, rs.getString("status"),
                StateSql.getLong(rs, "started_at_ms"), StateSql.getLong(rs, "ended_at_ms"),
                StateSql.getLong(rs, "duration_ms"), Outputs.fromJson(rs.getString("outputs_json"), "job " + jobId),
                rs.getString("error"), rs.getLong("updated_at_ms"), false);
    }

    private static StepRecord step(ResultSet rs) throws SQLException {
        String jobId = rs.getString("job_id");
        String stepId = rs.getString("step_id");
        return new StepRecord(rs.getString("flow_id"), rs.getString("run_id"), jobId, stepId, rs.getString("status"),
                rs.getString("step_type"), rs.getString("served_by"), StateSql.getLong(rs, "started_at_ms"),
                StateSql.getLong(rs, "ended_at_ms"), StateSql.getLong(rs, "duration_ms"),
                Outputs.fromJson(rs.getString("outputs_json"), "step " + jobId + "/" + stepId),
                rs.getString("error"), rs.getLong("updated_at_ms"), false);
    }
}
