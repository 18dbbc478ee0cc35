package io.aetherflow.launch;

import java.util.List;

/** The engine's entry point, registered as an OSGi service by the core runtime bundle. */
public interface Application {

    /** Version of this package, as exported by the system bundle. */
    String PACKAGE_VERSION = "1.1.0";

    /**
     * Runs one CLI command to completion.
     *
     * @param args the command line after the program name, e.g. {@code run --flow-yaml f.yaml}
     * @param info facts about the installation and the plugin set that the launcher verified
     * @return the process exit code (see the CLI reference)
     */
    int run(List<String> args, LaunchInfo info);

    /**
     * Asks a running command to stop (SIGINT/SIGTERM). Must return quickly; {@link #run} then marks
     * state INTERRUPTED, releases locks and returns 130.
     *
     * @param signal the signal name, e.g. {@code TERM}
     */
    void interrupt(String signal);
}
