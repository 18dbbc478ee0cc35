package io.aetherflow.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * The per-user cache directory and what the launcher keeps in it:
 * <pre>
 * &lt;root&gt;/                      AETHERFLOW_CACHE_HOME, else $XDG_CACHE_HOME/aetherflow, else ~/.cache/aetherflow
 *   jar-hashes/&lt;home-key&gt;.txt   remembered jar digests of one installation ({@link JarHashes})
 *   felix/&lt;set-key&gt;/            OSGi framework storage of one plugin set in one installation
 *   felix/&lt;set-key&gt;.lock        file lock held by the launcher that uses that storage
 *   cds/                          class-data-sharing archives written by bin/aetherflow
 * </pre>
 * Keys are the first 16 hex digits of a SHA-256: of the installation path ({@code home-key}), and
 * of the distribution version, the plugin-set hash and every bundle's absolute location
 * ({@code set-key}), so a changed lock, a new release, a moved installation or other plugin paths
 * never reuse a stale framework cache.
 *
 * @param root the cache root (absolute)
 */
public record CacheDirs(Path root) {

    /**
     * @param env the process environment
     * @param userHome the user's home directory ({@code user.home})
     * @return the cache directories
     */
    public static CacheDirs from(Map<String, String> env, String userHome) {
        String own = env.get("AETHERFLOW_CACHE_HOME");
        if (own != null && !own.isBlank()) {
            return new CacheDirs(Path.of(own).toAbsolutePath());
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return new CacheDirs(Path.of(xdg, "aetherflow"));
        }
        return new CacheDirs(Path.of(userHome, ".cache", "aetherflow"));
    }

    /**
     * @param home an installation directory
     * @return the file that remembers that installation's jar digests
     */
    public Path jarHashes(Path home) {
        return root.resolve("jar-hashes").resolve(key(home.toString()) + ".txt");
    }

    /**
     * @param setKey the plugin set's key ({@link VerifiedPluginSet#storageKey(String)})
     * @return the framework storage directory of that set
     */
    public Path frameworkStorage(String setKey) {
        return root.resolve("felix").resolve(setKey);
    }

    /**
     * @param text anything
     * @return the first 16 hex digits of its SHA-256
     */
    static String key(String text) {
        return Sha256.hex(text).substring(0, 16);
    }
}
