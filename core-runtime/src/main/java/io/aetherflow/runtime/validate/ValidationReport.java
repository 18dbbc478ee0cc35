package io.aetherflow.runtime.validate;

import io.aetherflow.runtime.spec.FlowSpec;
import io.aetherflow.runtime.spec.Issue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of validating a flow.
 *
 * @param ok true when there are no errors
 * @param errors errors in check order
 * @param warnings warnings (empty and omitted from JSON when the schema failed)
 * @param flowYaml the flow path as given
 * @param spec the parsed flow, or null when the schema failed
 * @param schemaFailed true when schema validation failed (semantic checks were skipped)
 */
public record ValidationReport(boolean ok, List<Issue> errors, List<Issue> warnings, String flowYaml,
        FlowSpec spec, boolean schemaFailed) {

    /** Copies the lists. */
    public ValidationReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /**
     * @return the CLI exit code: 0 when ok, 3 when a step type is not installed, else 2
     */
    public int exitCode() {
        if (ok) {
            return io.aetherflow.launch.ExitCodes.OK;
        }
        for (Issue i : errors) {
            if ("semantic:unknown_step_type".equals(i.code())) {
                return io.aetherflow.launch.ExitCodes.PLUGINS;
            }
        }
        return io.aetherflow.launch.ExitCodes.INVALID;
    }

    /**
     * The reference JSON shape: {@code {ok, errors, warnings, flow_yaml}} ({@code warnings} absent when
     * the schema failed); each issue is {@code {code, loc, msg}} plus {@code line}/{@code column} when
     * known.
     *
     * @return the report as maps and lists, for {@link io.aetherflow.api.support.Json#writeSpaced(Object)}
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", ok);
        m.put("errors", errors.stream().map(IssueText::json).toList());
        if (!schemaFailed) {
            m.put("warnings", warnings.stream().map(IssueText::json).toList());
        }
        m.put("flow_yaml", flowYaml);
        return m;
    }

    /**
     * The text form: {@code OK: <path>} or {@code INVALID: <path>}, then {@code - <loc>: <code> - <msg>}
     * per error and {@code ! <loc>: <code> - <msg>} per warning, each followed by
     * {@code (<file>:<line>:<col>)} when the position is known.
     *
     * @return lines joined with newlines, ending with a newline
     */
    public String toText() {
        return IssueText.report(ok ? "OK" : "INVALID", flowYaml, errors, warnings);
    }
}
