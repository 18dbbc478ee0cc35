package io.aetherflow.launcher;

/** The process exit codes the launcher itself produces (the engine returns the others). */
public final class ExitCodes {

    /** A job failed, or the engine failed unexpectedly (an internal error). */
    public static final int FAILURE = 1;
    /** Usage error of the launcher itself (e.g. of {@link LockTool}). */
    public static final int USAGE = 2;
    /** Plugin set or trust problem: lock mismatch, unresolvable bundle, no core runtime. */
    public static final int PLUGIN_SET = 3;
    /** Environment problem: the framework storage or the installation cannot be used. */
    public static final int ENVIRONMENT = 4;
    /** Interrupted by SIGINT or SIGTERM. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
