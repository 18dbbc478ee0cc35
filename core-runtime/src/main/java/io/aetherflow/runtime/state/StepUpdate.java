package io.aetherflow.runtime.state;

import java.util.Map;

/**
 * A step status change for {@link StateStore#setStepStatus}. Times are epoch milliseconds.
 *
 * <p>Every write replaces status, end time, outputs and error of the step's detail row; a null
 * {@code startedAtMs}, {@code stepType} or {@code servedBy} keeps the stored value.
 *
 * @param status step status as returned by the step ({@code SUCCESS}, {@code SKIPPED}, custom),
 *     or {@code RUNNING}/{@code FAILED}/{@code INTERRUPTED} when the runner records those
 * @param stepType step type name (nullable)
 * @param servedBy the bundle that served the step type, {@code "<symbolic name> <version>"} (nullable)
 * @param startedAtMs start time or null to keep
 * @param endedAtMs end time or null
 * @param outputs step output map (never null after construction; null values allowed)
 * @param error one-line error text (nullable; must already be masked)
 */
public record StepUpdate(String status, String stepType, String servedBy, Long startedAtMs, Long endedAtMs,
        Map<String, Object> outputs, String error) {

    /** Validates and copies. */
    public StepUpdate {
        Outputs.requireStatus(status, "step");
        outputs = Outputs.copy(outputs);
    }

    /**
     * @param status status without timings or outputs (e.g. SKIPPED by a short-circuit)
     * @return the update
     */
    public static StepUpdate of(String status) {
        return new StepUpdate(status, null, null, null, null, Map.of(), null);
    }

    /**
     * @param status final status
     * @param stepType step type
     * @param servedBy serving bundle
     * @param startedAtMs start time
     * @param endedAtMs end time
     * @param outputs the step's output map
     * @return a completed-step update
     */
    public static StepUpdate finished(String status, String stepType, String servedBy, long startedAtMs,
            long endedAtMs, Map<String, ?> outputs) {
        return new StepUpdate(status, stepType, servedBy, startedAtMs, endedAtMs, Outputs.copy(outputs), null);
    }
}
