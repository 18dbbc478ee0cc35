package io.aetherflow.api.step;

import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sink for validation problems found by {@link Step#checkInputs(Map, InputChecks)}. Locations are
 * relative to the step, e.g. {@code inputs.command}; the engine prefixes {@code jobs[j].steps[s].}.
 */
@ProviderType
public interface InputChecks {

    /**
     * Reports an error.
     *
     * @param code issue code, e.g. {@code semantic:external_process_missing_command}
     * @param loc location relative to the step, e.g. {@code inputs.command}
     * @param message what is wrong and what to do
     */
    void error(String code, String loc, String message);

    /**
     * Reports a warning.
     *
     * @param code issue code
     * @param loc location relative to the step
     * @param message what looks wrong
     */
    void warning(String code, String loc, String message);

    /**
     * Validates a nested step specification (as used by {@code with_lock}) like a top-level step:
     * its type must be known and its own {@code checkInputs} runs.
     *
     * @param loc location of the nested mapping relative to the step, e.g. {@code inputs.step}
     * @param stepSpec the nested mapping with {@code type}, optional {@code id} and {@code inputs}
     */
    void checkNestedStep(String loc, Map<String, Object> stepSpec);

    /**
     * The resources the flow declares, so a step can check that an input naming a resource (such as
     * {@code inputs.resource} of the db steps) names a declared one of the right kind.
     *
     * @return resource name to kind ({@code db}, {@code rest}, ...) in declaration order, or empty when
     *         the caller of the checks does not know the flow's resources (then nothing can be checked)
     * @since 1.3 (package version)
     */
    default Optional<Map<String, String>> declaredResources() {
        return Optional.empty();
    }
}
