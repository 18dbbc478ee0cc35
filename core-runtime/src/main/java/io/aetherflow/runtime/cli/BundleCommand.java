package io.aetherflow.runtime.cli;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.support.Json;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.bundle.BundleDirs;
import io.aetherflow.runtime.bundle.BundleManifest;
import io.aetherflow.runtime.bundle.BundleService;
import io.aetherflow.runtime.bundle.BundleSync;
import io.aetherflow.runtime.bundle.BundleWiring;
import io.aetherflow.runtime.bundle.PinCheck;
import io.aetherflow.runtime.UserError;
import io.aetherflow.launch.LaunchInfo;
import io.aetherflow.launch.BundleTrust;
import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launch.PluginLoadException;
import io.aetherflow.launch.ShippedPlugins;
import io.aetherflow.runtime.env.EnvSnapshot;
import io.aetherflow.runtime.env.Settings;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.yaml.YamlCache;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code aetherflow bundle sync|status}, and the one sync that {@code run}, {@code validate},
 * {@code doctor} and {@code explain} do with {@code --bundle-manifest}. Output and JSON keys as the
 * reference's CLI. The record holds what the commands use: the plugin catalog, the process-wide
 * connector cache, the output streams, the OS environment, the working directory and the launch info.
 */
record BundleCommand(PluginCatalog catalog, Map<String, Connector> processCache, PrintStream out, PrintStream err,
        Map<String, String> osEnv, Path cwd, LaunchInfo info) {

    int sync(EngineCommand.BundleSync c) {
        // as the reference: the OS environment, without env files
        long t0 = System.nanoTime();
        BundleManifest m = BundleService.load(c.bundleManifest(), cwd, yamlCache());
        debug(String.format(java.util.Locale.ROOT, "manifest %s read (%.1f ms)", c.bundleManifest(),
                (System.nanoTime() - t0) / 1e6));
        BundleDirs dirs = dirs(m, c.workRoot(), osEnv);
        BundleSync.Result r = service().sync(m, dirs, osEnv, c.allowStaleBundle());
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bundle_manifest", c.bundleManifest());
        o.put("local_root", dirs.active().toString());
        dirs.putDirs(o);
        o.put("fingerprint", r.fingerprint());
        o.put("changed", r.changed());
        o.put("fetched_files", r.fetchedFiles());
        if (c.json()) {
            out.println(Json.writeSpaced(o));
        } else {
            out.println((r.changed() ? "CHANGED" : "UNCHANGED") + ": bundle synced to " + dirs.active() + " fingerprint="
                    + r.fingerprint());
            if (c.printLocalRoot()) {
                out.println(dirs.active());
            }
        }
        return ExitCodes.OK;
    }

    int status(EngineCommand.BundleStatus c) {
        BundleManifest m = BundleService.load(c.bundleManifest(), cwd, yamlCache());
        BundleDirs dirs = dirs(m, c.workRoot(), osEnv);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bundle_manifest", c.bundleManifest());
        o.putAll(BundleService.status(m, dirs));
        PinCheck pin = pin(m);
        if (pin != null) {
            o.put("plugin_set", pin.toJson());
        }
        if (c.json()) {
            out.println(Json.writeSpaced(o));
        } else {
            Object fp = o.get("fingerprint");
            out.println("bundle_id=" + m.bundleId() + " fingerprint=" + (fp == null ? "(none)" : fp) + " has_active="
                    + (Boolean.TRUE.equals(o.get("has_active")) ? "yes" : "no"));
            out.println("active_dir=" + dirs.active());
            out.println("cache_dir=" + dirs.cache());
            out.println("fingerprints_dir=" + dirs.fingerprints());
            if (pin != null) {
                List<String> problems = pin.problems();
                out.println("plugin_set=pinned satisfied=" + (problems.isEmpty() ? "yes" : "no: " + String.join("; ", problems)));
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The one sync of a run or check: with the run's snapshot (OS env and {@code AETHERFLOW_ENV_FILES_JSON}),
     * into {@code AETHERFLOW_WORK_ROOT}.
     *
     * @param manifestPath {@code --bundle-manifest}
     * @param allowStale {@code --allow-stale-bundle}
     * @param run true for {@code run}: a pinned plugin set must be satisfied (else exit 3)
     * @return how the bundle wires the run
     */
    BundleWiring prepare(String manifestPath, boolean allowStale, boolean run) {
        return prepareWithPlugins(manifestPath, allowStale, run).wiring();
    }

    /**
     * A synced bundle and the plugin jars it ships, loaded for the rest of the process.
     *
     * @param wiring how the bundle wires the run
     * @param plugins what the launcher loaded from the bundle's plugin directories, or null outside the launcher
     */
    record Prepared(BundleWiring wiring, ShippedPlugins.Loaded plugins) {
    }

    /**
     * {@link #prepare}, returning the loaded plugin jars too ({@code plugins list --bundle-manifest}).
     *
     * @param manifestPath {@code --bundle-manifest}
     * @param allowStale {@code --allow-stale-bundle}
     * @param run true for {@code run}: a pinned plugin set must be satisfied (else exit 3)
     * @return the wiring and the loaded jars
     */
    Prepared prepareWithPlugins(String manifestPath, boolean allowStale, boolean run) {
        BundleManifest m = BundleService.load(manifestPath, cwd, yamlCache());
        PinCheck pin = run ? pin(m) : null;
        if (pin != null && !pin.satisfied()) {
            throw new UserError(ExitCodes.PLUGINS, "bundle " + m.bundleId() + " pins a plugin set this installation does not "
                    + "satisfy: " + String.join("; ", pin.problems()) + " (install the pinned plugins, or update plugins: in "
                    + manifestPath + ")");
        }
        Map<String, String> env = EnvSnapshot.build(osEnv, cwd);
        BundleSync.Result r = service().sync(m, dirs(m, null, env), env, allowStale);
        BundleWiring wiring = BundleWiring.of(m, r);
        return new Prepared(wiring, loadPlugins(wiring));
    }

    /**
     * Loads the plugin jars the synced bundle ships (before its flow is validated or run), through the
     * launcher, which verifies them like {@code plugins.lock}.
     *
     * @return what was loaded, or null outside the launcher
     * @throws UserError exit 3 when a jar is refused
     */
    private ShippedPlugins.Loaded loadPlugins(BundleWiring wiring) {
        ShippedPlugins loader = catalog.shippedPlugins().orElse(null);
        if (loader == null) {
            return null;
        }
        ShippedPlugins.Loaded loaded;
        try {
            loaded = loader.load(wiring.pluginRequest(cwd));
        } catch (PluginLoadException e) {
            throw new UserError(ExitCodes.PLUGINS, e.getMessage(), e);
        }
        loaded.warnings().forEach(w -> err.println("WARNING aetherflow.core.bundle: " + w));
        for (int i = 0; i < loaded.bundles().size(); i++) {
            LockedBundle b = loaded.bundles().get(i);
            BundleTrust t = loaded.trust().get(i);
            debug("bundle " + wiring.manifest().bundleId() + ": plugin " + b.symbolicName() + " " + b.version() + " ("
                    + b.fileName() + ") loaded, trust " + t.status().label());
        }
        return loaded;
    }

    /** @return the check of the manifest's pinned plugin set against this installation, or null without a pin */
    private PinCheck pin(BundleManifest m) {
        if (m.pin() == null) {
            return null;
        }
        return new PinCheck(m.pin(), info == null ? null : info.pluginSetHash(),
                info == null ? List.of() : info.bundles());
    }

    /** @return the launcher's cache of loaded YAML files, or none outside the launcher */
    private YamlCache yamlCache() {
        return info == null ? YamlCache.NONE : YamlCache.in(info.cacheDir(), info.pluginSetHash());
    }

    private BundleService service() {
        return new BundleService(catalog, processCache, w -> err.println("WARNING aetherflow.core.bundle: " + w),
                debug() ? this::debug : null);
    }

    /** @return whether {@code AETHERFLOW_LOG_LEVEL=DEBUG}: then the sync's phases are timed on stderr */
    private boolean debug() {
        return "DEBUG".equalsIgnoreCase(osEnv.getOrDefault("AETHERFLOW_LOG_LEVEL", "").strip());
    }

    private void debug(String what) {
        if (debug()) {
            err.println("DEBUG aetherflow.core.bundle: " + what);
        }
    }

    private BundleDirs dirs(BundleManifest m, String workRoot, Map<String, String> env) {
        return BundleDirs.of(BundleDirs.workRoot(workRoot, Settings.from(env).workRoot(), cwd), m.bundleId());
    }
}
