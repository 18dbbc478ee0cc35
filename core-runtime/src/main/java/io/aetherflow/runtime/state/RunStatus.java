package io.aetherflow.runtime.state;

/** Status of a whole run in the {@code runs} table. */
public enum RunStatus {
    /** Started and (as far as the store knows) still executing. */
    RUNNING,
    /** Finished; no job failed. */
    SUCCESS,
    /** Finished; a job failed or the run aborted with an error. */
    FAILED,
    /** Killed, signalled or found dead (no heartbeat, process gone); resumable with the same run id. */
    INTERRUPTED
}
