package io.aetherflow.launcher;

/** A usage error of an installation command: exit 2, the message printed after {@code aetherflow: }. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and how to call the command instead */
    UsageException(String message) {
        super(message);
    }
}
