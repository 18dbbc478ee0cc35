package io.aetherflow.runtime.run;

import io.aetherflow.api.observe.RunListener;
import io.aetherflow.api.support.Json;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.observe.RunObserver;
import io.aetherflow.runtime.state.JobUpdate;
import io.aetherflow.runtime.state.RunMeta;
import io.aetherflow.runtime.state.RunStatus;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StateStoreException;
import io.aetherflow.runtime.state.StepUpdate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place a run records a status change: each method writes the change to the state store,
 * emits the lifecycle event through the {@link RunObserver} (which calls the run listeners) and
 * writes the log line, in the order the engine has always used. The runner never writes a status
 * to one of the three by hand, so no change can be recorded in one and forgotten in another.
 *
 * <p>Outputs and errors handed in are already masked.
 */
final class RunJournal {

    /** Attempts of {@link StateStore#endRun} while the store is locked by another process. */
    static final int END_RUN_ATTEMPTS = 4;

    /**
     * A job that started.
     *
     * @param jobId job id
     * @param startMs wall-clock start (epoch ms)
     * @param t0 monotonic start ({@link System#nanoTime()})
     */
    record JobRun(String jobId, long startMs, long t0) {

        long elapsedMs() {
            return (System.nanoTime() - t0) / 1_000_000L;
        }
    }

    /**
     * A step the runner is working on: {@link #pending} until it {@link #started()}.
     *
     * @param jobId job id
     * @param stepId step id
     * @param type step type
     * @param servedBy serving bundle, or null before the type was resolved
     * @param startMs wall-clock start (epoch ms), 0 before the start
     * @param t0 monotonic start, 0 before the start
     */
    record StepRun(String jobId, String stepId, String type, String servedBy, long startMs, long t0) {

        static StepRun pending(String jobId, String stepId, String type) {
            return new StepRun(jobId, stepId, type, null, 0, 0);
        }

        StepRun boundTo(String bundle) {
            return new StepRun(jobId, stepId, type, bundle, startMs, t0);
        }

        boolean started() {
            return t0 != 0;
        }

        long elapsedMs() {
            return t0 == 0 ? 0 : (System.nanoTime() - t0) / 1_000_000L;
        }
    }

    private final StateStore store;
    private final EventLog log;
    private final RunObserver obs;
    private final String flowId;
    private final String runId;

    RunJournal(StateStore store, EventLog log, RunObserver observer, String flowId, String runId) {
        this.store = store;
        this.log = log;
        this.obs = observer;
        this.flowId = flowId;
        this.runId = runId;
    }

    /**
     * Records the start of a run in the store (which also finds dead runs and kills what they left),
     * then creates the run's observer and logs what was killed.
     *
     * @param store the state store
     * @param log the event log
     * @param listeners the run listeners
     * @param flowId flow id
     * @param runId run id
     * @param meta host, pid, plugin-set hash, flow file
     * @return the journal of the run
     */
    static RunJournal begin(StateStore store, EventLog log, List<Map.Entry<String, RunListener>> listeners,
            String flowId, String runId, RunMeta meta) {
        store.beginRun(flowId, runId, meta);
        RunJournal journal = new RunJournal(store, log, new RunObserver(log, flowId, runId, listeners), flowId, runId);
        for (String killed : store.takeReaped()) {
            journal.runWarning(killed);
        }
        return journal;
    }

    /** @return the run's observer (loggers, ids, summary) */
    RunObserver observer() {
        return obs;
    }

    // ------------------------------------------------------------------------------------- run

    /** Event {@code run_start} (the store row was written by {@link #begin}). */
    void runStarted(String yaml, Map<String, Object> extra) {
        obs.runStart(yaml, extra);
    }

    /** A warning on the run logger. */
    void runWarning(String message) {
        log.log(LogLevel.WARNING, obs.logger(), message, obs.ids(null, null));
    }

    /**
     * Records the end of the run: the store row (a store that is busy, i.e. locked by another
     * process for longer than the busy timeout, is retried, so a run whose step write failed for
     * that reason still ends FAILED in the store instead of being found dead later), then the
     * events {@code run_summary}/{@code run_end}.
     *
     * @param status final status (a {@link RunStatus} name)
     * @param error masked one-line error, or null
     * @param exit the exit code so far
     * @return the exit code: {@link ExitCodes#ENVIRONMENT} instead of OK when the end could not be recorded
     */
    int runEnded(String status, String error, int exit) {
        Map<String, Object> summary = obs.summary(status, error);
        int code = exit;
        try {
            endRun(RunStatus.valueOf(status), error, Json.writeSpaced(summary));
        } catch (RuntimeException e) {
            log.log(LogLevel.ERROR, obs.logger(), "could not record the end of the run: " + Errors.oneLine(e),
                    obs.ids(null, null));
            if (code == ExitCodes.OK) {
                code = ExitCodes.ENVIRONMENT;
            }
        }
        obs.runEnd(summary);
        return code;
    }

