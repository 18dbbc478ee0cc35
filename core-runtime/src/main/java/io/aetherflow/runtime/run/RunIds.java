package io.aetherflow.runtime.run;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.spec.SafeIds;
import java.util.UUID;

/** Run and flow ids: generation and the checks that keep them inside the workspace. */
public final class RunIds {

    private RunIds() {
    }

    /** @return the first 12 hex characters of a random UUID (as the reference) */
    public static String newRunId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Checks that an id is safe as one path segment ({@link SafeIds}).
     *
     * @param what what the id is, for the message (e.g. {@code --run-id})
     * @param id the id
     * @return the id
     * @throws UserError (exit 2) when unsafe
     */
    public static String checkSegment(String what, String id) {
        String problem = SafeIds.problem(id);
        if (problem != null) {
            throw new UserError(ExitCodes.INVALID, what + " " + Quote.q(id) + " is not a safe id: it " + problem
                    + "; " + SafeIds.RULE + " (it becomes a directory name in the workspace)");
        }
        return id;
    }
}
