package io.aetherflow.runtime;

/**
 * A failure the user can act on: its message is printed as one line (no stack trace unless the log
 * level is DEBUG) and it carries the exit code the CLI returns.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode one of {@link io.aetherflow.launch.ExitCodes}
     * @param message what, where, and what to do
     */
    public UserError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * @param exitCode one of {@link io.aetherflow.launch.ExitCodes}
     * @param message what, where, and what to do
     * @param cause the underlying problem (shown at DEBUG)
     */
    public UserError(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @return the exit code */
    public int exitCode() {
        return exitCode;
    }
}
