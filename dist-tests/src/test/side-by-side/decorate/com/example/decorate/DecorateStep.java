package com.example.decorate;

import com.example.textlib.Text;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;
import java.util.Map;

/** {@code example.decorate}: textlib 2.x {@code new Text(fence).decorate}. */
public final class DecorateStep implements Step {

    /** For Declarative Services. */
    public DecorateStep() {
    }

    @Override
    public StepResult run(StepContext ctx) {
        String text = new Text("~").decorate(ctx.inputs().string("text"));
        return StepResult.success(Map.of("text", text, "textlib", Text.version()));
    }
}
