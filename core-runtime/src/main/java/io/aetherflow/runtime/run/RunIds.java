package io.aetherflow.runtime.run;

import io.aetherflow.runtime.ExitCodes;
import io.aetherflow.runtime.UserError;
import java.util.UUID;
import java.util.regex.Pattern;

/** Run and flow ids: generation and the checks that keep them inside the workspace. */
public final class RunIds {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private RunIds() {
    }

    /** @return the first 12 hex characters of a random UUID (as the reference) */
    public static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Checks that an id is safe as one path segment: letters, digits, {@code .}, {@code _}, {@code -};
     * starting with a letter or digit; no {@code /}, no {@code ..}.
     *
     * @param what what the id is, for the message (e.g. {@code --run-id})
     * @param id the id
     * @return the id
     * @throws UserError (exit 2) when unsafe
     */
    public static String checkSegment(String what, String id) {
        if (id == null || !SAFE.matcher(id).matches() || id.contains("..")) {
            throw new UserError(ExitCodes.INVALID, what + " '" + id + "' is not a safe id: use letters, digits, "
                    + "'.', '_' and '-' only (no '/', no '..', at most 128 characters)");
        }
        return id;
    }
}
