package io.aetherflow.runtime.state;

import io.aetherflow.launch.ExitCodes;

/**
 * {@link StateStore#beginRun} refused because the same flow id and run id is RUNNING in a process
 * that is still alive. Maps to exit code 75 (the work was not done because another live run holds
 * it; cron may retry).
 */
public class RunActiveException extends StateStoreException {
    private static final long serialVersionUID = 1L;

    private final transient RunRecord active;

    /**
     * @param message one line: which run, where it runs, what to do
     * @param active the live run
     */
    public RunActiveException(String message, RunRecord active) {
        super(ExitCodes.LOCK_BUSY, message);
        this.active = active;
    }

    /** @return the run that is still alive */
    public RunRecord active() {
        return active;
    }
}
