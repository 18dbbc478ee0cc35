package io.aetherflow.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * Loads the plugin jars an asset bundle ships, for the rest of the process. The launcher registers
 * this service in the system bundle beside {@link PluginLoader}; the engine calls it after a bundle
 * sync, before it validates or runs the bundle's flow. The launcher verifies the jars with the same
 * checks as the installation's {@code plugins.lock} (the bundle's own lock: hashes, signer column,
 * signatures per policy), installs them into the running framework and adds them to the plugin index,
 * so their step types and drivers start lazily like installed ones.
 *
 * <p>Rules: in enterprise mode (the manifest's or the installation's) only jars listed in the bundle's
 * lock and signed by a trusted certificate load, and any other jar in the directories is refused; in
 * internal_fast every jar loads (the lock's jars only, when the bundle ships a lock) and its verdict is
 * returned for {@code plugins list}. A tampered jar, a changed or missing locked jar, or a jar that
 * does not resolve is refused in both modes. Loading the same jar again (a scheduler firing the same
 * bundle) is a no-op.
 *
 * @since 2.3.0
 */
public interface ShippedPlugins {

    /**
     * What to load.
     *
     * @param bundleId the asset bundle's id (for messages)
     * @param manifest the manifest file (for messages)
     * @param dirs the plugin directories, in search order (the bundle's {@code layout.plugins_dir}, then in
     *        enterprise mode {@code paths.plugins})
     * @param lockFile the bundle's lock ({@code plugins.lock} format); it may not exist
     * @param enterprise true when the manifest selects enterprise mode
     */
    record Request(String bundleId, Path manifest, List<Path> dirs, Path lockFile, boolean enterprise) {

        /** Copies the list. */
        public Request {
            dirs = List.copyOf(dirs);
        }
    }

    /**
     * What was loaded.
     *
     * @param lockFile the bundle's lock, or null when none was used (internal_fast without a lock)
     * @param pluginSetHash the plugin-set hash of the loaded jars (as of {@code plugins.lock}), or null when none loaded
     * @param trustMode the signing mode applied to the jars
     * @param bundles the loaded jars as lock entries, in load order (file name: the jar's path)
     * @param trust their verdicts, same order
     * @param warnings one-line notices (e.g. a jar not in the bundle's lock, not loaded)
     */
    record Loaded(Path lockFile, String pluginSetHash, TrustMode trustMode, List<LockedBundle> bundles,
            List<BundleTrust> trust, List<String> warnings) {

        /** Copies the lists. */
        public Loaded {
            bundles = List.copyOf(bundles);
            trust = List.copyOf(trust);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Verifies, installs and indexes the jars of a bundle's plugin directories.
     *
     * @param request the directories, the lock and the mode
     * @return what was loaded
     * @throws PluginLoadException (exit 3) naming the jar that is refused, missing, changed or does not
     *         resolve, and what to do; nothing of the request is loaded then
     */
    Loaded load(Request request);
}
