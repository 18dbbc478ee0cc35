package io.aetherflow.itests;

import io.aetherflow.api.observe.RunListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;

/** A plugin-provided run listener, selected by AETHERFLOW_METRICS_MODULE=itest-metrics (itests.bndrun). */
@Component(property = RunListener.NAME_PROPERTY + "=itest-metrics")
public final class ItestMetrics implements RunListener {

    /** Lifecycle calls seen, as "callback run_id detail" (test-only recorder). */
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    @Override
    public void onRunStart(String flowId, String runId) {
        CALLS.add("run_start " + runId);
    }

    @Override
    public void onStepEnd(String flowId, String runId, String jobId, String stepId, String stepType, String status,
            long durationMs) {
        CALLS.add("step_end " + runId + " " + stepId + " " + status);
    }

    @Override
    public void onRunEnd(String flowId, String runId, Map<String, Object> summary) {
        CALLS.add("run_end " + runId + " " + summary.get("status"));
    }
}
