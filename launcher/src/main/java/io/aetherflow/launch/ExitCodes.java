package io.aetherflow.launch;

/**
 * The process exit codes of {@code aetherflow} (SPEC §5, docs/cli.md), shared by the launcher and the
 * engine: the launcher returns some itself, {@link Application#run} returns the others.
 */
public final class ExitCodes {
    /** Success (jobs SUCCESS, SKIPPED or not selected). */
    public static final int OK = 0;
    /** The run executed and a job FAILED; also an unexpected internal error of the engine. */
    public static final int JOB_FAILED = 1;
    /** Usage error, invalid flow/manifest YAML, template error detected before execution. */
    public static final int INVALID = 2;
    /** Plugin set or trust problem, unknown step type or driver. */
    public static final int PLUGINS = 3;
    /** Environment problem: state store unusable, installation or framework storage unusable, secrets provider failed. */
    public static final int ENVIRONMENT = 4;
    /** A lock was held by another live run; the work was not done (cron may retry). */
    public static final int LOCK_BUSY = 75;
    /** Interrupted by SIGINT/SIGTERM; state marked INTERRUPTED, resumable. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
