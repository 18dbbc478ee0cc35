package io.aetherflow.runtime.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code aetherflow run} was asked to do.
 *
 * @param flowYaml the flow file
 * @param runId the run id to use or resume, or null for a new one
 * @param flowJob run only this job, or null for all
 * @param osEnv the process environment (never modified)
 * @param cwd the working directory relative paths resolve against
 * @param pluginSetHash hash of the plugin lock in force, or null outside the launcher
 * @param cacheDir per-user cache directory (native libraries), or null for the default
 * @param bundle the synced asset bundle the run executes ({@code flowYaml} is then its entry flow), or null
 */
public record RunRequest(Path flowYaml, String runId, String flowJob, Map<String, String> osEnv, Path cwd,
        String pluginSetHash, Path cacheDir, io.aetherflow.runtime.bundle.BundleWiring bundle) {
}
