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
 * {@link InputChecks} for one step: prefixes locations, resolves nested steps. The prefix of a
 * top-level step ({@code jobs[j].steps[s].}) is built only when the step reports something: a valid
 * flow of a thousand steps would otherwise build a thousand strings nobody reads.
 */
final class StepChecks implements InputChecks {

    private static final int MAX_NESTING = 16;

    /**
     * What the checks of every step of one flow share.
     *
     * @param yaml the file (issue positions)
     * @param types the registered step types (nested steps)
     * @param errors where errors go
     * @param warnings where warnings go
     * @param resourceKinds the flow's declared resources: name to kind
     */
    private record Flow(LoadedYaml yaml, StepTypes types, List<Issue> errors, List<Issue> warnings,
            Map<String, String> resourceKinds) {
    }

    private final Flow flow;
    private final int job;
    private final int index;
    private String prefix;
    private final int depth;

    /**
     * The checks of a top-level step.
     *
     * @param yaml the file (issue positions)
     * @param types the registered step types (nested steps)
     * @param job the job's index
     * @param index the step's index in the job
     * @param errors where errors go
     * @param warnings where warnings go
     * @param resourceKinds the flow's declared resources: name to kind
     */
    StepChecks(LoadedYaml yaml, StepTypes types, int job, int index, List<Issue> errors, List<Issue> warnings,
            Map<String, String> resourceKinds) {
        this.flow = new Flow(yaml, types, errors, warnings, resourceKinds);
        this.job = job;
        this.index = index;
        this.depth = 0;
    }

    /** The checks of a step nested in {@code parent}'s, reporting under {@code prefix}. */
    private StepChecks(StepChecks parent, String prefix) {
        this.flow = parent.flow;
        this.job = parent.job;
        this.index = parent.index;
        this.prefix = prefix;
        this.depth = parent.depth + 1;
    }

    /** @return the step's location, e.g. {@code jobs[0].steps[1]} (the prefix without its dot) */
    String loc() {
        String p = prefix();
        return p.substring(0, p.length() - 1);
    }

    /** @return prepended to every location the step reports, e.g. {@code jobs[0].steps[1].} */
    private String prefix() {
        if (prefix == null) {
            prefix = "jobs[" + job + "].steps[" + index + "].";
        }
        return prefix;
    }

    @Override
    public void error(String code, String loc, String message) {
        flow.errors().add(flow.yaml().issue(code, prefix() + loc, message));
    }

    @Override
    public void warning(String code, String loc, String message) {
        flow.warnings().add(flow.yaml().issue(code, prefix() + loc, message));
    }

    @Override
    public Optional<Map<String, String>> declaredResources() {
        return Optional.of(flow.resourceKinds());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void checkNestedStep(String loc, Map<String, Object> stepSpec) {
        String base = prefix() + loc;
        if (stepSpec == null) {
            flow.errors().add(flow.yaml().issue("schema:model_type", base, "Input should be a valid dictionary or instance of StepSpec"));
            return;
        }
        if (depth >= MAX_NESTING) {
            flow.errors().add(flow.yaml().issue("semantic:nested_step_depth", base,
                    "Nested steps deeper than " + MAX_NESTING + " levels; flatten the step"));
            return;
        }
        if (!stepSpec.containsKey("type")) {
            flow.errors().add(flow.yaml().issue("schema:missing", base + ".type", "Field required"));
            return;
        }
        if (!(stepSpec.get("type") instanceof String type)) {
            flow.errors().add(flow.yaml().issue("schema:string_type", base + ".type", "Input should be a valid string"));
            return;
        }
        if (stepSpec.get("id") instanceof String id && !id.contains("{{")) {
            FlowValidator.unsafe(flow.yaml(), base + ".id", "step id", id, flow.errors());
        }
        Step step = flow.types().find(type);
        if (step == null) {
            flow.errors().add(flow.yaml().issue("semantic:unknown_step_type", base + ".type", unknownType(type, flow.types())));
            return;
        }
        Object inputs = stepSpec.getOrDefault("inputs", Map.of());
        if (!(inputs instanceof Map<?, ?>)) {
            flow.errors().add(flow.yaml().issue("schema:dict_type", base + ".inputs", "Input should be a valid dictionary"));
            return;
        }
        run(step, type, (Map<String, Object>) inputs, new StepChecks(this, base + "."));
    }

    /** The reference message for an unknown type. */
    static String unknownType(String type, StepTypes types) {
        return "Unknown step type: " + type + ". Loaded: " + PyRepr.repr(new ArrayList<>(
                new java.util.TreeSet<>(types.names())));
    }

    /** Runs a step's own checks; a failing check is reported, never propagated. */
    static void run(Step step, String type, Map<String, Object> inputs, StepChecks checks) {
        try {
            step.checkInputs(inputs, checks);
        } catch (RuntimeException e) {
            checks.flow.errors().add(checks.flow.yaml().issue("semantic:step_check_failed", checks.loc(), "Step type '" + type
                    + "' failed while checking its inputs: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
    }
}
