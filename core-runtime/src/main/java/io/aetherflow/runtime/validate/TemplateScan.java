package io.aetherflow.runtime.validate;

import io.aetherflow.runtime.spec.FlowSpec;
import io.aetherflow.runtime.spec.Issue;
import io.aetherflow.runtime.spec.JobSpec;
import io.aetherflow.runtime.spec.ResourceSpec;
import io.aetherflow.runtime.spec.StepSpec;
import io.aetherflow.runtime.template.DecodeRequest;
import io.aetherflow.runtime.template.DecodeRequests;
import io.aetherflow.runtime.template.Phase;
import io.aetherflow.runtime.template.TemplateMissingKeyException;
import io.aetherflow.runtime.template.TemplateRef;
import io.aetherflow.runtime.template.TemplateResolver;
import io.aetherflow.runtime.template.TemplateSyntaxException;
import io.aetherflow.runtime.yaml.LoadedYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The template scan shared by validate and doctor (catalog §1.9): runs the real resolver once per
 * subtree, reporting at most the first problem of each, plus unknown roots of step templates and the
 * profiles scan. Missing values are reported only for {@code env.*}.
 */
final class TemplateScan {

    /** Keys the runner injects into the snapshot; templates may use them without a default. */
    static final Set<String> RUNNER_KEYS = Set.of("AETHERFLOW_ACTIVE_DIR", "AETHERFLOW_LOCAL_ROOT_DIR",
            "AETHERFLOW_CACHE_DIR", "AETHERFLOW_MODE");

    private static final Set<String> STEP_LENIENT = Set.of("steps", "job", "result", "jobs", "run_id", "flow_id");

    /**
     * What the scan found.
     *
     * @param missingEnv {@code semantic:missing_env} issues
     * @param syntax {@code template:syntax} and {@code template:unknown_root} issues
     * @param notes other warnings (profiles that could not be read)
     */
    record Findings(List<Issue> missingEnv, List<Issue> syntax, List<Issue> notes) {
    }

    private final LoadedYaml yaml;
    private final Map<String, Object> envRoots;
    private final Map<String, Object> stepRoots;
    private final Map<String, String> env;
    private final List<Issue> missing = new ArrayList<>();
    private final List<Issue> syntax = new ArrayList<>();
    private final List<Issue> notes = new ArrayList<>();

    private TemplateScan(LoadedYaml yaml, Map<String, String> env) {
        this.yaml = yaml;
        this.env = env;
        Map<String, Object> scanEnv = new LinkedHashMap<>(env);
        for (String k : RUNNER_KEYS) {
            if (scanEnv.get(k) == null || scanEnv.get(k).toString().isEmpty()) {
                scanEnv.put(k, "<set by the runner: " + k + ">");
            }
        }
        this.envRoots = Map.of("env", scanEnv);
        Map<String, Object> roots = new LinkedHashMap<>();
        roots.put("env", scanEnv);
        roots.put("steps", Map.of());
        roots.put("job", Map.of());
        roots.put("run_id", "RUN_ID");
        roots.put("flow_id", "FLOW_ID");
        roots.put("result", Map.of());
        this.stepRoots = roots;
    }

    /** Scans resources, the flow block, step inputs/outputs and the profiles. */
    static Findings run(LoadedYaml yaml, FlowSpec spec, Map<String, String> env) {
        TemplateScan s = new TemplateScan(yaml, env);
        for (Map.Entry<String, ResourceSpec> e : spec.resources().entrySet()) {
            s.resource(e.getKey(), e.getValue());
        }
        s.render(spec.rawFlow(), Phase.FLOW_META, "flow");
        for (int j = 0; j < spec.jobs().size(); j++) {
            JobSpec job = spec.jobs().get(j);
            for (int k = 0; k < job.steps().size(); k++) {
                StepSpec st = job.steps().get(k);
                s.step(st.inputs(), j, k, ".inputs");
                s.step(st.outputs(), j, k, ".outputs");
            }
        }
        s.profiles();
        return new Findings(List.copyOf(s.missing), List.copyOf(s.syntax), List.copyOf(s.notes));
    }

    private void resource(String name, ResourceSpec r) {
        String base = "resources." + name;
        render(r.config(), Phase.RESOURCE, base + ".config");
        render(r.options(), Phase.RESOURCE, base + ".options");
        List<DecodeRequest> requests;
        try {
            requests = DecodeRequests.collect(r.decode());
        } catch (TemplateSyntaxException e) {
            syntax.add(yaml.issue("template:syntax", base + ".decode", e.oneLine()));
            requests = List.of();
        }
        for (DecodeRequest req : requests) {
            Map<String, Object> section = "config".equals(req.section()) ? r.config() : r.options();
            if (DecodeRequests.valueAt(section, req) instanceof String raw && TemplateResolver.hasTemplate(raw)
                    && !TemplateResolver.isStandaloneToken(raw)) {
                syntax.add(yaml.issue("template:syntax", base + "." + req.dotted(), DecodeRequests.STANDALONE_MESSAGE));
            }
        }
        decodeStrings(r.decode(), base + ".decode", yaml);
    }

