package io.aetherflow.runtime.run;

import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.RunObserver;
import io.aetherflow.runtime.plugins.PluginCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Everything one run shares between its jobs and steps.
 *
 * @param flowId flow id
 * @param runId run id
 * @param env the run's environment snapshot (unmodifiable)
 * @param enterprise enterprise mode for steps
 * @param strictSandbox step path sandbox on
 * @param workRoot the sandbox's allowed work root
 * @param workspace directory layout
 * @param catalog plugin catalog
 * @param connectors connector manager
 * @param locks lock service
 * @param log event log
 * @param observer lifecycle events
 * @param masker secret masker
 */
public record RunSession(String flowId, String runId, Map<String, String> env, boolean enterprise,
        boolean strictSandbox, Path workRoot, Workspace workspace, PluginCatalog catalog, ConnectorManager connectors,
        LockService locks, EventLog log, RunObserver observer, UnaryOperator<String> masker) {
}
