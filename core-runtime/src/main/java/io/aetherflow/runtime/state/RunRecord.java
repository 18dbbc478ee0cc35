package io.aetherflow.runtime.state;

/**
 * One row of the {@code runs} table. Times are epoch milliseconds.
 *
 * @param flowId flow id
 * @param runId run id
 * @param status run status
 * @param startedAtMs when the latest attempt began
 * @param endedAtMs when it ended (null while RUNNING); for a run found dead, its last heartbeat
 * @param heartbeatAtMs last heartbeat (null if never)
 * @param host host of the latest attempt
 * @param pid process id of the latest attempt (null if unknown)
 * @param pluginSetHash plugin lock hash (nullable)
 * @param flowYaml flow file path (nullable)
 * @param flowSha256 flow file SHA-256 (nullable)
 * @param error one-line error of a FAILED or INTERRUPTED run (nullable)
 * @param summaryJson run summary as JSON text (nullable)
 * @param attempt 1 for the first attempt, incremented on every resume with the same run id
 */
public record RunRecord(String flowId, String runId, RunStatus status, long startedAtMs, Long endedAtMs,
        Long heartbeatAtMs, String host, Long pid, String pluginSetHash, String flowYaml, String flowSha256,
        String error, String summaryJson, int attempt) {

    /** @return ended minus started in milliseconds, or null while running */
    public Long durationMs() {
        return endedAtMs == null ? null : endedAtMs - startedAtMs;
    }
}
