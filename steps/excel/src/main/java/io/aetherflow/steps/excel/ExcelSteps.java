package io.aetherflow.steps.excel;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.StepContext;
import java.util.List;
import java.util.Map;

/** Small helpers the three excel steps share. */
final class ExcelSteps {

    private ExcelSteps() {
    }

    /** @return true when the run logs at DEBUG (the anchor-not-found message then lists ANCHOR-like cells) */
    static boolean debug(StepContext ctx) {
        return "DEBUG".equalsIgnoreCase(ctx.env().getOrDefault("AETHERFLOW_LOG_LEVEL", ""));
    }

    /** Validation time: every named input must be present; {@code targets}, when literal, a list. */
    static void checkRequired(String type, Map<String, Object> raw, InputChecks checks, String... names) {
        for (String k : names) {
            if (!raw.containsKey(k)) {
                checks.error("semantic:" + type + "_missing_input", "inputs." + k, type + " requires inputs." + k);
            }
        }
        Object targets = raw.get("targets");
        if (targets != null && !(targets instanceof List<?>) && !targets.toString().contains("{{")
                && !targets.toString().strip().startsWith("[")) {
            checks.error("semantic:" + type + "_targets_not_list", "inputs.targets",
                    type + " inputs.targets must be a list of target mappings");
        }
    }
}
