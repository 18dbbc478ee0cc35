package io.aetherflow.launch;

import java.nio.file.Path;
import java.util.List;

/**
 * What the launcher knows about the installation when it calls the engine.
 *
 * @param home the installation directory (holds {@code bin/}, {@code lib/}, {@code bundles/})
 * @param version the distribution version
 * @param lockFile the plugin lock in force
 * @param pluginSetHash SHA-256 of the lock file's content: identifies the plugin set that runs
 * @param bundles the locked bundles, in lock order
 * @param startNanos {@link System#nanoTime()} when the launcher's main method started
 * @param trustMode the signing mode in force, or null when no signatures were checked
 * @param trust the signature verdict of every locked bundle, in lock order (empty when none were checked)
 * @param cacheDir the per-user cache directory ({@link CacheRoot}), or null to let the engine compute it
 * @since 2.0.0 (trustMode, trust, cacheDir)
 */
public record LaunchInfo(Path home, String version, Path lockFile, String pluginSetHash,
        List<LockedBundle> bundles, long startNanos, TrustMode trustMode, List<BundleTrust> trust, Path cacheDir) {

    /** Copies the lists. */
    public LaunchInfo {
        bundles = List.copyOf(bundles);
        trust = trust == null ? List.of() : List.copyOf(trust);
    }

    /**
     * The 1.0 form (kept): no verdicts, no mode, the cache directory left to the engine.
     *
     * @param home the installation directory
     * @param version the distribution version
     * @param lockFile the plugin lock in force
     * @param pluginSetHash SHA-256 of the lock file's content
     * @param bundles the locked bundles, in lock order
     * @param startNanos {@link System#nanoTime()} when the launcher's main method started
     */
    public LaunchInfo(Path home, String version, Path lockFile, String pluginSetHash, List<LockedBundle> bundles,
            long startNanos) {
        this(home, version, lockFile, pluginSetHash, bundles, startNanos, null, List.of(), null);
    }
}
