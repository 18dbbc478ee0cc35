package io.aetherflow.runtime.validate;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.support.PyRepr;
import io.aetherflow.runtime.spec.Issue;
import io.aetherflow.runtime.yaml.LoadedYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link InputChecks} for one step: prefixes locations, resolves nested steps.
 *
 * @param yaml the file (issue positions)
 * @param types the registered step types (nested steps)
 * @param prefix prepended to every location the step reports, e.g. {@code jobs[0].steps[1].}
 * @param depth how deeply this step is nested in others
 * @param errors where errors go
 * @param warnings where warnings go
 * @param resourceKinds the flow's declared resources: name to kind
 */
record StepChecks(LoadedYaml yaml, StepTypes types, String prefix, int depth, List<Issue> errors, List<Issue> warnings,
        Map<String, String> resourceKinds)
        implements InputChecks {

    private static final int MAX_NESTING = 16;

    @Override
    public void error(String code, String loc, String message) {
        errors.add(yaml.issue(code, prefix + loc, message));
    }

    @Override
    public void warning(String code, String loc, String message) {
        warnings.add(yaml.issue(code, prefix + loc, message));
    }

    @Override
    public Optional<Map<String, String>> declaredResources() {
        return Optional.of(resourceKinds);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void checkNestedStep(String loc, Map<String, Object> stepSpec) {
        String base = prefix + loc;
        if (stepSpec == null) {
            errors.add(yaml.issue("schema:model_type", base, "Input should be a valid dictionary or instance of StepSpec"));
            return;
        }
        if (depth >= MAX_NESTING) {
            errors.add(yaml.issue("semantic:nested_step_depth", base,
                    "Nested steps deeper than " + MAX_NESTING + " levels; flatten the step"));
            return;
        }
        if (!stepSpec.containsKey("type")) {
            errors.add(yaml.issue("schema:missing", base + ".type", "Field required"));
            return;
        }
        if (!(stepSpec.get("type") instanceof String type)) {
            errors.add(yaml.issue("schema:string_type", base + ".type", "Input should be a valid string"));
            return;
        }
        if (stepSpec.get("id") instanceof String id && !id.contains("{{")) {
            FlowValidator.unsafe(yaml, base + ".id", "step id", id, errors);
        }
        Step step = types.find(type);
        if (step == null) {
            errors.add(yaml.issue("semantic:unknown_step_type", base + ".type", unknownType(type, types)));
            return;
        }
        Object inputs = stepSpec.getOrDefault("inputs", Map.of());
        if (!(inputs instanceof Map<?, ?>)) {
            errors.add(yaml.issue("schema:dict_type", base + ".inputs", "Input should be a valid dictionary"));
            return;
        }
        run(step, type, (Map<String, Object>) inputs,
                new StepChecks(yaml, types, base + ".", depth + 1, errors, warnings, resourceKinds), yaml, base, errors);
    }

    /** The reference message for an unknown type. */
    static String unknownType(String type, StepTypes types) {
        return "Unknown step type: " + type + ". Loaded: " + PyRepr.repr(new ArrayList<>(
                new java.util.TreeSet<>(types.names())));
    }

    /** Runs a step's own checks; a failing check is reported, never propagated. */
    static void run(Step step, String type, Map<String, Object> inputs, StepChecks checks, LoadedYaml yaml,
            String loc, List<Issue> errors) {
        try {
            step.checkInputs(inputs, checks);
        } catch (RuntimeException e) {
            errors.add(yaml.issue("semantic:step_check_failed", loc, "Step type '" + type
                    + "' failed while checking its inputs: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
    }
}
