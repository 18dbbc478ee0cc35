package io.aetherflow.launch;

/** The engine's entry point, registered as an OSGi service by the core runtime bundle. */
public interface Application {

    /** Version of this package, as exported by the system bundle. */
    String PACKAGE_VERSION = "2.3.0";

    /**
     * Runs one command, parsed by the launcher, to completion.
     *
     * @param command the command and its arguments, typed
     * @param info facts about the installation and the plugin set that the launcher verified
     * @return the process exit code ({@link ExitCodes})
     */
    int run(EngineCommand command, LaunchInfo info);

    /**
     * Asks a running command to stop (SIGINT/SIGTERM). Must return quickly; {@link #run} then marks
     * state INTERRUPTED, releases locks and returns 130.
     *
     * @param signal the signal name, e.g. {@code TERM}
     */
    void interrupt(String signal);
}
