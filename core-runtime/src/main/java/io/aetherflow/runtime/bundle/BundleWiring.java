package io.aetherflow.runtime.bundle;

import io.aetherflow.runtime.env.EnvFiles;
import io.aetherflow.runtime.env.Profiles;
import io.aetherflow.launch.ShippedPlugins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a synced bundle changes a run's (or a check's) environment snapshot (catalog §3.1 step 3,
 * §6.1, §6.7): the flow is {@code <active>/<entry_flow>}; {@code AETHERFLOW_PROFILES_FILE} names the
 * bundle's profiles file; the manifest's env files load relative to the active tree after
 * {@code AETHERFLOW_ENV_FILES_JSON} (SPEC §4 row 9); internal_fast maps {@code layout.plugins_dir} to
 * {@code AETHERFLOW_PLUGIN_PATHS}; enterprise drops the ambient plugin paths for {@code paths.plugins}
 * and, in runs, the sandbox opt-out. Runs also get the mode keys and the bundle directories.
 *
 * @param manifest the manifest
 * @param result the sync
 * @param activeTree the tree the run uses (the resolved target of {@code active}, stable while later
 *        syncs publish newer trees)
 */
public record BundleWiring(BundleManifest manifest, BundleSync.Result result, Path activeTree) {

    /** File name of a bundle's own plugin lock (the format of the installation's {@code plugins.lock}). */
    public static final String LOCK_FILE = "plugins.lock";

    /**
     * @param manifest the manifest
     * @param result the sync
     * @return the wiring, with {@code active} resolved
     */
    public static BundleWiring of(BundleManifest manifest, BundleSync.Result result) {
        Path active = result.dirs().active();
        try {
            active = active.toRealPath();
        } catch (java.io.IOException e) {
            // a stale fallback without a tree is refused earlier; keep the link path
        }
        return new BundleWiring(manifest, result, active);
    }

    /** @return the entry flow in the active tree */
    public Path entryFlow() {
        return activeTree.resolve(manifest.entryFlow().strip());
    }

    /**
     * @param flow a flow path as given, or null
     * @return the flow to check: relative paths are taken in the active tree, none means the entry flow
     */
    public Path flowFor(String flow) {
        if (flow == null || flow.isEmpty()) {
            return entryFlow();
        }
        Path p = Path.of(flow);
        return p.isAbsolute() ? p : activeTree.resolve(p);
    }

    /**
     * @param env the snapshot so far (OS env and {@code AETHERFLOW_ENV_FILES_JSON})
     * @param run true for {@code run} (mode keys, sandbox rule, directories), false for checks
     * @return the new snapshot
     */
    public Map<String, String> apply(Map<String, String> env, boolean run) {
        Map<String, String> out = new LinkedHashMap<>(env);
        boolean enterprise = manifest.enterprise();
        if (run) {
            out.put("AETHERFLOW_MODE", manifest.mode());
            out.put("AETHERFLOW_MODE_ENTERPRISE", enterprise ? "True" : "False");
        }
        if (enterprise) {
            if (run) {
                out.remove("AETHERFLOW_STRICT_SANDBOX");
            }
            out.remove("AETHERFLOW_PLUGIN_PATHS");
            if (!manifest.pluginPaths().isEmpty()) {
                out.put("AETHERFLOW_PLUGIN_PATHS", String.join(",", manifest.pluginPaths()));
            }
        }
        out.putAll(EnvFiles.load(manifest.envFiles(), activeTree));
        // the bundle's profiles file is the profile source (the reference fails when PROFILES_JSON is also set)
        out.remove(Profiles.PROFILES_JSON);
        out.put(Profiles.PROFILES_FILE, activeTree.resolve(manifest.layout().profilesFile()).toString());
        if (!enterprise && manifest.layout().pluginsDir() != null) {
            out.put("AETHERFLOW_PLUGIN_PATHS", activeTree.resolve(manifest.layout().pluginsDir()).toString());
        }
        if (run) {
            out.put("AETHERFLOW_LOCAL_ROOT_DIR", activeTree.toString());
            out.put("AETHERFLOW_ACTIVE_DIR", activeTree.toString());
            out.put("AETHERFLOW_CACHE_DIR", result.dirs().cache().toString());
        }
        return out;
    }

    /**
     * The plugin jars the bundle ships, as the launcher loads them ({@link ShippedPlugins}): the directory
     * {@code layout.plugins_dir} of the active tree, and in enterprise mode also {@code paths.plugins}
     * (relative ones from the working directory, as {@code AETHERFLOW_PLUGIN_PATHS}); the bundle's lock is
     * {@code plugins.lock} in {@code layout.plugins_dir}, or at the root of the tree without one.
     *
     * @param cwd the working directory
     * @return the request
     */
    public ShippedPlugins.Request pluginRequest(Path cwd) {
        List<Path> dirs = new ArrayList<>();
        String pluginsDir = manifest.layout().pluginsDir();
        Path lockDir = activeTree;
        if (pluginsDir != null) {
            lockDir = activeTree.resolve(pluginsDir.strip()).normalize();
            dirs.add(lockDir);
        }
        if (manifest.enterprise()) {
            for (String p : manifest.pluginPaths()) {
                dirs.add(cwd.resolve(p).toAbsolutePath().normalize());
            }
        }
        return new ShippedPlugins.Request(manifest.bundleId(), manifest.file(), dirs, lockDir.resolve(LOCK_FILE),
                manifest.enterprise());
    }

    /** @return the archive drivers enterprise mode allows (the manifest's {@code zip_drivers}) */
    public Set<String> zipDrivers() {
        return manifest.zipDrivers();
    }

    /** @return the variables a run must not overwrite later (the runner sets them for a plain flow) */
    public static List<String> directoryKeys() {
        return List.of("AETHERFLOW_LOCAL_ROOT_DIR", "AETHERFLOW_ACTIVE_DIR", "AETHERFLOW_CACHE_DIR");
    }
}
