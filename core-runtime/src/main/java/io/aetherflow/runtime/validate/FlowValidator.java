package io.aetherflow.runtime.validate;

import io.aetherflow.api.step.Step;
import io.aetherflow.api.support.PyRepr;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.spec.FlowSpec;
import io.aetherflow.runtime.spec.Issue;
import io.aetherflow.runtime.spec.JobSpec;
import io.aetherflow.runtime.spec.ParseResult;
import io.aetherflow.runtime.spec.ResourceSpec;
import io.aetherflow.runtime.spec.SafeIds;
import io.aetherflow.runtime.spec.SpecParser;
import io.aetherflow.runtime.spec.StepSpec;
import io.aetherflow.runtime.when.WhenExpression;
import io.aetherflow.runtime.when.WhenSyntaxException;
import io.aetherflow.runtime.yaml.LoadedYaml;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Validates a flow file (catalog §1.7 steps 4–8): schema, semantic rules (§1.8), each step type's
 * own input checks, the template scan (§1.9) and the profiles scan. Stateless apart from its
 * configuration; thread-safe.
 */
public final class FlowValidator {

    /** Variable that turns missing-env warnings into errors. */
    public static final String ENV_STRICT_VAR = "AETHERFLOW_VALIDATE_ENV_STRICT";

    /** Keys the runner injects, treated as present by the template scan. */
    public static final Set<String> RUNNER_KEYS = TemplateScan.RUNNER_KEYS;

    private final StepTypes stepTypes;
    private final List<String> archiveAllowlist;

    /**
     * @param stepTypes the known step types
     * @param archiveDriverAllowlist archive drivers allowed in enterprise mode (the bundle manifest's
     *     {@code zip_drivers}; empty without a bundle)
     */
    public FlowValidator(StepTypes stepTypes, Set<String> archiveDriverAllowlist) {
        this.stepTypes = stepTypes;
        this.archiveAllowlist = List.copyOf(new TreeSet<>(archiveDriverAllowlist));
    }

    /**
     * Loads and validates a flow file.
     *
     * @param flowYaml the flow file
     * @param env the environment snapshot
     * @return the report
     * @throws io.aetherflow.runtime.yaml.YamlLoadException when the file cannot be read or parsed
     */
    public ValidationReport validate(Path flowYaml, Map<String, String> env) {
        return validate(YamlLoader.load(flowYaml), env);
    }

    /**
     * Validates a loaded flow file.
     *
     * @param yaml the loaded flow
     * @param env the environment snapshot
     * @return the report
     */
    public ValidationReport validate(LoadedYaml yaml, Map<String, String> env) {
        ParseResult parsed = SpecParser.forEnv(env).parse(yaml);
        if (!parsed.ok()) {
            return new ValidationReport(false, parsed.errors(), List.of(), yaml.source(), null, true);
        }
        FlowSpec spec = parsed.spec();
        List<Issue> errors = new ArrayList<>();
        List<Issue> warnings = new ArrayList<>(parsed.warnings());
        semantic(yaml, spec, env, errors, warnings);
        TemplateScan.Findings f = TemplateScan.run(yaml, spec, env);
        errors.addAll(f.syntax());
        (envStrict(env) ? errors : warnings).addAll(f.missingEnv());
        warnings.addAll(f.notes());
        return new ValidationReport(errors.isEmpty(), errors, warnings, yaml.source(), spec, false);
    }

