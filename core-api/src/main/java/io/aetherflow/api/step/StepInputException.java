package io.aetherflow.api.step;

/** A step input is missing or has the wrong type. */
public class StepInputException extends StepFailedException {
    private static final long serialVersionUID = 1L;

    /** @param message which input, what was expected, what was found */
    public StepInputException(String message) {
        super(message);
    }
}
