package io.aetherflow.runtime.when;

/** A {@code when} expression that parsed but cannot be evaluated (missing job or key, type error). */
public class WhenEvaluationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the path or operator
     */
    public WhenEvaluationException(String message) {
        super(message);
    }
}
