package io.aetherflow.runtime.observe;

import io.aetherflow.api.observe.RunListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Emits the run's lifecycle events, calls the run listeners right after each event, and builds the
 * run summary. Listener exceptions are logged as warnings and otherwise ignored.
 */
public final class RunObserver {

    private final EventLog log;
    private final String flowId;
    private final String runId;
    private final String logger;
    private final List<Map.Entry<String, RunListener>> listeners;
    private final Map<String, Integer> statusCounts = new TreeMap<>();
    private final List<Map<String, Object>> jobs = new ArrayList<>();
    private final Map<String, Map<String, Object>> jobById = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();

    /**
     * @param log the event log
     * @param flowId flow id
     * @param runId run id
     * @param listeners listeners (name, listener)
     */
    public RunObserver(EventLog log, String flowId, String runId, List<Map.Entry<String, RunListener>> listeners) {
        this.log = log;
        this.flowId = flowId;
        this.runId = runId;
        this.logger = "aetherflow.flow." + flowId;
        this.listeners = listeners;
    }

    /** @return the run logger name {@code aetherflow.flow.<flow_id>} */
    public String logger() {
        return logger;
    }

    /**
     * @param jobId a job id
     * @return the job logger name
     */
    public String jobLogger(String jobId) {
        return logger + ".job." + jobId;
    }

    /**
     * @param jobId job id or null
     * @param stepId step id or null
     * @return the context ids for log lines
     */
    public Map<String, Object> ids(String jobId, String stepId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow_id", flowId);
        m.put("run_id", runId);
        if (jobId != null) {
            m.put("job_id", jobId);
        }
        if (stepId != null) {
            m.put("step_id", stepId);
        }
        return m;
    }

    private void notify(String what, ListenerCall call) {
        for (Map.Entry<String, RunListener> l : listeners) {
            try {
                call.call(l.getValue());
            } catch (RuntimeException | LinkageError e) {
                log.log(LogLevel.WARNING, logger, "Run listener " + (l.getKey().isEmpty() ? l.getValue().getClass()
                        .getName() : l.getKey()) + " failed in " + what + ": " + e, ids(null, null));
            }
        }
    }

    @FunctionalInterface
    private interface ListenerCall {
        void call(RunListener l);
    }

    /**
     * Event {@code run_start}.
     *
     * @param yaml the flow file that runs
     * @param extra further fields (plugin_set_hash, host, pid)
     */
    public void runStart(String yaml, Map<String, Object> extra) {
        Map<String, Object> f = ids(null, null);
        f.put("yaml", yaml);
        f.putAll(extra);
        log.event(LogLevel.INFO, logger, "run_start", f, null);
        notify("onRunStart", l -> l.onRunStart(flowId, runId));
    }

    /**
     * Counts a job that was not executed (BLOCKED, SKIPPED by when).
     *
     * @param status the job status
     */
    public void jobNotExecuted(String status) {
        statusCounts.merge(status, 1, Integer::sum);
    }

