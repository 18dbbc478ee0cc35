package io.aetherflow.runtime.state;

import java.util.Map;

/**
 * A job's stored state. Times are epoch milliseconds.
 *
 * @param flowId flow id (null for a legacy row)
 * @param runId run id
 * @param jobId job id
 * @param status status
 * @param startedAtMs start (nullable)
 * @param endedAtMs end (nullable)
 * @param durationMs duration (nullable)
 * @param outputs promoted outputs restored from JSON (empty if none)
 * @param error error text (nullable)
 * @param updatedAtMs last write
 * @param legacy true when only the reference table {@code job_runs} had the row (written by the
 *     Python AetherFlow, so without flow id, timings or outputs)
 */
public record JobRecord(String flowId, String runId, String jobId, String status, Long startedAtMs, Long endedAtMs,
        Long durationMs, Map<String, Object> outputs, String error, long updatedAtMs, boolean legacy) {

    /** Copies the outputs. */
    public JobRecord {
        outputs = Outputs.copy(outputs);
    }
}
