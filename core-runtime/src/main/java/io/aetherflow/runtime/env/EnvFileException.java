package io.aetherflow.runtime.env;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/** An env file (or the {@code AETHERFLOW_ENV_FILES_JSON} list) cannot be read; exit code 4. */
public class EnvFileException extends UserError {
    private static final long serialVersionUID = 1L;

    /** @param message what, where, what to do */
    public EnvFileException(String message) {
        super(ExitCodes.ENVIRONMENT, message);
    }

    /**
     * @param message what, where, what to do
     * @param cause the underlying problem
     */
    public EnvFileException(String message, Throwable cause) {
        super(ExitCodes.ENVIRONMENT, message, cause);
    }
}
