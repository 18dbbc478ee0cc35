package io.aetherflow.runtime.when;

/**
 * A {@code when} expression that cannot be parsed or uses something outside the grammar. The message
 * is the validation form: {@code Syntax error: <msg>}, {@code Unsupported node: <Node>} or
 * {@code Unsupported name: <name>}.
 */
public class WhenSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the validation-form message
     */
    public WhenSyntaxException(String message) {
        super(message);
    }
}
