package io.aetherflow.itests;

import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plugin's replacement for {@code check_items}: counts like the built-in and says who served it. */
final class ShadowCheckItemsStep implements Step {

    /** The value of the {@code served_by} output. */
    static final String MARKER = "itests-shadow";

    @Override
    public StepResult run(StepContext ctx) {
        Object items = ctx.inputs().raw("items");
        int count = items instanceof List<?> l ? l.size() : 0;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("has_data", count > 0);
        out.put("count", count);
        out.put("served_by", MARKER);
        return StepResult.success(out);
    }
}
