package io.aetherflow.api.step;

/**
 * A lock is held by another live run and the step wants the run to stop without doing its work:
 * the engine marks the job and the run FAILED with this message and exits with code 75, so cron or
 * systemd can simply retry later.
 */
public class LockBusyException extends StepFailedException {
    private static final long serialVersionUID = 1L;

    /** @param message which lock is busy and who holds it */
    public LockBusyException(String message) {
        super(message);
    }
}
