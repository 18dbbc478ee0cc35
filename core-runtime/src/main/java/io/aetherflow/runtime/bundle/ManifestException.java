package io.aetherflow.runtime.bundle;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/** An invalid bundle manifest (exit code 2); the message names the file and line. */
public final class ManifestException extends UserError {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param message the full one-line message: file, line, reason
     * @param reason the reference's message alone (e.g. {@code Unknown bundle keys: bundle.x})
     */
    public ManifestException(String message, String reason) {
        super(ExitCodes.INVALID, message);
        this.reason = reason;
    }

    /** @return the reference's message alone */
    public String reason() {
        return reason;
    }
}
