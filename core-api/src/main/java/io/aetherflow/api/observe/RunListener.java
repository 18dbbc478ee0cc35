package io.aetherflow.api.observe;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives run, job and step lifecycle callbacks right after the matching log event. Exceptions
 * thrown by a listener are logged as warnings and otherwise ignored. All methods default to no-ops.
 */
@ConsumerType
public interface RunListener {

    /** Service property: the name selected by {@code AETHERFLOW_METRICS_MODULE}. */
    String NAME_PROPERTY = "aetherflow.metrics.name";

    /**
     * @param flowId flow id
     * @param runId run id
     */
    default void onRunStart(String flowId, String runId) {
    }

    /**
     * Called on every outcome (success, failure, interruption).
     *
     * @param flowId flow id
     * @param runId run id
     * @param summary the {@code run_end} summary: {@code status}, {@code duration_ms},
     *                {@code status_counts}, {@code jobs}
     */
    default void onRunEnd(String flowId, String runId, Map<String, Object> summary) {
    }

    /**
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     */
    default void onJobStart(String flowId, String runId, String jobId) {
    }

    /**
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param status SUCCESS, SKIPPED or FAILED
     * @param durationMs wall time in milliseconds
     */
    default void onJobEnd(String flowId, String runId, String jobId, String status, long durationMs) {
    }

    /**
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param stepId step id
     * @param stepType step type
     */
    default void onStepStart(String flowId, String runId, String jobId, String stepId, String stepType) {
    }

    /**
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param stepId step id
     * @param stepType step type
     * @param status SUCCESS, SKIPPED or FAILED
     * @param durationMs wall time in milliseconds
     */
    default void onStepEnd(String flowId, String runId, String jobId, String stepId, String stepType,
            String status, long durationMs) {
    }
}
