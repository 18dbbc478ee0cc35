package io.aetherflow.steps.control;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.LockBusyException;
import io.aetherflow.api.step.LockLease;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;

/**
 * {@code with_lock}: runs one inner step while holding a state-store lock. The lease is renewed by
 * the engine while the inner step runs, so a long step never loses its lock; the same run may
 * re-enter a lock it holds. When another live run holds the lock, {@code on_busy} decides:
 * {@code fail} (default, as the reference: the job fails with {@code Lock not acquired: <key>}) or
 * {@code exit} (the run stops with exit code 75 so cron can retry later).
 */
@Component(property = Step.TYPE_PROPERTY + "=with_lock")
public final class WithLockStep implements Step {

    static final long DEFAULT_TTL_SECONDS = 600;

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputs();
        String key = in.string("lock_key");
        if (key.isBlank()) {
            throw new StepInputException("with_lock: lock_key must not be empty");
        }
        long ttl = in.integer("ttl_seconds", DEFAULT_TTL_SECONDS);
        if (ttl <= 0) {
            throw new StepInputException("with_lock: ttl_seconds must be positive, got " + ttl);
        }
        String onBusy = in.optString("on_busy", "fail");
        if (!onBusy.equals("fail") && !onBusy.equals("exit")) {
            throw new StepInputException("with_lock: on_busy must be 'fail' or 'exit', got '" + onBusy + "'");
        }
        StepInputs inner = in.section("step");
        String type = inner.string("type");
        String innerId = inner.optString("id", ctx.stepId() + "_inner");
        Map<String, Object> innerInputs = new LinkedHashMap<>(inner.section("inputs").asMap());

        Optional<LockLease> lease = ctx.tryLock(key, Duration.ofSeconds(ttl));
        if (lease.isEmpty()) {
            String msg = "Lock not acquired: " + key;
            if (onBusy.equals("exit")) {
                throw new LockBusyException(msg + " (held by another run; exiting with 75 so the run can be retried)");
            }
            throw new StepFailedException(msg);
        }
        try (LockLease held = lease.get()) {
            return ctx.runStep(type, innerId, innerInputs);
        }
    }

    @Override
    public void checkInputs(Map<String, Object> rawInputs, InputChecks checks) {
        if (!rawInputs.containsKey("lock_key")) {
            checks.error("semantic:with_lock_missing_lock_key", "inputs.lock_key", "with_lock requires inputs.lock_key");
        }
        Object onBusy = rawInputs.get("on_busy");
        if (onBusy instanceof String s && !s.contains("{{") && !s.equals("fail") && !s.equals("exit")) {
            checks.error("semantic:with_lock_on_busy", "inputs.on_busy",
                    "with_lock on_busy must be 'fail' or 'exit', got '" + s + "'");
        }
        Object step = rawInputs.get("step");
        if (step == null) {
            checks.error("semantic:with_lock_missing_step", "inputs.step",
                    "with_lock requires inputs.step with the inner step's type (and optional id, inputs)");
        } else if (step instanceof Map<?, ?> m) {
            Map<String, Object> spec = new LinkedHashMap<>();
            m.forEach((k, v) -> spec.put(String.valueOf(k), v));
            checks.checkNestedStep("inputs.step", spec);
        } else if (!(step instanceof String s && s.contains("{{"))) {
            checks.error("semantic:with_lock_step_type", "inputs.step",
                    "with_lock inputs.step must be a mapping with type, id and inputs");
        }
    }
}
