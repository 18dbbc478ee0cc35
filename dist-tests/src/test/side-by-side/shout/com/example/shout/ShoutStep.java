package com.example.shout;

import com.example.textlib.Text;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;
import java.util.Map;

/** {@code example.shout}: textlib 1.x {@code Text.shout}. */
public final class ShoutStep implements Step {

    /** For Declarative Services. */
    public ShoutStep() {
    }

    @Override
    public StepResult run(StepContext ctx) {
        return StepResult.success(Map.of("text", Text.shout(ctx.inputs().string("text")), "textlib", Text.version()));
    }
}
