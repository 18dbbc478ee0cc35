package io.aetherflow.runtime.env;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/**
 * The secrets provider failed while decoding a value or expanding the environment; exit code 4.
 * The message names the resource and the decoded path, never the value.
 */
public class SecretsFailedException extends UserError {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what, where, what to do
     * @param cause the provider's failure
     */
    public SecretsFailedException(String message, Throwable cause) {
        super(ExitCodes.ENVIRONMENT, message, cause);
    }
}
