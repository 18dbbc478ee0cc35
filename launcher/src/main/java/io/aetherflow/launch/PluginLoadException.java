package io.aetherflow.launch;

/**
 * A plugin bundle that a command needs cannot be used: it does not resolve, or its activator failed.
 * The message is one line naming the bundle, its jar and the unresolved requirement; the engine
 * reports it with exit code {@link ExitCodes#PLUGINS}.
 *
 * @since 2.2.0
 */
public class PluginLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what, which bundle, what to do
     * @param cause the framework's exception, or null
     */
    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
