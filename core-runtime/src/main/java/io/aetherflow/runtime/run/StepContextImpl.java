package io.aetherflow.runtime.run;

import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.spec.SafeIds;
import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.step.LockLease;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.api.support.StrictInputs;
import io.aetherflow.runtime.env.PathSandbox;
import io.aetherflow.runtime.env.SandboxViolationException;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.plugins.StepBinding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The engine's {@link StepContext}: one per step invocation (and per inner step). */
final class StepContextImpl implements StepContext {

    private final RunSession session;
    private final String jobId;
    private final String stepId;
    private final String stepType;
    private final StepInputs inputs;
    private final ProcessRegistry processes;
    /** The step whose state row this invocation belongs to (the outer step for an inner step). */
    private final String rowStepId;

    StepContextImpl(RunSession session, String jobId, String stepId, String stepType, Map<String, Object> inputs,
            ProcessRegistry processes) {
        this(session, jobId, stepId, stepType, inputs, processes, stepId);
    }

    private StepContextImpl(RunSession session, String jobId, String stepId, String stepType, Map<String, Object> inputs,
            ProcessRegistry processes, String rowStepId) {
        this.processes = processes;
        this.rowStepId = rowStepId;
        this.session = session;
        this.jobId = jobId;
        this.stepId = stepId;
        this.stepType = stepType;
        this.inputs = new StrictInputs("job '" + jobId + "' step '" + stepId + "' (" + stepType + ")", inputs);
    }

    @Override
    public String flowId() {
        return session.flowId();
    }

    @Override
    public String runId() {
        return session.runId();
    }

    @Override
    public String jobId() {
        return jobId;
    }

    @Override
    public String stepId() {
        return stepId;
    }

    @Override
    public String stepType() {
        return stepType;
    }

    @Override
    public StepInputs inputs() {
        return inputs;
    }

    @Override
    public Map<String, String> env() {
        return session.env();
    }

    @Override
    public boolean enterpriseMode() {
        return session.enterprise();
    }

    @Override
    public Path jobDir() {
        return session.workspace().ensureJobDir(jobId);
    }

    @Override
    public Path artifactsDir() {
        return session.workspace().ensureSub(jobId, "artifacts");
    }

    @Override
    public Path scratchDir() {
        return session.workspace().ensureSub(jobId, "scratch");
    }

    @Override
    public Path manifestsDir() {
        return session.workspace().ensureSub(jobId, "manifests");
    }

    @Override
    public Path resolvePath(String path) {
        try {
            return PathSandbox.resolve(path, artifactsDir(), session.workRoot(), session.strictSandbox(),
                    session.enterprise());
        } catch (SandboxViolationException e) {
            throw new StepFailedException("job '" + jobId + "' step '" + stepId + "': " + e.getMessage(), e);
        }
    }

    @Override
    public <T extends Connector> T connector(String resourceName, Class<T> type) {
        return session.connectors().get(resourceName, type);
    }

    @Override
    public boolean hasResource(String resourceName) {
        return session.connectors().has(resourceName);
    }

    @Override
    public <T extends Connector> T adhocConnector(String kind, Class<T> contract, Map<String, Object> options,
            String... preferredDrivers) {
        return session.connectors().adhoc(stepId, kind, contract, options, session.enterprise(), preferredDrivers);
    }

    @Override
    public Optional<LockLease> tryLock(String key, Duration ttl) {
        return session.locks().tryLock(key, ttl);
    }

    @Override
    public StepResult runStep(String type, String innerId, Map<String, Object> innerInputs) throws Exception {
        StepBinding b = session.catalog().step(type).orElseThrow(() -> new StepFailedException(
                "Unknown step type: " + type + ". Loaded: " + session.catalog().steps().keySet()
                        + " (inner step of job '" + jobId + "' step '" + stepId + "')"));
        String unsafe = SafeIds.problem(innerId);
        if (unsafe != null) {
            throw new StepFailedException("job '" + jobId + "' step '" + stepId + "': inner step id " + Quote.q(innerId)
                    + " is not a safe id: it " + unsafe + "; " + SafeIds.RULE);
        }
        StepContextImpl inner = new StepContextImpl(session, jobId, innerId, type, innerInputs, processes, rowStepId);
        StepResult r = b.step().get().run(inner);
        if (r == null) {
            throw new StepFailedException("step type " + type + " (" + b.servedBy() + ") returned no result");
        }
        return r;
    }

    @Override
    public void registerProcess(ProcessHandle process, long processGroup) {
        processes.register(jobId, rowStepId, process, processGroup);
    }

    @Override
    public void event(String level, String event, Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>(fields == null ? Map.of() : fields);
        f.putIfAbsent("job_id", jobId);
        f.putIfAbsent("step_id", stepId);
        f.putIfAbsent("step_type", stepType);
        session.log().event(LogLevel.parse(level), session.observer().jobLogger(jobId), event, f,
                session.observer().ids(jobId, stepId));
    }

    @Override
    public void log(String level, String message) {
        session.log().log(LogLevel.parse(level), session.observer().jobLogger(jobId), message,
                session.observer().ids(jobId, stepId));
    }

    @Override
    public String mask(String text) {
        return text == null ? null : session.masker().apply(text);
    }
}
