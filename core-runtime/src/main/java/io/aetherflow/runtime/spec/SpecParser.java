package io.aetherflow.runtime.spec;

import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.yaml.LoadedYaml;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a loaded flow file against the flow schema (catalog §1.1–1.5) and builds the
 * {@link FlowSpec}. Issue codes and messages follow the reference (pydantic): {@code schema:missing}
 * "Field required", {@code schema:literal_error}, {@code schema:string_type}, {@code schema:int_parsing},
 * {@code schema:dict_type}, {@code schema:list_type}, {@code schema:model_type},
 * {@code schema:extra_forbidden} (resources). Deliberate difference (SPEC §4 row 8): unknown keys at
 * the top level and in flow/workspace/state/locks/jobs/steps are reported as
 * {@code schema:unknown_key} warnings, or errors in strict mode ({@value #STRICT_VAR}=true).
 */
public final class SpecParser {

    /** Environment variable that turns unknown-key warnings into errors. */
    public static final String STRICT_VAR = "AETHERFLOW_VALIDATE_STRICT";

    /** Default workspace layout. */
    public static final Map<String, String> DEFAULT_LAYOUT = defaultLayout();

    private static final List<String> TOP_KEYS = List.of("version", "flow", "resources", "jobs");
    private static final List<String> FLOW_KEYS = List.of("id", "description", "workspace", "state", "locks");
    private static final List<String> WORKSPACE_KEYS = List.of("root", "cleanup_policy", "layout");
    private static final List<String> STATE_KEYS = List.of("backend", "path", "url");
    private static final List<String> LOCKS_KEYS = List.of("scope", "ttl_seconds");
    private static final Set<String> RESOURCE_KEYS = Set.of("kind", "driver", "profile", "config", "options", "decode");
    private static final List<String> JOB_KEYS = List.of("id", "description", "depends_on", "when", "steps");
    private static final List<String> STEP_KEYS = List.of("id", "type", "inputs", "outputs", "on_no_data");

    private final boolean strictUnknownKeys;

    /** A parser that reports unknown keys as warnings. */
    public SpecParser() {
        this(false);
    }

    /**
     * @param strictUnknownKeys report unknown keys as errors instead of warnings
     */
    public SpecParser(boolean strictUnknownKeys) {
        this.strictUnknownKeys = strictUnknownKeys;
    }

    /**
     * A parser configured from the environment snapshot ({@value #STRICT_VAR}, case-insensitive
     * {@code true}).
     *
     * @param env the snapshot
     * @return the parser
     */
    public static SpecParser forEnv(Map<String, String> env) {
        return new SpecParser(io.aetherflow.runtime.env.Settings.isTruthy(env.get(STRICT_VAR)));
    }

    private static Map<String, String> defaultLayout() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("artifacts", "artifacts");
        m.put("scratch", "scratch");
        m.put("manifests", "manifests");
        return Collections.unmodifiableMap(m);
    }

    /** Receives issues. */
    private interface Sink {
        void error(String code, String loc, String msg);

        void unknown(String loc, String key);
    }

    /**
     * Checks and parses a loaded flow file.
     *
     * @param y the loaded YAML
     * @return the spec (null when there are errors) with errors and warnings; every issue carries
     *     the file and the line/column of its location
     */
    public ParseResult parse(LoadedYaml y) {
        List<Issue> errors = new ArrayList<>();
        List<Issue> warnings = new ArrayList<>();
        Sink sink = new Sink() {
            @Override
            public void error(String code, String loc, String msg) {
                errors.add(y.issue(code, loc, msg));
            }

            @Override
            public void unknown(String loc, String key) {
                Issue i = y.issue("schema:unknown_key", loc, strictUnknownKeys
                        ? "Unknown key " + Quote.q(key) + " (AETHERFLOW_VALIDATE_STRICT is on); remove it or check its spelling"
                        : "Unknown key " + Quote.q(key) + " ignored; remove it or check its spelling");
                (strictUnknownKeys ? errors : warnings).add(i);
            }
        };
        FlowSpec spec = flowSpec(y.data(), sink);
        return new ParseResult(errors.isEmpty() ? spec : null, errors, warnings);
    }

    /**
     * Checks the rendered {@code flow} block (the runner renders it with the flow-meta phase first)
     * and fills the defaults; missing layout keys get their default directory names.
     *
     * @param renderedFlow the rendered {@code flow} mapping
     * @return the flow metadata
     * @throws SpecException one line naming the first problem (and how many more there are)
     */
    public static FlowMeta parseFlowMeta(Map<String, Object> renderedFlow) {
        List<String> problems = new ArrayList<>();
        Sink sink = new Sink() {
            @Override
            public void error(String code, String loc, String msg) {
                problems.add(loc + ": " + msg + " (" + code + ")");
            }

            @Override
            public void unknown(String loc, String key) {
                // Already reported by validation; the runner ignores unknown keys.
            }
        };
        FlowMeta meta = flowMeta(renderedFlow, "flow", sink);
        if (!problems.isEmpty()) {
            throw new SpecException("Invalid flow block after rendering templates: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "")
                    + "; fix the flow YAML or the environment values it uses");
        }
        return meta;
    }

    // ------------------------------------------------------------------ models

    private static String child(String loc, String key) {
        return loc.isEmpty() ? key : loc + "." + key;
    }

    /** @return the value as a mapping, or null after reporting {@code schema:model_type} at {@code loc} */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> model(Object value, String model, String loc, Sink sink) {
        if (!(value instanceof Map<?, ?>)) {
            sink.error("schema:model_type", loc, modelMsg(model));
            return null;
        }
        return (Map<String, Object>) value;
    }

    private static String modelMsg(String model) {
        return "Input should be a valid dictionary or instance of " + model;
    }

    @SuppressWarnings("unchecked")
    private FlowSpec flowSpec(Object data, Sink sink) {
        if (!(data instanceof Map<?, ?>)) {
            sink.error("schema:model_type", "<root>", modelMsg("FlowSpec"));
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) data;
        unknownKeys(m, "", TOP_KEYS, sink);
        int version = 1;
        if (m.containsKey("version")) {
            Long v = integer(m.get("version"), "version", sink);
            version = v == null ? 1 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        FlowMeta flow = null;
        Map<String, Object> rawFlow = null;
        if (!m.containsKey("flow")) {
            sink.error("schema:missing", "flow", "Field required");
        } else {
            Object f = m.get("flow");
            if (f instanceof Map<?, ?> fm) {
                rawFlow = (Map<String, Object>) fm;
                flow = flowMeta(rawFlow, "flow", sink);
                unknownKeys(rawFlow, "flow", FLOW_KEYS, sink);
                warnNested(rawFlow, sink);
            } else {
                sink.error("schema:model_type", "flow", modelMsg("FlowMetaSpec"));
            }
        }
        Map<String, ResourceSpec> resources = new LinkedHashMap<>();
        if (m.containsKey("resources")) {
            Object r = m.get("resources");
            if (r instanceof Map<?, ?> rm) {
                for (Map.Entry<String, Object> e : ((Map<String, Object>) rm).entrySet()) {
                    ResourceSpec rs = resource(e.getValue(), "resources." + e.getKey(), sink);
                    if (rs != null) {
                        resources.put(e.getKey(), rs);
                    }
                }
            } else {
                sink.error("schema:dict_type", "resources", "Input should be a valid dictionary");
            }
        }
        List<JobSpec> jobs = new ArrayList<>();
        if (!m.containsKey("jobs")) {
            sink.error("schema:missing", "jobs", "Field required");
        } else if (m.get("jobs") instanceof List<?> jl) {
            for (int i = 0; i < jl.size(); i++) {
                JobSpec j = job(jl.get(i), "jobs[" + i + "]", sink);
                if (j != null) {
                    jobs.add(j);
                }
            }
        } else {
            sink.error("schema:list_type", "jobs", "Input should be a valid list");
        }
        if (flow == null) {
            return null;
        }
        return new FlowSpec(version, flow, rawFlow, Collections.unmodifiableMap(resources), List.copyOf(jobs));
    }

    @SuppressWarnings("unchecked")
    private void warnNested(Map<String, Object> flow, Sink sink) {
        if (flow.get("workspace") instanceof Map<?, ?> w) {
            unknownKeys((Map<String, Object>) w, "flow.workspace", WORKSPACE_KEYS, sink);
        }
        if (flow.get("state") instanceof Map<?, ?> s) {
            unknownKeys((Map<String, Object>) s, "flow.state", STATE_KEYS, sink);
        }
        if (flow.get("locks") instanceof Map<?, ?> l) {
            unknownKeys((Map<String, Object>) l, "flow.locks", LOCKS_KEYS, sink);
        }
    }

    @SuppressWarnings("unchecked")
    private static FlowMeta flowMeta(Map<String, Object> f, String loc, Sink sink) {
        String id = requiredString(f, "id", loc, sink);
        String description = optionalString(f, "description", loc, sink);
        WorkspaceSpec workspace = new WorkspaceSpec("/tmp/work", "on_success", DEFAULT_LAYOUT);
        if (f.containsKey("workspace")) {
            String wl = child(loc, "workspace");
            if (f.get("workspace") instanceof Map<?, ?> w) {
                Map<String, Object> wm = (Map<String, Object>) w;
                String root = defaultedString(wm, "root", wl, "/tmp/work", sink);
                String cleanup = literal(wm, "cleanup_policy", wl, List.of("on_success", "always", "never"),
                        "on_success", false, sink);
                Map<String, String> layout = DEFAULT_LAYOUT;
                if (wm.containsKey("layout")) {
                    String ll = child(wl, "layout");
                    if (wm.get("layout") instanceof Map<?, ?> lm) {
                        Map<String, String> out = new LinkedHashMap<>(DEFAULT_LAYOUT);
                        for (Map.Entry<String, Object> e : ((Map<String, Object>) lm).entrySet()) {
                            if (e.getValue() instanceof String s) {
                                out.put(e.getKey(), s);
                            } else {
                                sink.error("schema:string_type", child(ll, e.getKey()), "Input should be a valid string");
                            }
                        }
                        layout = Collections.unmodifiableMap(out);
                    } else {
                        sink.error("schema:dict_type", ll, "Input should be a valid dictionary");
                    }
                }
                workspace = new WorkspaceSpec(root, cleanup, layout);
            } else {
                sink.error("schema:model_type", wl, modelMsg("WorkspaceSpec"));
            }
        }
        StateSpec state = new StateSpec("sqlite", "/tmp/state/aetherflow.sqlite");
        if (f.containsKey("state")) {
            String sl = child(loc, "state");
            if (f.get("state") instanceof Map<?, ?> s) {
                Map<String, Object> sm = (Map<String, Object>) s;
                String backend = literal(sm, "backend", sl, List.of("sqlite", "file", "postgres"), "sqlite", false,
                        sink);
                String path = defaultedString(sm, "path", sl, "/tmp/state/aetherflow.sqlite", sink);
                String url = optionalString(sm, "url", sl, sink);
                state = new StateSpec(backend, path, url);
            } else {
                sink.error("schema:model_type", sl, modelMsg("StateSpec"));
            }
        }
        LocksSpec locks = new LocksSpec("job", 3600);
        if (f.containsKey("locks")) {
            String ll = child(loc, "locks");
            if (f.get("locks") instanceof Map<?, ?> l) {
                Map<String, Object> lm = (Map<String, Object>) l;
                String scope = literal(lm, "scope", ll, List.of("none", "job", "flow"), "job", false, sink);
                int ttl = 3600;
                if (lm.containsKey("ttl_seconds")) {
                    Long v = integer(lm.get("ttl_seconds"), child(ll, "ttl_seconds"), sink);
                    ttl = v == null ? 3600 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
                }
                locks = new LocksSpec(scope, ttl);
            } else {
                sink.error("schema:model_type", ll, modelMsg("LocksSpec"));
            }
        }
        return new FlowMeta(id, description, workspace, state, locks);
    }

    private static ResourceSpec resource(Object value, String loc, Sink sink) {
        Map<String, Object> m = model(value, "ResourceSpec", loc, sink);
        if (m == null) {
            return null;
        }
        String kind = requiredString(m, "kind", loc, sink);
        String driver = requiredString(m, "driver", loc, sink);
        String profile = optionalString(m, "profile", loc, sink);
        Map<String, Object> config = dict(m, "config", loc, sink);
        Map<String, Object> options = dict(m, "options", loc, sink);
        Map<String, Object> decode = dict(m, "decode", loc, sink);
        for (String k : m.keySet()) {
            if (!RESOURCE_KEYS.contains(k)) {
                sink.error("schema:extra_forbidden", child(loc, k), "Extra inputs are not permitted");
            }
        }
        return new ResourceSpec(kind, driver, profile, config, options, decode);
    }

    private JobSpec job(Object value, String loc, Sink sink) {
        Map<String, Object> m = model(value, "JobSpec", loc, sink);
        if (m == null) {
            return null;
        }
        String id = requiredString(m, "id", loc, sink);
        String description = optionalString(m, "description", loc, sink);
        List<String> dependsOn = List.of();
        if (m.containsKey("depends_on")) {
            String dl = child(loc, "depends_on");
            if (m.get("depends_on") instanceof List<?> l) {
                List<String> out = new ArrayList<>(l.size());
                for (int i = 0; i < l.size(); i++) {
                    if (l.get(i) instanceof String s) {
                        out.add(s);
                    } else {
                        sink.error("schema:string_type", dl + "[" + i + "]", "Input should be a valid string");
                    }
                }
                dependsOn = List.copyOf(out);
            } else {
                sink.error("schema:list_type", dl, "Input should be a valid list");
            }
        }
        String when = optionalString(m, "when", loc, sink);
        List<StepSpec> steps = new ArrayList<>();
        if (!m.containsKey("steps")) {
            sink.error("schema:missing", child(loc, "steps"), "Field required");
        } else if (m.get("steps") instanceof List<?> sl) {
            for (int i = 0; i < sl.size(); i++) {
                StepSpec s = step(sl.get(i), loc + ".steps[" + i + "]", sink);
                if (s != null) {
                    steps.add(s);
                }
            }
        } else {
            sink.error("schema:list_type", child(loc, "steps"), "Input should be a valid list");
        }
        unknownKeys(m, loc, JOB_KEYS, sink);
        return new JobSpec(id, description, dependsOn, when, List.copyOf(steps));
    }

    private StepSpec step(Object value, String loc, Sink sink) {
        Map<String, Object> m = model(value, "StepSpec", loc, sink);
        if (m == null) {
            return null;
        }
        String id = requiredString(m, "id", loc, sink);
        String type = requiredString(m, "type", loc, sink);
        Map<String, Object> inputs = dict(m, "inputs", loc, sink);
        Map<String, Object> outputs = dict(m, "outputs", loc, sink);
        String onNoData = literal(m, "on_no_data", loc, List.of("skip_job"), null, true, sink);
        unknownKeys(m, loc, STEP_KEYS, sink);
        return new StepSpec(id, type, inputs, outputs, onNoData);
    }

    // ------------------------------------------------------------------ fields

    private void unknownKeys(Map<String, Object> m, String loc, List<String> known, Sink sink) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                sink.unknown(child(loc, k), k);
            }
        }
    }

    private static String requiredString(Map<String, Object> m, String key, String loc, Sink sink) {
        if (!m.containsKey(key)) {
            sink.error("schema:missing", child(loc, key), "Field required");
            return null;
        }
        return string(m.get(key), child(loc, key), false, sink);
    }

    private static String optionalString(Map<String, Object> m, String key, String loc, Sink sink) {
        return m.containsKey(key) ? string(m.get(key), child(loc, key), true, sink) : null;
    }

    private static String defaultedString(Map<String, Object> m, String key, String loc, String dflt, Sink sink) {
        if (!m.containsKey(key)) {
            return dflt;
        }
        String s = string(m.get(key), child(loc, key), false, sink);
        return s == null ? dflt : s;
    }

    private static String string(Object v, String loc, boolean nullable, Sink sink) {
        if (v instanceof String s) {
            return s;
        }
        if (v == null && nullable) {
            return null;
        }
        sink.error("schema:string_type", loc, "Input should be a valid string");
        return null;
    }

    private static String literal(Map<String, Object> m, String key, String loc, List<String> allowed, String dflt,
            boolean nullable, Sink sink) {
        if (!m.containsKey(key)) {
            return dflt;
        }
        Object v = m.get(key);
        if (v == null && nullable) {
            return null;
        }
        if (v instanceof String s && allowed.contains(s)) {
            return s;
        }
        StringBuilder msg = new StringBuilder("Input should be ");
        for (int i = 0; i < allowed.size(); i++) {
            if (i > 0) {
                msg.append(i == allowed.size() - 1 ? " or " : ", ");
            }
            msg.append('\'').append(allowed.get(i)).append('\'');
        }
        sink.error("schema:literal_error", child(loc, key), msg.toString());
        return dflt;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(Map<String, Object> m, String key, String loc, Sink sink) {
        if (!m.containsKey(key)) {
            return Map.of();
        }
        Object v = m.get(key);
        if (v instanceof Map<?, ?> dm) {
            return (Map<String, Object>) dm;
        }
        sink.error("schema:dict_type", child(loc, key), "Input should be a valid dictionary");
        return Map.of();
    }

    /** Pydantic's lax int: ints, bools, integral floats and numeric strings. */
    private static Long integer(Object v, String loc, Sink sink) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite() || d != Math.rint(d)) {
                sink.error(d.isNaN() || d.isInfinite() ? "schema:finite_number" : "schema:int_from_float", loc,
                        d.isNaN() || d.isInfinite() ? "Input should be a finite number"
                                : "Input should be a valid integer, got a number with a fractional part");
                return null;
            }
            return d.longValue();
        }
        if (v instanceof String s) {
            String t = s.strip().replace("_", "");
            try {
                return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
            } catch (NumberFormatException e) {
                sink.error("schema:int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer");
                return null;
            }
        }
        sink.error("schema:int_type", loc, "Input should be a valid integer");
        return null;
    }
}
