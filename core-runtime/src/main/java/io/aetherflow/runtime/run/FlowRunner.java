package io.aetherflow.runtime.run;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.api.step.LockBusyException;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.env.ResolvedResource;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.plugins.StepBinding;
import io.aetherflow.runtime.spec.FlowMeta;
import io.aetherflow.runtime.spec.FlowSpec;
import io.aetherflow.runtime.spec.JobSpec;
import io.aetherflow.runtime.spec.StepSpec;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StateStoreException;
import io.aetherflow.runtime.state.StepRecord;
import io.aetherflow.runtime.template.Phase;
import io.aetherflow.runtime.template.TemplateMissingKeyException;
import io.aetherflow.runtime.template.TemplateResolver;
import io.aetherflow.runtime.template.TemplateSyntaxException;
import io.aetherflow.runtime.when.WhenEvaluationException;
import io.aetherflow.runtime.when.WhenExpression;
import io.aetherflow.runtime.when.WhenSyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job and step loop of one run (catalog §3.3-3.5 with SPEC §4's fixes): depends_on and BLOCKED,
 * {@code when} gating, on_no_data short-circuit, resume with outputs restored, cleanup policies,
 * durable state at every step boundary, interruption.
 */
public final class FlowRunner {

    /** Job statuses. */
    static final String RUNNING = "RUNNING";
    static final String SUCCESS = "SUCCESS";
    static final String SKIPPED = "SKIPPED";
    static final String FAILED = "FAILED";
    static final String BLOCKED = "BLOCKED";
    static final String INTERRUPTED = "INTERRUPTED";

    /**
     * Why a job ended early.
     *
     * @param status FAILED or INTERRUPTED
     * @param error the error (masked once it reaches the journal)
     * @param exitCode the exit code it implies for the run
     * @param cause the exception, traced at DEBUG, or null
     */
    record Failure(String status, String error, int exitCode, Throwable cause) {
    }

    /** The job being run and the step it is at (null between steps). */
    private static final class Attempt {
        final JobSpec job;
        final RunJournal.JobRun run;
        final Map<String, Object> outputs = new LinkedHashMap<>();
        /** step id to its outputs, the {@code steps} root of templates */
        final Map<String, Object> stepsCtx = new LinkedHashMap<>();
        RunJournal.StepRun step;
        /** the next step, bound and rendered, whose RUNNING row rode in the previous step's end */
        Prepared carried;
        /** why an earlier step short-circuited the job, or null */
        String shortCircuit;

        Attempt(JobSpec job, RunJournal.JobRun run) {
            this.job = job;
            this.run = run;
        }
    }

    private final RunSession session;
    private final StateStore store;
    private final RunJournal journal;
    private final FlowSpec spec;
    private final FlowMeta meta;
    private final String flowJob;
    private final Map<String, Object> jobsContext = new LinkedHashMap<>();
    /** Step types bound so far in this run (type to binding). */
    private final Map<String, StepBinding> bound = new HashMap<>();

    /**
     * @param session the run's shared services
     * @param store the state store
     * @param spec the validated flow
     * @param meta the rendered flow block
     * @param flowJob run only this job, or null
     */
    public FlowRunner(RunSession session, StateStore store, FlowSpec spec, FlowMeta meta, String flowJob) {
        this.session = session;
        this.store = store;
        this.spec = spec;
        this.meta = meta;
        this.flowJob = flowJob;
        this.journal = new RunJournal(store, session.log(), session.observer(), session.flowId(), session.runId());
    }

    /** @return job id → {status, outputs, ...} for the jobs processed so far */
    public Map<String, Object> jobsContext() {
        return jobsContext;
    }

    /** Deletes the job directory if this run created it; a kept directory is always reported. */
    private void cleanup(JobSpec job, String jobLogger, boolean announce) {
        String kept = session.workspace().cleanup(job.id());
        if (kept == null) {
            if (announce) {
                info(jobLogger, "Job cleaned up", job.id(), null);
            }
        } else {
            session.log().log(LogLevel.WARNING, jobLogger, "Job cleanup skipped: " + kept,
                    session.observer().ids(job.id(), null));
        }
    }

    private void info(String logger, String msg, String jobId, String stepId) {
        session.log().log(LogLevel.INFO, logger, msg, session.observer().ids(jobId, stepId));
    }

    /**
     * Runs the job loop.
     *
     * @return the outcome of the run: status and exit code (0 when every executed job succeeded or
     *         was skipped)
     */
    public JobOutcome runJobs() {
        for (JobSpec job : spec.jobs()) {
            if (flowJob != null && !flowJob.equals(job.id())) {
                continue;
            }
            if (Thread.currentThread().isInterrupted()) {
                return new JobOutcome(INTERRUPTED, "interrupted before job '" + job.id() + "'", ExitCodes.INTERRUPTED);
            }
            if (!job.dependsOn().isEmpty()) {
                boolean ok = true;
                for (String dep : job.dependsOn()) {
                    Object d = jobsContext.get(dep);
                    if (!(d instanceof Map<?, ?> m) || !SUCCESS.equals(m.get("status"))) {
                        ok = false;
                        break;
                    }
                }
                if (!ok) {
                    journal.jobBlocked(job.id(), "Job blocked job_id=" + job.id() + " depends_on="
                            + pyList(job.dependsOn()));
                    jobsContext.put(job.id(), jobCtx(BLOCKED, new LinkedHashMap<>()));
                    continue;
                }
            }
            if (job.when() != null && !job.when().isBlank()) {
                boolean go;
                try {
                    go = WhenExpression.parse(job.when()).evaluate(jobsContext);
                } catch (WhenSyntaxException | WhenEvaluationException e) {
                    String err = "Invalid job.when for job_id=" + job.id() + ": " + e.getMessage();
                    journal.jobRejected(job.id(), err);
                    return new JobOutcome(FAILED, err, ExitCodes.JOB_FAILED);
                }
                if (!go) {
                    journal.jobSkipped(job.id(), "Job skipped job_id=" + job.id() + " when=(" + job.when() + ")");
                    Map<String, Object> ctx = jobCtx(SKIPPED, new LinkedHashMap<>());
                    ctx.put("skip_reason", "condition=false");
                    jobsContext.put(job.id(), ctx);
                    continue;
                }
            }
            JobOutcome outcome = runJob(job);
            if (outcome != null) {
                return outcome;
            }
        }
        return new JobOutcome(SUCCESS, null, ExitCodes.OK);
    }

    private static Map<String, Object> jobCtx(String status, Map<String, Object> outputs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("outputs", outputs);
        return m;
    }

    private static String pyList(List<String> l) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            sb.append(i == 0 ? "'" : ", '").append(l.get(i)).append('\'');
        }
        return sb.append(']').toString();
    }

    /** Runs one job; returns null to continue with the next job, or the run's final outcome. */
    private JobOutcome runJob(JobSpec job) {
        String jobLogger = session.observer().jobLogger(job.id());
        Attempt a = new Attempt(job, journal.jobStarted(job.id()));
        Map<String, Object> jobOutputs = a.outputs;
        try {
            Workspace ws = session.workspace();
            for (String k : List.of("artifacts", "scratch", "manifests")) {
                ws.ensureSub(job.id(), k);
            }
            Map<String, StepRecord> previous = store.getStepRecords(session.flowId(), session.runId(), job.id());
            List<StepSpec> steps = job.steps();
            try {
                for (int i = 0; i < steps.size(); i++) {
                    stepAt(a, steps, i, previous, jobLogger);
                }
            } finally {
                session.log().release(); // the lines of steps skipped at the end of the job
            }
            String status = SUCCESS;
            String skipReason = null;
            String message = "Job success";
            if (a.shortCircuit != null && allDone(job)) {
                status = SKIPPED;
                skipReason = a.shortCircuit;
                message = "Job skipped (no data) reason=" + skipReason;
            }
            journal.jobFinished(a.run, status, maskDeep(jobOutputs), skipReason, message);
            Map<String, Object> ctx = jobCtx(status, jobOutputs);
            if (skipReason != null) {
                ctx.put("skip_reason", skipReason);
                ctx.put("skip_trigger", "step");
            }
            jobsContext.put(job.id(), ctx);
            String policy = meta.workspace().cleanupPolicy();
            if ("on_success".equals(policy) || "always".equals(policy)) {
                cleanup(job, jobLogger, true);
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return endFailedJob(a, interrupted(a));
        } catch (StateStoreException e) {
            // an environment failure (exit 4), not a step failure: no further writes to a store that
            // just failed; the run's end is recorded by FlowRun (which retries a busy store)
            throw e;
        } catch (LockBusyException e) {
            return endFailedJob(a, new Failure(FAILED, e.getMessage(), ExitCodes.LOCK_BUSY, e));
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (Thread.currentThread().isInterrupted() || isInterruption(e)) {
                return endFailedJob(a, interrupted(a));
            }
            return endFailedJob(a, new Failure(FAILED, describe(job, a.step == null ? null : a.step.stepId(), e),
                    ExitCodes.JOB_FAILED, e));
        }
    }

    /**
     * One turn of a job's step loop: the step at {@code i} (resumed, short-circuited or run). Its own
     * method because the JIT compiles by invocations: {@link #runJob} runs once per job, so a loop
     * in it stays interpreted (C1 compiles a method after 200 invocations, a loop in place only
     * after 60,000 back edges), and this is called once per step.
     */
    private void stepAt(Attempt a, List<StepSpec> steps, int i, Map<String, StepRecord> previous, String jobLogger)
            throws Exception {
        JobSpec job = a.job;
        StepSpec step = steps.get(i);
        StepRecord prev = previous.get(step.id());
        boolean done = prev != null && (SUCCESS.equals(prev.status()) || SKIPPED.equals(prev.status()));
        if (!done || a.shortCircuit != null || Thread.currentThread().isInterrupted()) {
            session.log().release(); // the lines of the steps skipped before this one, before anything else
        }
        if (Thread.currentThread().isInterrupted()) {
            if (a.carried != null) {
                // its row says RUNNING: it is the step the interrupt lands in
                a.step = journal.carriedStarted(a.carried.run());
            }
            throw new InterruptedException();
        }
        if (a.shortCircuit != null) {
            a.stepsCtx.put(step.id(), journal.stepShortCircuited(job.id(), step.id(), step.type(), a.shortCircuit));
            return;
        }
        if (done) {
            // a run of skipped steps is written in one go (EventLog#hold), the lines unchanged
            session.log().hold();
            info(jobLogger, "Step skip (resume) step_id=" + step.id() + " prev=" + prev.status(), job.id(),
                    step.id());
            // the stored map as it is (read-only; its JSON is parsed only when a template reads it):
            // a copy here would parse the outputs of every resumed step
            Map<String, Object> out = prev.outputs();
            a.stepsCtx.put(step.id(), out);
            promote(job, step, out, a.outputs, a.stepsCtx);
            if (SKIPPED.equals(prev.status()) && "skip_job".equals(step.onNoData())) {
                a.shortCircuit = reasonOf(out);
                info(jobLogger, "Job short-circuit after step_id=" + step.id() + " reason=" + a.shortCircuit,
                        job.id(), step.id());
            }
            return;
        }
        Prepared p;
        if (a.carried != null) {
            p = a.carried;
            a.carried = null;
            a.step = journal.carriedStarted(p.run());
        } else {
            a.step = RunJournal.StepRun.pending(job.id(), step.id(), step.type());
            StepBinding binding = session.catalog().step(step.type()).orElseThrow(() -> new StepFailedException(
                    "Unknown step type: " + step.type() + ". Loaded: " + session.catalog().steps().keySet()));
            bound.put(step.type(), binding);
            a.step = a.step.boundTo(binding.servedBy());
            p = new Prepared(binding, render(job, step, a.outputs, a.stepsCtx), a.step);
            a.step = journal.stepStarted(a.step);
        }
        StepContextImpl ctx = new StepContextImpl(session, job.id(), step.id(), step.type(), p.inputs(),
                journal::processStarted);
        StepResult result = p.binding().step().get().run(ctx);
        if (result == null) {
            result = StepResult.success(null);
        }
        Map<String, Object> out = result.asOutput();
        a.stepsCtx.put(step.id(), out);
        String status = result.status();
        // promoted before the step's end is recorded: a promotion that fails fails the step
        promote(job, step, out, a.outputs, a.stepsCtx);
        boolean skipJob = SKIPPED.equals(status) && "skip_job".equals(step.onNoData());
        Prepared next = skipJob ? null : prepareNext(job, steps, i + 1, previous, a.outputs, a.stepsCtx);
        RunJournal.StepRun nextRun = journal.stepEnded(a.step, status, maskDeep(out),
                next == null ? null : next.run());
        a.step = null;
        a.carried = next == null ? null : new Prepared(next.binding(), next.inputs(), nextRun);
        if (skipJob) {
            a.shortCircuit = reasonOf(out);
            info(jobLogger, "Job short-circuit after step_id=" + step.id() + " reason=" + a.shortCircuit,
                    job.id(), step.id());
        }
    }

    /**
     * A step ready to start: its binding, its rendered inputs, and its journal entry.
     *
     * @param binding the step type's binding
     * @param inputs the rendered inputs
     * @param run the step ({@link RunJournal.StepRun#pending pending} and bound, or RUNNING in the store)
     */
    private record Prepared(StepBinding binding, Map<String, Object> inputs, RunJournal.StepRun run) {
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> render(JobSpec job, StepSpec step, Map<String, Object> jobOutputs,
            Map<String, Object> stepsCtx) {
        return (Map<String, Object>) TemplateResolver.render(step.inputs(), Phase.STEP,
                roots(job, jobOutputs, stepsCtx, Map.of()));
    }

    /**
     * The step after the one that just returned, when it will certainly start next: not done in an
     * earlier attempt of the run, of a type already bound in this run (binding it has no side effect),
     * and with inputs that render. Its RUNNING row then rides in the durable end of the step before
     * (one commit per step boundary instead of two). Anything else returns null, and the step is
     * prepared at its turn as before (so a template error is reported where it always was).
     */
    private Prepared prepareNext(JobSpec job, List<StepSpec> steps, int index, Map<String, StepRecord> previous,
            Map<String, Object> jobOutputs, Map<String, Object> stepsCtx) {
        if (index >= steps.size()) {
            return null;
        }
        StepSpec step = steps.get(index);
        StepRecord prev = previous.get(step.id());
        if (prev != null && (SUCCESS.equals(prev.status()) || SKIPPED.equals(prev.status()))) {
            return null;
        }
        StepBinding binding = bound.get(step.type());
        if (binding == null) {
            return null;
        }
        Map<String, Object> inputs;
        try {
            inputs = render(job, step, jobOutputs, stepsCtx);
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
        return new Prepared(binding, inputs,
                RunJournal.StepRun.pending(job.id(), step.id(), step.type()).boundTo(binding.servedBy()));
    }

    private static Failure interrupted(Attempt a) {
        return new Failure(INTERRUPTED, "interrupted" + (a.step == null ? "" : " during step '" + a.step.stepId() + "'"),
                ExitCodes.INTERRUPTED, null);
    }

    private static boolean isInterruption(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    private String describe(JobSpec job, String stepId, Throwable e) {
        String where = "job '" + job.id() + "'" + (stepId == null ? "" : " step '" + stepId + "'");
        String msg = e.getMessage();
        if (e instanceof TemplateMissingKeyException || e instanceof TemplateSyntaxException) {
            return where + ": " + firstLine(msg);
        }
        if (e instanceof StepFailedException) {
            return msg != null && msg.startsWith("job '") ? msg : where + ": " + msg;
        }
        return where + ": " + (msg == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + msg);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\n", " ");
    }

    /** Records the failed (or interrupted) step and job through the journal, then applies the cleanup policy. */
    private JobOutcome endFailedJob(Attempt a, Failure failure) {
        String masked = session.masker().apply(failure.error());
        Failure f = new Failure(failure.status(), masked, failure.exitCode(), failure.cause());
        long now = System.currentTimeMillis();
        String stepId = a.step == null ? null : a.step.stepId();
        if (a.step != null) {
            journal.stepFailed(a.step, f.status(), masked, now);
        }
        journal.jobFailed(a.run, stepId, f, maskDeep(a.outputs), now);
        jobsContext.put(a.job.id(), jobCtx(f.status(), a.outputs));
        if ("always".equals(meta.workspace().cleanupPolicy())) {
            cleanup(a.job, session.observer().jobLogger(a.job.id()), false);
        }
        return new JobOutcome(f.status(), masked, f.exitCode());
    }

    /** Secrets never reach the state store: string leaves of persisted outputs are masked. */
    @SuppressWarnings("unchecked")
    private <T> T maskDeep(T value) {
        if (value instanceof String str) {
            return (T) session.masker().apply(str);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), maskDeep(v)));
            return (T) out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object v : l) {
                out.add(maskDeep(v));
            }
            return (T) out;
        }
        return value;
    }

    private boolean allDone(JobSpec job) {
        Map<String, StepRecord> rows = store.getStepRecords(session.flowId(), session.runId(), job.id());
        for (StepSpec s : job.steps()) {
            StepRecord r = rows.get(s.id());
            if (r == null || !(SUCCESS.equals(r.status()) || SKIPPED.equals(r.status()))) {
                return false;
            }
        }
        return true;
    }

    private static String reasonOf(Map<String, Object> out) {
        Object r = out.get("reason");
        return r == null || r.toString().isEmpty() ? "step requested skip_job" : r.toString();
    }

    private Map<String, Object> roots(JobSpec job, Map<String, Object> jobOutputs, Map<String, Object> stepsCtx,
            Map<String, Object> result) {
        Map<String, Object> roots = new HashMap<>();
        roots.put("env", session.env());
        roots.put("steps", stepsCtx);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", job.id());
        j.put("outputs", jobOutputs);
        roots.put("job", j);
        roots.put("run_id", session.runId());
        roots.put("flow_id", session.flowId());
        roots.put("result", result);
        roots.put("jobs", jobsContext);
        return roots;
    }

    @SuppressWarnings("unchecked")
    private void promote(JobSpec job, StepSpec step, Map<String, Object> out, Map<String, Object> jobOutputs,
            Map<String, Object> stepsCtx) {
        if (step.outputs() == null || step.outputs().isEmpty()) {
            return;
        }
        Map<String, Object> rendered = (Map<String, Object>) TemplateResolver.render(step.outputs(), Phase.STEP,
                roots(job, jobOutputs, stepsCtx, out));
        jobOutputs.putAll(rendered);
    }

    /**
     * Builds resolved connector configurations from resolved resources.
     *
     * @param resources resolved resources by name
     * @return connector configs by name
     */
    public static Map<String, ConnectorConfig> connectorConfigs(Map<String, ResolvedResource> resources) {
        Map<String, ConnectorConfig> out = new LinkedHashMap<>();
        resources.forEach((n, r) -> out.put(n, new ConnectorConfig(n, r.kind(), r.driver(), r.config(), r.options())));
        return out;
    }

}
