package io.aetherflow.runtime.env;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/** The profiles configuration is invalid, or a resource names an undeclared profile; exit code 2. */
public class ProfilesException extends UserError {
    private static final long serialVersionUID = 1L;

    /** @param message what, where, what to do */
    public ProfilesException(String message) {
        super(ExitCodes.INVALID, message);
    }

    /**
     * @param message what, where, what to do
     * @param cause the underlying problem
     */
    public ProfilesException(String message, Throwable cause) {
        super(ExitCodes.INVALID, message, cause);
    }
}
