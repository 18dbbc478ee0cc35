package io.aetherflow.runtime.validate;

import io.aetherflow.runtime.spec.Issue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code doctor}.
 *
 * @param ok true when no env value is missing
 * @param flowYaml the flow path as given
 * @param missingEnv the {@code semantic:missing_env} issues
 * @param warnings template syntax/unknown-root issues (demoted), report-region warnings and notes
 */
public record DoctorReport(boolean ok, String flowYaml, List<Issue> missingEnv, List<Issue> warnings) {

    /** Copies the lists. */
    public DoctorReport {
        missingEnv = List.copyOf(missingEnv);
        warnings = List.copyOf(warnings);
    }

    /**
     * @return {@code {ok, flow_yaml, missing_env, warnings}} (issues as {@code {code, loc, msg}} plus
     *     {@code line}/{@code column} when known)
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", ok);
        m.put("flow_yaml", flowYaml);
        m.put("missing_env", missingEnv.stream().map(IssueText::json).toList());
        m.put("warnings", warnings.stream().map(IssueText::json).toList());
        return m;
    }

    /**
     * @return {@code OK: <path>} or {@code FAIL: <path>}, then {@code - <loc>: <code> - <msg>} per
     *     missing value and {@code ! <loc>: <code> - <msg>} per warning (with positions when known)
     */
    public String toText() {
        return IssueText.report(ok ? "OK" : "FAIL", flowYaml, missingEnv, warnings);
    }
}
