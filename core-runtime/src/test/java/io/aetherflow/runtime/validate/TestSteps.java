package io.aetherflow.runtime.validate;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small real step types whose input checks exercise the validator's InputChecks. */
final class TestSteps {

    private TestSteps() {
    }

    /** Requires {@code inputs.command} to be a string or list. */
    static final class Process implements Step {
        @Override
        public StepResult run(StepContext ctx) {
            return StepResult.success(Map.of());
        }

        @Override
        public void checkInputs(Map<String, Object> raw, InputChecks checks) {
            if (!raw.containsKey("command")) {
                checks.error("semantic:external_process_missing_command", "inputs.command",
                        "external.process requires inputs.command");
            } else if (!(raw.get("command") instanceof String || raw.get("command") instanceof List<?>)) {
                checks.error("semantic:external_process_command_type", "inputs.command",
                        "external.process inputs.command must be a string or list");
            }
            if (raw.containsKey("shell")) {
                checks.warning("test:shell", "inputs.shell", "shell is discouraged");
            }
        }
    }

    /** Validates {@code inputs.step} as a nested step. */
    static final class WithLock implements Step {
        @Override
        public StepResult run(StepContext ctx) {
            return StepResult.success(Map.of());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void checkInputs(Map<String, Object> raw, InputChecks checks) {
            if (raw.get("step") instanceof Map<?, ?> m) {
                checks.checkNestedStep("inputs.step", (Map<String, Object>) m);
            }
        }
    }

    /** A plugin whose check is broken. */
    static final class Broken implements Step {
        @Override
        public StepResult run(StepContext ctx) {
            return StepResult.success(Map.of());
        }

        @Override
        public void checkInputs(Map<String, Object> raw, InputChecks checks) {
            throw new IllegalStateException("boom");
        }
    }

    /** A step without checks. */
    static final class Plain implements Step {
        @Override
        public StepResult run(StepContext ctx) {
            return StepResult.success(Map.of());
        }
    }

    /** Reports what {@link InputChecks#declaredResources()} says about {@code inputs.resource}. */
    static final class UsesResource implements Step {
        @Override
        public StepResult run(StepContext ctx) {
            return StepResult.success(Map.of());
        }

        @Override
        public void checkInputs(Map<String, Object> raw, InputChecks checks) {
            Object name = raw.get("resource");
            checks.declaredResources().ifPresent(kinds -> checks.error("test:resource", "inputs.resource",
                    name + " -> " + kinds.get(name) + " of " + kinds));
        }
    }

    static StepTypes all() {
        Map<String, Step> m = new LinkedHashMap<>();
        m.put("external.process", new Process());
        m.put("with_lock", new WithLock());
        m.put("broken", new Broken());
        m.put("check_items", new Plain());
        m.put("excel_fill_from_file", new Plain());
        return StepTypes.of(m);
    }

    /** {@link #all()} plus {@code uses_resource}. */
    static StepTypes withResourceStep() {
        Map<String, Step> m = new LinkedHashMap<>();
        m.put("uses_resource", new UsesResource());
        m.put("with_lock", new WithLock());
        return StepTypes.of(m);
    }
}
