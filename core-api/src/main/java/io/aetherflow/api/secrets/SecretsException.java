package io.aetherflow.api.secrets;

/** The secrets provider failed. The message must never contain a secret value. */
public class SecretsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public SecretsException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause the underlying problem
     */
    public SecretsException(String message, Throwable cause) {
        super(message, cause);
    }
}
