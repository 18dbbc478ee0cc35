package io.aetherflow.runtime.cli;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.Quote;
import io.aetherflow.runtime.UserError;

/**
 * Usage errors the engine finds after the launcher parsed the command line (what only the engine can
 * check, e.g. a run id once the state store is found): exit 2, in the launcher's one-line style.
 */
final class Usage {

    private Usage() {
    }

    /**
     * @param command the command path, e.g. {@code runs show}
     * @param message what is wrong
     * @return the error to throw
     */
    static UserError error(String command, String message) {
        return new UserError(ExitCodes.INVALID, Quote.usage(command, message));
    }

    /**
     * @param arg an argument as given
     * @return its printable form (escaped, cut when long)
     */
    static String argument(String arg) {
        return Quote.argument(arg);
    }
}
