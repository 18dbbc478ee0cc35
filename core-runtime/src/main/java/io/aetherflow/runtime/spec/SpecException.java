package io.aetherflow.runtime.spec;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/** A flow (or its rendered {@code flow} block) that does not match the schema; exit code 2. */
public class SpecException extends UserError {
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line: what, where, what to do
     */
    public SpecException(String message) {
        super(ExitCodes.INVALID, message);
    }
}
