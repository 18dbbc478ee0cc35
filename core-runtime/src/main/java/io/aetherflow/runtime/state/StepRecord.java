package io.aetherflow.runtime.state;

import java.util.Map;

/**
 * A step's stored state, as used for resume and {@code runs show}. Times are epoch milliseconds.
 *
 * @param flowId flow id (null for a legacy row)
 * @param runId run id
 * @param jobId job id
 * @param stepId step id
 * @param status status
 * @param stepType step type (nullable)
 * @param servedBy serving bundle {@code "<bsn> <version>"} (nullable)
 * @param startedAtMs start (nullable)
 * @param endedAtMs end (nullable)
 * @param durationMs duration (nullable)
 * @param outputs step output map restored from JSON (empty if none)
 * @param error error text (nullable)
 * @param updatedAtMs last write
 * @param legacy true when only the reference table {@code step_runs} had the row (written by the
 *     Python AetherFlow: no outputs to restore)
 */
public record StepRecord(String flowId, String runId, String jobId, String stepId, String status, String stepType,
        String servedBy, Long startedAtMs, Long endedAtMs, Long durationMs, Map<String, Object> outputs,
        String error, long updatedAtMs, boolean legacy) {

    /** Copies the outputs. */
    public StepRecord {
        outputs = Outputs.copy(outputs);
    }

    /** @return true when resume skips this step (status SUCCESS or SKIPPED, as in the reference) */
    public boolean completed() {
        return "SUCCESS".equals(status) || "SKIPPED".equals(status);
    }
}
