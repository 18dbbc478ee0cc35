package io.aetherflow.runtime.env;

/**
 * A step path lies outside the allowed roots of the step path sandbox. The step that asked fails
 * (the step context turns this into a step failure).
 */
public class SandboxViolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the reference's message text, naming the raw path */
    public SandboxViolationException(String message) {
        super(message);
    }
}
