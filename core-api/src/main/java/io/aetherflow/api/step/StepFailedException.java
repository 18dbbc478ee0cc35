package io.aetherflow.api.step;

/**
 * An expected step failure whose message is shown to the user as is (one line: what failed, and
 * what to do). Any other exception fails the step too, but this one is never reported with a stack
 * trace unless the log level is DEBUG.
 */
public class StepFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to do */
    public StepFailedException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do
     * @param cause the underlying problem
     */
    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
