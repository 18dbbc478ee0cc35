package io.aetherflow.dist.plugin;

import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;
import java.util.Map;

/** Step type {@code acme.version} of the test vendor plugin bundle that {@code SigningIT} builds and signs. */
public final class VersionStep implements Step {

    /** For Declarative Services. */
    public VersionStep() {
    }

    @Override
    public StepResult run(StepContext ctx) {
        return StepResult.success(Map.of("served", "acme"));
    }
}
