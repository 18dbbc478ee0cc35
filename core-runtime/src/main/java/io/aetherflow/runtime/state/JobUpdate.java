package io.aetherflow.runtime.state;

import java.util.Map;

/**
 * A job status change for {@link StateStore#setJobStatus}. Times are epoch milliseconds.
 *
 * <p>Every write replaces status, end time, outputs and error of the job's detail row; a null
 * {@code startedAtMs} keeps the start time already stored (so {@code RUNNING} can carry the start
 * and {@code SUCCESS} only the end). The duration is computed from the two.
 *
 * @param status job status ({@code RUNNING}, {@code SUCCESS}, {@code FAILED}, {@code SKIPPED},
 *     {@code BLOCKED}, {@code INTERRUPTED})
 * @param startedAtMs start time, or null to keep the stored one
 * @param endedAtMs end time, or null while running / not applicable
 * @param outputs promoted job outputs (never null after construction; null values allowed)
 * @param error one-line error text of a FAILED job (nullable; must already be masked)
 */
public record JobUpdate(String status, Long startedAtMs, Long endedAtMs, Map<String, Object> outputs, String error) {

    /** Validates and copies. */
    public JobUpdate {
        Outputs.requireStatus(status, "job");
        outputs = Outputs.copy(outputs);
    }

    /**
     * @param status status without timings (BLOCKED, SKIPPED by {@code when})
     * @return the update
     */
    public static JobUpdate of(String status) {
        return new JobUpdate(status, null, null, Map.of(), null);
    }

    /**
     * @param startedAtMs start time
     * @return a RUNNING update
     */
    public static JobUpdate running(long startedAtMs) {
        return new JobUpdate("RUNNING", startedAtMs, null, Map.of(), null);
    }

    /**
     * @param status final status
     * @param endedAtMs end time
     * @param outputs promoted outputs
     * @param error error text or null
     * @return a final update keeping the stored start time
     */
    public static JobUpdate finished(String status, long endedAtMs, Map<String, ?> outputs, String error) {
        return new JobUpdate(status, null, endedAtMs, Outputs.copy(outputs), error);
    }
}