    /** Every string inside a decode mapping: a template must be one standalone token. */
    private void decodeStrings(Object v, String loc, LoadedYaml where) {
        forEachString(v, loc, (s, at) -> {
            if (s.contains("{{") && !TemplateResolver.isStandaloneToken(s)) {
                syntax.add(issue(where, "template:syntax", at, TemplateSyntaxException.PREFIX));
            } else if (s.contains("{{")) {
                render(s, Phase.RESOURCE, at, where);
            }
        });
    }

    /** Calls {@code action} with each string in a tree of maps and lists and its location ({@code a.b[0]}). */
    private static void forEachString(Object v, String loc, BiConsumer<String, String> action) {
        if (v instanceof String s) {
            action.accept(s, loc);
        } else if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> forEachString(x, loc + "." + k, action));
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                forEachString(l.get(i), loc + "[" + i + "]", action);
            }
        }
    }

    private void render(Object value, Phase phase, String loc) {
        render(value, phase, loc, yaml);
    }

    private void render(Object value, Phase phase, String loc, LoadedYaml where) {
        try {
            TemplateResolver.render(value, phase, envRoots);
        } catch (TemplateSyntaxException e) {
            syntax.add(issue(where, "template:syntax", loc, e.oneLine()));
        } catch (TemplateMissingKeyException e) {
            missing.add(issue(where, "semantic:missing_env", loc, "Missing env " + e.path()));
        }
    }

    /** A step's {@code inputs} or {@code outputs}; locations are built only for what is reported. */
    private void step(Map<String, Object> section, int job, int index, String part) {
        if (section.isEmpty()) {
            return;
        }
        for (TemplateRef ref : TemplateResolver.scan(section, null)) {
            if (!Phase.STEP.allowedRoots().contains(ref.root())) {
                unknownRoots(section, "jobs[" + job + "].steps[" + index + "]" + part);
                break;
            }
        }
        try {
            TemplateResolver.render(section, Phase.STEP, stepRoots, STEP_LENIENT);
        } catch (TemplateSyntaxException e) {
            syntax.add(yaml.issue("template:syntax", "jobs[" + job + "].steps[" + index + "]" + part, e.oneLine()));
        } catch (TemplateMissingKeyException e) {
            if (e.path().startsWith("env.")) {
                missing.add(yaml.issue("semantic:missing_env", "jobs[" + job + "].steps[" + index + "]" + part,
                        "Missing env " + e.path()));
            }
        }
    }

    private void unknownRoots(Map<String, Object> section, String loc) {
        for (TemplateRef ref : TemplateResolver.scan(section, loc)) {
            if (!Phase.STEP.allowedRoots().contains(ref.root())) {
                syntax.add(yaml.issue("template:unknown_root", ref.loc(), "Unknown template root: " + ref.root()));
            }
        }
    }

    private void profiles() {
        ValidationProfiles p;
        try {
            p = ValidationProfiles.load(env);
        } catch (RuntimeException e) {
            notes.add(new Issue("profiles:not_scanned", "profiles", "Profiles were not scanned: " + e.getMessage()));
            return;
        }
        if (!(p.tree() instanceof Map<?, ?> all)) {
            if (p.tree() != null) {
                notes.add(new Issue("profiles:not_scanned", "profiles",
                        "Profiles were not scanned: the top level must be a mapping of profile names"));
            }
            return;
        }
        for (Map.Entry<?, ?> e : all.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> body)) {
                continue;
            }
            for (String section : List.of("config", "options", "decode")) {
                Object tree = body.get(section);
                String loc = "profiles." + e.getKey() + "." + section;
                if ("decode".equals(section)) {
                    decodeStrings(tree, loc, p.yaml());
                } else {
                    forEachString(tree, loc, (s, at) -> render(s, Phase.RESOURCE, at, p.yaml()));
                }
            }
        }
    }

    /** An issue positioned in the flow file, or in the profiles file for {@code profiles.*} locations. */
    private Issue issue(LoadedYaml where, String code, String loc, String msg) {
        if (where == null) {
            return new Issue(code, loc, msg);
        }
        if (where != yaml && loc.startsWith("profiles.")) {
            Issue i = where.issue(code, loc.substring("profiles.".length()), msg);
            return new Issue(code, loc, msg, i.file(), i.line(), i.column());
        }
        return where.issue(code, loc, msg);
    }
}