    /**
     * Event {@code job_start}.
     *
     * @param jobId job id
     */
    public void jobStart(String jobId) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("job_id", jobId);
        entry.put("status", "RUNNING");
        entry.put("duration_ms", 0L);
        entry.put("skip_reason", null);
        entry.put("steps", new ArrayList<Map<String, Object>>());
        jobs.add(entry);
        jobById.put(jobId, entry);
        Map<String, Object> f = ids(jobId, null);
        log.event(LogLevel.INFO, logger, "job_start", f, null);
        notify("onJobStart", l -> l.onJobStart(flowId, runId, jobId));
    }

    /**
     * Event {@code job_end}.
     *
     * @param jobId job id
     * @param status SUCCESS, SKIPPED, FAILED or INTERRUPTED
     * @param durationMs duration
     * @param skipReason skip reason or null
     * @param error error message or null
     */
    public void jobEnd(String jobId, String status, long durationMs, String skipReason, String error) {
        statusCounts.merge(status, 1, Integer::sum);
        Map<String, Object> entry = jobById.get(jobId);
        if (entry != null) {
            putEnd(entry, status, durationMs, skipReason, error);
        }
        Map<String, Object> f = ids(jobId, null);
        logEnd("job_end", putEnd(f, status, durationMs, skipReason, error), status);
        notify("onJobEnd", l -> l.onJobEnd(flowId, runId, jobId, status, durationMs));
    }

    /**
     * Event {@code step_start}.
     *
     * @param jobId job id
     * @param stepId step id
     * @param stepType step type
     * @param servedBy serving bundle
     */
    public void stepStart(String jobId, String stepId, String stepType, String servedBy) {
        Map<String, Object> f = ids(jobId, stepId);
        f.put("step_type", stepType);
        f.put("bundle", servedBy);
        log.event(LogLevel.INFO, logger, "step_start", f, null);
        notify("onStepStart", l -> l.onStepStart(flowId, runId, jobId, stepId, stepType));
    }

    /**
     * Event {@code step_end}.
     *
     * @param jobId job id
     * @param stepId step id
     * @param stepType step type
     * @param status SUCCESS, SKIPPED or FAILED
     * @param durationMs duration
     * @param error error or null
     */
    @SuppressWarnings("unchecked")
    public void stepEnd(String jobId, String stepId, String stepType, String status, long durationMs, String error) {
        Map<String, Object> entry = jobById.get(jobId);
        if (entry != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("step_id", stepId);
            s.put("step_type", stepType);
            s.put("status", status);
            s.put("duration_ms", durationMs);
            ((List<Map<String, Object>>) entry.get("steps")).add(s);
        }
        Map<String, Object> f = ids(jobId, stepId);
        f.put("step_type", stepType);
        f.put("status", status);
        f.put("duration_ms", durationMs);
        if (error != null) {
            f.put("error", error);
        }
        logEnd("step_end", f, status);
        notify("onStepEnd", l -> l.onStepEnd(flowId, runId, jobId, stepId, stepType, status, durationMs));
    }

    /** Puts a job's end fields: status, duration, skip reason, and the error when there is one. */
    private static Map<String, Object> putEnd(Map<String, Object> m, String status, long durationMs, String skipReason,
            String error) {
        m.put("status", status);
        m.put("duration_ms", durationMs);
        m.put("skip_reason", skipReason);
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }

    /** Logs a job or step end event: ERROR when it failed, INFO otherwise. */
    private void logEnd(String event, Map<String, Object> fields, String status) {
        log.event("FAILED".equals(status) ? LogLevel.ERROR : LogLevel.INFO, logger, event, fields, null);
    }

    /** @return milliseconds since this observer was created */
    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }

    /**
     * Builds the summary.
     *
     * @param status the run status
     * @param error the run error or null
     * @return {@code flow_id, run_id, status, duration_ms, status_counts, jobs[, error]}
     */
    public Map<String, Object> summary(String status, String error) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("flow_id", flowId);
        s.put("run_id", runId);
        s.put("status", status);
        s.put("duration_ms", elapsedMs());
        s.put("status_counts", new TreeMap<>(statusCounts));
        s.put("jobs", jobs);
        if (error != null) {
            s.put("error", error);
        }
        return s;
    }

    /**
     * Events {@code run_summary} (on success, as the reference) and {@code run_end} (always).
     *
     * @param summary the summary from {@link #summary}
     */
    public void runEnd(Map<String, Object> summary) {
        String status = String.valueOf(summary.get("status"));
        if ("SUCCESS".equals(status)) {
            Map<String, Object> compat = new LinkedHashMap<>(summary);
            compat.remove("status");
            log.event(LogLevel.INFO, logger, "run_summary", compat, null);
        }
        log.event("SUCCESS".equals(status) ? LogLevel.INFO : LogLevel.ERROR, logger, "run_end", summary, null);
        notify("onRunEnd", l -> l.onRunEnd(flowId, runId, summary));
    }
}
