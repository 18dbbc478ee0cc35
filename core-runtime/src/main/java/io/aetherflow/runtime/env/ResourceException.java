package io.aetherflow.runtime.env;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/** A flow resource cannot be built from its declaration (e.g. enterprise archive allowlist); exit code 2. */
public class ResourceException extends UserError {
    private static final long serialVersionUID = 1L;

    /** @param message what, where, what to do */
    public ResourceException(String message) {
        super(ExitCodes.INVALID, message);
    }
}
