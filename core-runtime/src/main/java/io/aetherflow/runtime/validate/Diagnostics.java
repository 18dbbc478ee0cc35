package io.aetherflow.runtime.validate;

import io.aetherflow.runtime.spec.FlowSpec;
import io.aetherflow.runtime.spec.Issue;
import io.aetherflow.runtime.spec.JobSpec;
import io.aetherflow.runtime.spec.ParseResult;
import io.aetherflow.runtime.spec.ResourceSpec;
import io.aetherflow.runtime.spec.SpecException;
import io.aetherflow.runtime.spec.SpecParser;
import io.aetherflow.runtime.spec.StepSpec;
import io.aetherflow.runtime.yaml.LoadedYaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code doctor} and {@code explain} (catalog §11). Stateless. */
public final class Diagnostics {

    private Diagnostics() {
    }

    /**
     * Checks that every {@code env.*} value the flow and the profiles need is present. Template
     * syntax problems are warnings here; {@code AETHERFLOW_VALIDATE_ENV_STRICT} is ignored.
     *
     * @param yaml the loaded flow
     * @param env the diagnostic environment snapshot
     * @return the report ({@code ok} = nothing missing)
     * @throws SpecException when the flow does not match the schema
     */
    public static DoctorReport doctor(LoadedYaml yaml, Map<String, String> env) {
        FlowSpec spec = parse(yaml);
        TemplateScan.Findings f = TemplateScan.run(yaml, spec, env);
        List<Issue> warnings = new ArrayList<>(f.syntax());
        warnings.addAll(f.notes());
        reportRegion(yaml, spec, warnings);
        return new DoctorReport(f.missingEnv().isEmpty(), yaml.source(), f.missingEnv(), warnings);
    }

    /**
     * Lists the resources that name a profile, with the profile's decode map (empty for an unknown
     * profile). Profiles come from {@code AETHERFLOW_PROFILES_JSON}, else an existing
     * {@code AETHERFLOW_PROFILES_FILE}.
     *
     * @param yaml the loaded flow
     * @param env the diagnostic environment snapshot
     * @return the report
     * @throws SpecException when the flow does not match the schema or the profiles cannot be read
     */
    public static ExplainReport explain(LoadedYaml yaml, Map<String, String> env) {
        FlowSpec spec = parse(yaml);
        Object tree;
        try {
            tree = ValidationProfiles.load(env).tree();
        } catch (RuntimeException e) {
            throw new SpecException("Cannot read the profiles: " + e.getMessage());
        }
        Map<?, ?> profiles = tree instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ResourceSpec> e : spec.resources().entrySet()) {
            ResourceSpec r = e.getValue();
            if (r.profile() == null) {
                continue;
            }
            Object decode = profiles.get(r.profile()) instanceof Map<?, ?> p && p.get("decode") instanceof Map<?, ?> d
                    ? d : Map.of();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("kind", r.kind());
            item.put("driver", r.driver());
            item.put("profile", r.profile());
            item.put("decode", decode);
            out.put(e.getKey(), item);
        }
        return new ExplainReport(yaml.source(), out);
    }

    private static FlowSpec parse(LoadedYaml yaml) {
        ParseResult r = new SpecParser().parse(yaml);
        if (!r.ok()) {
            Issue first = r.errors().get(0);
            String where = first.line() > 0 ? first.where() : yaml.source();
            throw new SpecException(where + ": " + first.loc() + ": " + first.msg() + " (" + first.code() + ")"
                    + (r.errors().size() > 1 ? " and " + (r.errors().size() - 1) + " more schema errors" : "")
                    + "; run 'aetherflow validate' for the full list");
        }
        return r.spec();
    }

    private static void reportRegion(LoadedYaml y, FlowSpec spec, List<Issue> warnings) {
        for (int j = 0; j < spec.jobs().size(); j++) {
            JobSpec job = spec.jobs().get(j);
            for (int s = 0; s < job.steps().size(); s++) {
                StepSpec st = job.steps().get(s);
                if (!"excel_fill_from_file".equals(st.type())
                        || !(st.inputs().get("targets") instanceof List<?> targets)) {
                    continue;
                }
                for (int t = 0; t < targets.size(); t++) {
                    if (!(targets.get(t) instanceof Map<?, ?> target)) {
                        continue;
                    }
                    Object mode = target.get("mode");
                    String m = mode == null ? "data_sheet" : String.valueOf(mode).trim().toLowerCase(Locale.ROOT);
                    if (!"report_region".equals(m)) {
                        continue;
                    }
                    String loc = "jobs[" + j + "].steps[" + s + "].inputs.targets[" + t + "]";
                    if (target.get("rows_threshold") == null && st.inputs().get("rows_threshold") == null) {
                        warnings.add(y.issue("report_region_default_threshold", loc,
                                "mode=report_region uses the default rows_threshold (50000). Consider setting "
                                        + "rows_threshold explicitly or use mode=data_sheet (DATA_*)."));
                    }
                    Object guard = target.containsKey("fail_on_threshold") ? target.get("fail_on_threshold")
                            : st.inputs().get("fail_on_threshold");
                    if (Boolean.FALSE.equals(guard) || (guard instanceof String g && "false".equalsIgnoreCase(g.trim()))) {
                        warnings.add(y.issue("report_region_threshold_guard_disabled", loc,
                                "mode=report_region has fail_on_threshold=false. This can create huge, slow "
                                        + "workbooks. Prefer mode=data_sheet (DATA_*)."));
                    }
                }
            }
        }
    }
}
