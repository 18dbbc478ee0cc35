package io.aetherflow.runtime.plugins;

import io.aetherflow.api.step.Step;
import java.util.function.Supplier;

/**
 * A step type and the bundle that serves it.
 *
 * @param type the step type
 * @param bundle symbolic name of the serving bundle
 * @param version version of the serving bundle
 * @param ranking the service ranking (higher wins)
 * @param step obtains the service (activates a delayed component on first call)
 */
public record StepBinding(String type, String bundle, String version, int ranking, Supplier<Step> step) {

    /** @return {@code <bundle> <version>} */
    public String servedBy() {
        return bundle + " " + version;
    }
}
