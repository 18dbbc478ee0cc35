package io.aetherflow.runtime.schedule;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.bundle.BundleWiring;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.run.FlowRun;
import io.aetherflow.runtime.run.RunRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a fire as {@code aetherflow run --flow-yaml <item's flow> [--flow-job J]} would, in this
 * process: a fresh run id, its own environment snapshot (built from the scheduler's process
 * environment at each fire), its own connectors and workspace, the same state rows, events and
 * exit code; the engine's plugin catalog and connector cache are the warm host's.
 *
 * @param catalog the installed plugins
 * @param processCache the engine-wide connector cache
 * @param err where the runs log
 * @param osEnv the scheduler's process environment
 * @param cwd the directory relative flow paths resolve against (the scheduler's working directory)
 * @param pluginSetHash the plugin set in force, or null
 * @param cacheDir the launcher's cache directory, or null
 * @param bundles syncs a {@code bundle_manifest} item's bundle once per fire (as {@code run --bundle-manifest}
 *        does: pinned plugin set checked, the item's {@code allow_stale_bundle}) and says how it wires the run
 */
public record FlowFires(PluginCatalog catalog, Map<String, Connector> processCache, PrintStream err,
        Map<String, String> osEnv, Path cwd, String pluginSetHash, Path cacheDir, Function<ScheduleItem, BundleWiring> bundles) implements FireRunner {

    @Override
    public int run(ScheduleItem item, Instant scheduledAt, String runId) {
        try {
            BundleWiring bundle = item.bundleManifest() == null ? null : bundles.apply(item);
            Path flow = bundle != null ? bundle.flowFor(item.flowYaml()) : cwd.resolve(item.flowYaml());
            RunRequest req = new RunRequest(flow, runId, item.flowJob(), osEnv, cwd, pluginSetHash, cacheDir, bundle);
            return new FlowRun(catalog, processCache, err).execute(req);
        } catch (UserError e) {
            err.println(Quote.escape("aetherflow: error: item " + item.id() + " (fire " + scheduledAt + "): "
                    + e.getMessage()));
            return e.exitCode();
        }
    }
}
