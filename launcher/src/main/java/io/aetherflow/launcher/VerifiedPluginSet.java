package io.aetherflow.launcher;

import java.util.List;

/**
 * The outcome of {@link LockVerifier#verify}: every locked jar is present and unchanged.
 *
 * @param lock the lock
 * @param bundles the verified bundles, in lock order
 * @param warnings one-line notices for the user (e.g. unlocked jars in plugin paths that are ignored)
 */
public record VerifiedPluginSet(PluginLock lock, List<VerifiedBundle> bundles, List<String> warnings) {

    /** Defensive copies. */
    public VerifiedPluginSet {
        bundles = List.copyOf(bundles);
        warnings = List.copyOf(warnings);
    }

    /**
     * @param distributionVersion the installation's version (a new release may bring another framework)
     * @return key of the framework storage for this set: the distribution version, the plugin-set hash
     *     and every bundle's location, so a different lock, release or installation directory never
     *     reuses a stale cache
     */
    public String storageKey(String distributionVersion) {
        StringBuilder sb = new StringBuilder(distributionVersion).append('\n').append(lock.sha256());
        for (VerifiedBundle b : bundles) {
            sb.append('\n').append(b.location());
        }
        return CacheDirs.key(sb.toString());
    }
}
