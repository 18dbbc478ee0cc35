package io.aetherflow.runtime.env;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/**
 * The secrets provider is misconfigured (unknown provider service, missing or non-executable
 * program, decode requested without a provider); exit code 4. Messages never contain secret values.
 */
public class SecretsConfigException extends UserError {
    private static final long serialVersionUID = 1L;

    /** @param message what, where, what to do */
    public SecretsConfigException(String message) {
        super(ExitCodes.ENVIRONMENT, message);
    }
}
