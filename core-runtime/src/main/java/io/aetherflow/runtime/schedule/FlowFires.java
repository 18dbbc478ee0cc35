package io.aetherflow.runtime.schedule;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.bundle.BundleWiring;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.run.FlowRun;
import io.aetherflow.runtime.run.RunRequest;
import io.aetherflow.runtime.run.StateTarget;
import io.aetherflow.runtime.run.StoreAccess;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StorePool;
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
 * <p>The runs' state stores come from a {@link StorePool}: a fire reuses a store an earlier fire
 * of the same state file or database (and the same busy timeout) has handed back, with its open
 * connection, prepared statements and checked schema, instead of opening one; concurrent fires get
 * stores of their own. {@link #close()} closes the idle stores.
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
 * @param stores the pool the fires' state stores are leased from
 */
public record FlowFires(PluginCatalog catalog, Map<String, Connector> processCache, PrintStream err,
        Map<String, String> osEnv, Path cwd, String pluginSetHash, Path cacheDir,
        Function<ScheduleItem, BundleWiring> bundles, StorePool stores) implements FireRunner {

    /** Idle SQLite stores kept per file: an idle connection costs a file descriptor and its statements. */
    static final int MAX_IDLE_SQLITE = 64;
    /** Idle PostgreSQL stores kept per database: each holds a server connection (a slot of max_connections). */
    static final int MAX_IDLE_POSTGRES = 4;

    /** Stores of equal keys are interchangeable: the same target, opened with the same busy timeout. */
    private record PoolKey(StateTarget target, String busyTimeout) {
    }

    /** Fires with a pool of their own (the other components as in the canonical constructor). */
    public FlowFires(PluginCatalog catalog, Map<String, Connector> processCache, PrintStream err,
            Map<String, String> osEnv, Path cwd, String pluginSetHash, Path cacheDir,
            Function<ScheduleItem, BundleWiring> bundles) {
        this(catalog, processCache, err, osEnv, cwd, pluginSetHash, cacheDir, bundles, new StorePool());
    }

    @Override
    public int run(ScheduleItem item, Instant scheduledAt, String runId) {
        try {
            BundleWiring bundle = item.bundleManifest() == null ? null : bundles.apply(item);
            Path flow = bundle != null ? bundle.flowFor(item.flowYaml()) : cwd.resolve(item.flowYaml());
            RunRequest req = new RunRequest(flow, runId, item.flowJob(), osEnv, cwd, pluginSetHash, cacheDir, bundle);
            return new FlowRun(catalog, processCache, err, this::store).execute(req);
        } catch (UserError e) {
            err.println(Quote.escape("aetherflow: error: item " + item.id() + " (fire " + scheduledAt + "): "
                    + e.getMessage()));
            return e.exitCode();
        }
    }

    private StateStore store(StateTarget target, Path storeCacheDir, Map<String, String> env) {
        return stores.lease(new PoolKey(target, env.get("AETHERFLOW_STATE_BUSY_TIMEOUT")),
                target.shared() ? MAX_IDLE_POSTGRES : MAX_IDLE_SQLITE, () -> StoreAccess.open(target, storeCacheDir, env));
    }

    /**
     * @param target a store
     * @param env the environment the fires run with
     * @return how many stores of that target are idle in the pool (tests)
     */
    int idleStores(StateTarget target, Map<String, String> env) {
        return stores.idleCount(new PoolKey(target, env.get("AETHERFLOW_STATE_BUSY_TIMEOUT")));
    }

    /** Closes the idle state stores; stores of runs still going close when those runs end. */
    @Override
    public void close() {
        stores.close();
    }
}