    private void endRun(RunStatus status, String error, String summary) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.endRun(flowId, runId, status, error, summary);
                return;
            } catch (StateStoreException e) {
                if (attempt >= END_RUN_ATTEMPTS || !e.busy()) {
                    throw e;
                }
                runWarning("state store busy while recording the end of the run (attempt " + attempt + " of "
                        + END_RUN_ATTEMPTS + "), retrying");
            }
        }
    }

    // ------------------------------------------------------------------------------------ jobs

    /** A job whose dependencies did not succeed: BLOCKED, not executed. */
    void jobBlocked(String jobId, String message) {
        log.log(LogLevel.WARNING, obs.jobLogger(jobId), message, obs.ids(jobId, null));
        store.setJobStatus(flowId, runId, jobId, JobUpdate.of(FlowRunner.BLOCKED));
        obs.jobNotExecuted(FlowRunner.BLOCKED);
    }

    /** A job whose {@code when} is false: SKIPPED, not executed. */
    void jobSkipped(String jobId, String message) {
        log.log(LogLevel.INFO, obs.jobLogger(jobId), message, obs.ids(jobId, null));
        store.setJobStatus(flowId, runId, jobId, JobUpdate.of(FlowRunner.SKIPPED));
        obs.jobNotExecuted(FlowRunner.SKIPPED);
    }

    /** A job whose {@code when} cannot be evaluated: FAILED, not executed. */
    void jobRejected(String jobId, String error) {
        long now = System.currentTimeMillis();
        store.setJobStatus(flowId, runId, jobId, new JobUpdate(FlowRunner.FAILED, now, now, Map.of(), error));
        log.log(LogLevel.ERROR, obs.jobLogger(jobId), "Job failed: " + error, obs.ids(jobId, null));
        obs.jobNotExecuted(FlowRunner.FAILED);
    }

    /** @return the job, RUNNING in the store, {@code job_start} emitted */
    JobRun jobStarted(String jobId) {
        long startMs = System.currentTimeMillis();
        long t0 = System.nanoTime();
        store.setJobStatus(flowId, runId, jobId, JobUpdate.running(startMs));
        obs.jobStart(jobId);
        return new JobRun(jobId, startMs, t0);
    }

    /**
     * A job that ran to its end (SUCCESS, or SKIPPED after a no-data short-circuit).
     *
     * @param job the job
     * @param status SUCCESS or SKIPPED
     * @param outputs masked job outputs
     * @param skipReason why it was skipped, or null
     * @param message the log line
     */
    void jobFinished(JobRun job, String status, Map<String, Object> outputs, String skipReason, String message) {
        log.log(LogLevel.INFO, obs.jobLogger(job.jobId()), message, obs.ids(job.jobId(), null));
        long dur = job.elapsedMs();
        store.setJobStatus(flowId, runId, job.jobId(),
                new JobUpdate(status, job.startMs(), System.currentTimeMillis(), outputs, null));
        obs.jobEnd(job.jobId(), status, dur, skipReason, null);
    }

    /**
     * A job that failed or was interrupted; its step (if any) was recorded by {@link #stepFailed}.
     *
     * @param job the job
     * @param stepId the step it failed in, or null
     * @param failure status (FAILED or INTERRUPTED), masked error, cause (traced at DEBUG)
     * @param outputs masked job outputs so far
     * @param now the end (epoch ms)
     */
    void jobFailed(JobRun job, String stepId, FlowRunner.Failure failure, Map<String, Object> outputs, long now) {
        String jobLogger = obs.jobLogger(job.jobId());
        store.setJobStatus(flowId, runId, job.jobId(),
                new JobUpdate(failure.status(), job.startMs(), now, outputs, failure.error()));
        log.log(LogLevel.ERROR, jobLogger, "Job failed: " + failure.error(), obs.ids(job.jobId(), stepId));
        if (failure.cause() != null && log.enabled(LogLevel.DEBUG)) {
            java.io.StringWriter sw = new java.io.StringWriter();
            failure.cause().printStackTrace(new java.io.PrintWriter(sw));
            log.log(LogLevel.DEBUG, jobLogger, sw.toString(), obs.ids(job.jobId(), stepId));
        }
        obs.jobEnd(job.jobId(), failure.status(), job.elapsedMs(), null, failure.error());
    }

    // ----------------------------------------------------------------------------------- steps

    /**
     * A step skipped because an earlier step short-circuited the job.
     *
     * @return the step's outputs ({@code skipped}, {@code reason})
     */
    Map<String, Object> stepShortCircuited(String jobId, String stepId, String type, String reason) {
        log.log(LogLevel.INFO, obs.jobLogger(jobId), "Step skipped (job short-circuit) step_id=" + stepId
                + " reason=" + reason, obs.ids(jobId, stepId));
        long now = System.currentTimeMillis();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("skipped", true);
        out.put("reason", reason);
        store.setStepStatus(flowId, runId, jobId, stepId, new StepUpdate(FlowRunner.SKIPPED, type, null, now, now, out,
                null));
        return out;
    }

    /**
     * {@code step_start}, then the RUNNING row, so a kill -9 leaves the step named (INTERRUPTED) in
     * the store; committed without a sync of its own: the step's end is the durable write of this
     * boundary.
     *
     * @param step the resolved step (served by a bundle)
     * @return the step with its start times
     */
    StepRun stepStarted(StepRun step) {
        obs.stepStart(step.jobId(), step.stepId(), step.type(), step.servedBy());
        StepRun s = new StepRun(step.jobId(), step.stepId(), step.type(), step.servedBy(), System.currentTimeMillis(),
                System.nanoTime());
        store.setStepStatus(flowId, runId, s.jobId(), s.stepId(), running(s));
        return s;
    }

    /**
     * A step that returned: its row (durable), then {@code step_end}.
     *
     * @param step the started step
     * @param status SUCCESS or SKIPPED (the step's result)
     * @param outputs masked outputs
     */
    void stepEnded(StepRun step, String status, Map<String, Object> outputs) {
        stepEnded(step, status, outputs, null);
    }

    /**
     * A step that returned: its row (durable), then {@code step_end}. When the runner already knows
     * the step that starts next ({@code next}, bound and with its inputs rendered), that step's
     * RUNNING row is written in the same durable transaction; it is then started with
     * {@link #carriedStarted}, which emits its {@code step_start} without a write of its own.
     *
     * @param step the started step
     * @param status SUCCESS or SKIPPED (the step's result)
     * @param outputs masked outputs
     * @param next the step that starts next ({@link StepRun#pending pending}, bound), or null
     * @return {@code next} with its start time (RUNNING in the store, not yet started), or null
     */
    StepRun stepEnded(StepRun step, String status, Map<String, Object> outputs, StepRun next) {
        long dur = step.elapsedMs();
        long now = System.currentTimeMillis();
        StepUpdate end = new StepUpdate(status, step.type(), step.servedBy(), step.startMs(), now, outputs, null);
        StepRun carried = null;
        if (next == null) {
            store.setStepStatus(flowId, runId, step.jobId(), step.stepId(), end);
        } else {
            carried = new StepRun(next.jobId(), next.stepId(), next.type(), next.servedBy(), now, 0);
            store.endStepStartNext(flowId, runId, step.jobId(), step.stepId(), end, next.stepId(), running(carried));
        }
        obs.stepEnd(step.jobId(), step.stepId(), step.type(), FlowRunner.SKIPPED.equals(status) ? FlowRunner.SKIPPED
                : FlowRunner.SUCCESS, dur, null);
        return carried;
    }

    /**
     * {@code step_start} of a step whose RUNNING row rode in the previous step's end
     * ({@link #stepEnded(StepRun, String, Map, StepRun)}).
     *
     * @param carried the step as that call returned it
     * @return the started step (its start time is the one in the store)
     */
    StepRun carriedStarted(StepRun carried) {
        obs.stepStart(carried.jobId(), carried.stepId(), carried.type(), carried.servedBy());
        return new StepRun(carried.jobId(), carried.stepId(), carried.type(), carried.servedBy(), carried.startMs(),
                System.nanoTime());
    }

    private static StepUpdate running(StepRun s) {
        return new StepUpdate(FlowRunner.RUNNING, s.type(), s.servedBy(), s.startMs(), null, Map.of(), null);
    }

    /**
     * A step that failed or was interrupted (or could not start: no {@code step_end} then).
     *
     * @param step the step
     * @param status FAILED or INTERRUPTED
     * @param error masked error
     * @param now the end (epoch ms)
     */
    void stepFailed(StepRun step, String status, String error, long now) {
        long dur = step.elapsedMs();
        store.setStepStatus(flowId, runId, step.jobId(), step.stepId(),
                new StepUpdate(status, step.type(), step.servedBy(), now - dur, now, Map.of(), error));
        if (step.started()) {
            obs.stepEnd(step.jobId(), step.stepId(), step.type(), status, dur, error);
        }
    }

    /** Records a child process a step reported, under the step that owns the state row. */
    void processStarted(String jobId, String stepId, ProcessHandle process, long pgid) {
        store.recordProcess(flowId, runId, jobId, stepId, process.pid(), pgid,
                process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(null));
    }
}