    /** @return the ids that occur more than once, sorted */
    private static Set<String> duplicates(List<String> ids) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String id : ids) {
            counts.merge(id, 1, Integer::sum);
        }
        counts.values().removeIf(n -> n < 2);
        return counts.keySet();
    }

    static boolean envStrict(Map<String, String> env) {
        String v = env.get(ENV_STRICT_VAR);
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    /**
     * Ids that become path segments must be safe ({@link SafeIds}): {@code semantic:unsafe_id} at the
     * id's location. A templated flow id is checked after rendering, by the runner.
     */
    private static void unsafeIds(LoadedYaml y, FlowSpec spec, List<Issue> errors) {
        String flowId = spec.flow().id();
        if (flowId != null && !flowId.contains("{{")) {
            unsafe(y, "flow.id", "flow id", flowId, errors);
        }
        List<JobSpec> jobs = spec.jobs();
        for (int j = 0; j < jobs.size(); j++) {
            JobSpec job = jobs.get(j);
            if (SafeIds.problem(job.id()) != null) {
                unsafe(y, "jobs[" + j + "].id", "job id", job.id(), errors);
            }
            List<StepSpec> steps = job.steps();
            for (int s = 0; s < steps.size(); s++) {
                // the location is built only for an id that has a problem
                if (SafeIds.problem(steps.get(s).id()) != null) {
                    unsafe(y, "jobs[" + j + "].steps[" + s + "].id", "step id", steps.get(s).id(), errors);
                }
            }
        }
    }

    static void unsafe(LoadedYaml y, String loc, String what, String id, List<Issue> errors) {
        String problem = SafeIds.problem(id);
        if (problem != null) {
            errors.add(y.issue("semantic:unsafe_id", loc, "Unsafe " + what + " " + Quote.q(id) + ": it " + problem
                    + "; " + SafeIds.RULE + " (it becomes a directory or file name in the workspace)"));
        }
    }

    private void semantic(LoadedYaml y, FlowSpec spec, Map<String, String> env, List<Issue> errors,
            List<Issue> warnings) {
        String mode = env.getOrDefault("AETHERFLOW_MODE", "").trim().toLowerCase(Locale.ROOT);
        if ("enterprise".equals(mode)) {
            for (Map.Entry<String, ResourceSpec> e : spec.resources().entrySet()) {
                ResourceSpec r = e.getValue();
                if ("archive".equals(r.kind()) && !archiveAllowlist.contains(r.driver())) {
                    errors.add(y.issue("semantic:enterprise_archive_driver", "resources." + e.getKey() + ".driver",
                            "Enterprise mode requires archive driver in " + PyRepr.repr(archiveAllowlist) + "; got "
                                    + PyRepr.repr(r.driver())));
                }
            }
        }
        unsafeIds(y, spec, errors);
        Map<String, String> resourceKinds = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, ResourceSpec> e : spec.resources().entrySet()) {
            resourceKinds.put(e.getKey(), e.getValue().kind());
        }
        List<JobSpec> jobs = spec.jobs();
        Map<String, Integer> firstIndex = new HashMap<>();
        boolean duplicateJobs = false;
        for (int j = 0; j < jobs.size(); j++) {
            duplicateJobs |= firstIndex.putIfAbsent(jobs.get(j).id(), j) != null;
        }
        if (duplicateJobs) {
            for (String id : duplicates(jobs.stream().map(JobSpec::id).toList())) {
                errors.add(y.issue("semantic:duplicate_job_id", "jobs", "Duplicate job id: " + SafeIds.shown(id)));
            }
        }
        // one lookup per type for this validation (each lookup of a plugin type goes through the catalog)
        Map<String, Step> byType = new HashMap<>();
        for (int j = 0; j < jobs.size(); j++) {
            JobSpec job = jobs.get(j);
            List<StepSpec> steps = job.steps();
            Set<String> stepIds = new HashSet<>();
            boolean duplicateSteps = false;
            for (StepSpec st : steps) {
                duplicateSteps |= !stepIds.add(st.id());
            }
            if (duplicateSteps) {
                for (String id : duplicates(steps.stream().map(StepSpec::id).toList())) {
                    errors.add(y.issue("semantic:duplicate_step_id", "jobs[" + j + "].steps",
                            "Duplicate step id in job '" + SafeIds.shown(job.id()) + "': " + SafeIds.shown(id)));
                }
            }
            for (String dep : job.dependsOn()) {
                String jl = "jobs[" + j + "]";
                Integer idx = firstIndex.get(dep);
                if (idx == null) {
                    errors.add(y.issue("semantic:depends_on_unknown_job", jl + ".depends_on",
                            "Job '" + SafeIds.shown(job.id()) + "' depends_on unknown job: "
                            + SafeIds.shown(dep)));
                } else if (idx > j) {
                    errors.add(y.issue("semantic:depends_on_order", jl + ".depends_on",
                            "Job '" + job.id() + "' depends_on '" + dep + "' which appears after it; reorder jobs"));
                } else if (idx == j) {
                    warnings.add(y.issue("semantic:depends_on_self", jl + ".depends_on",
                            "Job '" + job.id() + "' depends_on itself, so it is always BLOCKED; remove '" + dep
                                    + "' from its depends_on"));
                }
            }
            for (int s = 0; s < steps.size(); s++) {
                StepSpec st = steps.get(s);
                Step step = byType.get(st.type());
                if (step == null && !byType.containsKey(st.type())) {
                    step = stepTypes.find(st.type());
                    byType.put(st.type(), step);
                }
                if (step == null) {
                    errors.add(y.issue("semantic:unknown_step_type", "jobs[" + j + "].steps[" + s + "].type",
                            StepChecks.unknownType(st.type(), stepTypes)));
                    continue;
                }
                StepChecks.run(step, st.type(), st.inputs(),
                        new StepChecks(y, stepTypes, j, s, errors, warnings, resourceKinds));
            }
        }
        for (int j = 0; j < jobs.size(); j++) {
            String when = jobs.get(j).when();
            if (when != null && !when.isBlank()) {
                try {
                    WhenExpression.parse(when);
                } catch (WhenSyntaxException e) {
                    errors.add(y.issue("semantic:invalid_when", "jobs[" + j + "].when", e.getMessage()));
                }
            }
        }
    }
}
