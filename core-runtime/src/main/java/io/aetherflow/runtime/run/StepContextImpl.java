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

    /**
     * The step an invocation runs as, and the step whose state row it belongs to (the outer step for an
     * inner step).
     */
    private record Call(String jobId, String stepId, String stepType, String rowStepId) {

        /** @return how messages name the step: {@code job 'j' step 's'} */
        String where() {
            return "job '" + jobId + "' step '" + stepId + "'";
        }

        /** @return an inner step of this one (same job, same state row) */
        Call inner(String innerId, String innerType) {
            return new Call(jobId, innerId, innerType, rowStepId);
        }
    }

    private final RunSession session;
    private final Call call;
    private final StepInputs inputs;
    private final ProcessRegistry processes;

    StepContextImpl(RunSession session, String jobId, String stepId, String stepType, Map<String, Object> inputs,
            ProcessRegistry processes) {
        this(session, new Call(jobId, stepId, stepType, stepId), inputs, processes);
    }

    private StepContextImpl(RunSession session, Call call, Map<String, Object> inputs, ProcessRegistry processes) {
        this.session = session;
        this.call = call;
        this.inputs = new StrictInputs(call.where() + " (" + call.stepType() + ")", inputs);
        this.processes = processes;
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
        return call.jobId();
    }

    @Override
    public String stepId() {
        return call.stepId();
    }

    @Override
    public String stepType() {
        return call.stepType();
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
        return session.workspace().ensureJobDir(call.jobId());
    }

    @Override
    public Path artifactsDir() {
        return session.workspace().ensureSub(call.jobId(), "artifacts");
    }

    @Override
    public Path scratchDir() {
        return session.workspace().ensureSub(call.jobId(), "scratch");
    }

    @Override
    public Path manifestsDir() {
        return session.workspace().ensureSub(call.jobId(), "manifests");
    }

    @Override
    public Path resolvePath(String path) {
        try {
            return PathSandbox.resolve(path, artifactsDir(), session.workRoot(), session.strictSandbox(),
                    session.enterprise());
        } catch (SandboxViolationException e) {
            throw new StepFailedException(call.where() + ": " + e.getMessage(), e);
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
        return session.connectors().adhoc(call.stepId(), kind, contract, options, session.enterprise(), preferredDrivers);
    }

    @Override
    public Optional<LockLease> tryLock(String key, Duration ttl) {
        return session.locks().tryLock(key, ttl);
    }

    @Override
    public StepResult runStep(String type, String innerId, Map<String, Object> innerInputs) throws Exception {
        StepBinding b = session.catalog().step(type).orElseThrow(() -> new StepFailedException(
                "Unknown step type: " + type + ". Loaded: " + session.catalog().steps().keySet()
                        + " (inner step of " + call.where() + ")"));
        String unsafe = SafeIds.problem(innerId);
        if (unsafe != null) {
            throw new StepFailedException(call.where() + ": inner step id " + Quote.q(innerId)
                    + " is not a safe id: it " + unsafe + "; " + SafeIds.RULE);
        }
        StepContextImpl inner = new StepContextImpl(session, call.inner(innerId, type), innerInputs, processes);
        StepResult r = b.step().get().run(inner);
        if (r == null) {
            throw new StepFailedException("step type " + type + " (" + b.servedBy() + ") returned no result");
        }
        return r;
    }

    @Override
    public void registerProcess(ProcessHandle process, long processGroup) {
        processes.register(call.jobId(), call.rowStepId(), process, processGroup);
    }

    @Override
    public void event(String level, String event, Map<String, Object> fields) {
        Map<String, Object> f = new LinkedHashMap<>(fields == null ? Map.of() : fields);
        f.putIfAbsent("job_id", call.jobId());
        f.putIfAbsent("step_id", call.stepId());
        f.putIfAbsent("step_type", call.stepType());
        session.log().event(LogLevel.parse(level), session.observer().jobLogger(call.jobId()), event, f,
                session.observer().ids(call.jobId(), call.stepId()));
    }

    @Override
    public void log(String level, String message) {
        session.log().log(LogLevel.parse(level), session.observer().jobLogger(call.jobId()), message,
                session.observer().ids(call.jobId(), call.stepId()));
    }

    @Override
    public String mask(String text) {
        return text == null ? null : session.masker().apply(text);
    }
}
