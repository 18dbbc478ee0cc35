package io.aetherflow.steps.control;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * {@code check_items}: counts {@code items} (a list, or a comma-separated string) and succeeds with
 * {@code has_data: true} when there are at least {@code min_count} (default 1); otherwise returns
 * SKIPPED with {@code has_data: false} so that {@code on_no_data: skip_job} can end the job early.
 */
@Component(property = Step.TYPE_PROPERTY + "=check_items")
public final class CheckItemsStep implements Step {

    @Override
    public StepResult run(StepContext ctx) {
        StepInputs in = ctx.inputsRequiring("items");
        List<Object> items = items(in.raw("items"));
        long min = in.integer("min_count", 1);
        Map<String, Object> out = new LinkedHashMap<>();
        int count = items.size();
        if (count < min) {
            out.put("has_data", false);
            out.put("count", count);
            return StepResult.skipped("count(" + count + ") < min_count(" + min + ")", out);
        }
        out.put("has_data", true);
        out.put("count", count);
        return StepResult.success(out);
    }

    static List<Object> items(Object raw) {
        if (raw instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (raw instanceof String s) {
            List<Object> out = new ArrayList<>();
            for (String part : s.split(",")) {
                String t = part.trim();
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
            return out;
        }
        throw new StepInputException("check_items expects 'items' to be a list or a comma-separated string");
    }

    @Override
    public void checkInputs(Map<String, Object> rawInputs, InputChecks checks) {
        if (!rawInputs.containsKey("items")) {
            checks.error("semantic:check_items_missing_items", "inputs.items", "check_items requires inputs.items");
            return;
        }
        Object items = rawInputs.get("items");
        if (items != null && !(items instanceof List) && !(items instanceof String)) {
            checks.error("semantic:check_items_items_type", "inputs.items",
                    "check_items expects 'items' to be a list or a comma-separated string");
        }
    }
}
