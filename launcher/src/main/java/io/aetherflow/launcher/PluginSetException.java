package io.aetherflow.launcher;

/**
 * The plugin set cannot be used: the lock is unreadable or malformed, a locked jar is missing or
 * changed, an unlocked jar sits in {@code bundles/}, or the set does not resolve. The message is
 * one line that names the bundle (or lock line) and says why; the launcher exits with
 * {@link ExitCodes#PLUGIN_SET}.
 */
public final class PluginSetException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message one line: what, where, what to do */
    public PluginSetException(String message) {
        super(message);
    }

    /**
     * @param message one line: what, where, what to do
     * @param cause the underlying failure (shown only at DEBUG)
     */
    public PluginSetException(String message, Throwable cause) {
        super(message, cause);
    }
}
