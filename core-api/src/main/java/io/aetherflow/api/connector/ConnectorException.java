package io.aetherflow.api.connector;

/** A connector failed: bad configuration, connection refused, remote error. */
public class ConnectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to do; must not contain secret values */
    public ConnectorException(String message) {
        super(message);
    }

    /**
     * @param message what failed and what to do; must not contain secret values
     * @param cause the underlying problem
     */
    public ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
