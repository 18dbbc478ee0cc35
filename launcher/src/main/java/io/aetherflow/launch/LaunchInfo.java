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
 */
public record LaunchInfo(Path home, String version, Path lockFile, String pluginSetHash,
        List<LockedBundle> bundles, long startNanos) {
}
