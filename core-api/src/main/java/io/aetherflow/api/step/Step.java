package io.aetherflow.api.step;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One step type. Registered as an OSGi service with property {@value #TYPE_PROPERTY}; instances are
 * shared by all runs and must be stateless (per-invocation data lives in the {@link StepContext}).
 *
 * <p>A step runs on the run's thread. It must honour thread interruption (the run is being
 * cancelled, e.g. SIGTERM): stop promptly, clean up child processes, and throw
 * {@link InterruptedException}.
 */
@ConsumerType
public interface Step {

    /** Service property naming the step type, e.g. {@code external.process}. */
    String TYPE_PROPERTY = "aetherflow.step.type";

    /**
     * Runs the step once.
     *
     * @param ctx the invocation context; never null
     * @return the result; never null ({@link StepResult#success(Map)} for a plain success)
     * @throws StepFailedException for an expected failure with a message the user can act on
     * @throws Exception any other failure; the job fails with the exception's message
     */
    StepResult run(StepContext ctx) throws Exception;

    /**
     * Checks the step's raw (unrendered) inputs at validation time. Values may still contain
     * {@code {{...}}} templates, so only check what does not depend on them. The default checks
     * nothing.
     *
     * @param rawInputs the {@code inputs} mapping as written in the YAML; never null
     * @param checks where to report problems; never null
     */
    default void checkInputs(Map<String, Object> rawInputs, InputChecks checks) {
    }
}
