package io.aetherflow.api.step;

import java.util.List;

/**
 * No installed driver could serve a {@link StepContext#adhocConnector ad-hoc connector} request:
 * either no driver of the kind answers any of the names asked for ({@link #reasons()} is empty), or
 * each one that does refused (its factory rejected the options, or its connector does not implement
 * the contract asked for; {@link #reasons()} says why, one entry per driver tried, in order).
 *
 * <p>A step usually catches it to say what to install or declare instead; uncaught, it fails the
 * step with {@link #getMessage()}.
 *
 * @since 1.2 (package version)
 */
public class ConnectorUnavailableException extends StepFailedException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final List<String> reasons;

    /**
     * @param message what failed and what to do
     * @param kind the connector kind asked for
     * @param reasons why each driver tried refused, in order; empty when none was installed
     * @param cause the first refusal, or null
     */
    public ConnectorUnavailableException(String message, String kind, List<String> reasons, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.reasons = List.copyOf(reasons);
    }

    /** @return the connector kind asked for */
    public String kind() {
        return kind;
    }

    /** @return why each driver tried refused, in the order tried; empty when none was installed */
    public List<String> reasons() {
        return reasons;
    }
}
