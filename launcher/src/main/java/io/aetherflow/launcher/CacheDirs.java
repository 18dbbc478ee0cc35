package io.aetherflow.launcher;

import io.aetherflow.launch.CacheRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The per-user cache directory and what the launcher keeps in it:
 * <pre>
 * &lt;root&gt;/                      {@link CacheRoot#of}: AETHERFLOW_CACHE_HOME, else $XDG_CACHE_HOME/aetherflow,
 *                                else $HOME/.cache/aetherflow, else ${TMPDIR:-/tmp}/aetherflow-cache-&lt;uid&gt;
 *   jar-hashes/&lt;home-key&gt;.txt   remembered jar digests of one installation ({@link JarHashes})
 *   trust/&lt;home-key&gt;.txt        remembered signature verdicts of one installation's plugins ({@link TrustCheck})
 *   felix/&lt;set-key&gt;/            OSGi framework storage of one plugin set in one installation (slot 1)
 *   felix/&lt;set-key&gt;-N/          further shared slots, N = 2..{@link FrameworkStorage#SLOTS}
 *   felix/&lt;set-key&gt;[-N].lock    file lock held by the launcher that uses that slot ({@link FrameworkStorage})
 *   cds/                          class-data-sharing archives written by bin/aetherflow
 * </pre>
 * Keys are 16 hex digits ({@link #key}) of the installation path ({@code home-key}), and of the
 * distribution version, the plugin-set hash and every bundle's absolute location
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
        return new CacheDirs(CacheRoot.of(env, userHome));
    }

    /**
     * @param home an installation directory
     * @return the file that remembers that installation's jar digests
     */
    public Path jarHashes(Path home) {
        return root.resolve("jar-hashes").resolve(key(home.toString()) + ".txt");
    }

    /**
     * @param home an installation directory
     * @return the file that remembers the signature verdicts of that installation's plugins
     */
    public Path trustVerdicts(Path home) {
        return root.resolve("trust").resolve(key(home.toString()) + ".txt");
    }

    /**
     * @param setHash a plugin-set hash
     * @return the file that remembers what the bundles of that set declare ({@link PluginIndex})
     */
    public Path pluginIndex(String setHash) {
        return root.resolve("plugin-index").resolve(setHash + ".txt");
    }

    /**
     * @param setKey the plugin set's key ({@link VerifiedPluginSet#storageKey(String)})
     * @return the framework storage directory of that set
     */
    public Path frameworkStorage(String setKey) {
        return root.resolve("felix").resolve(setKey);
    }

    /**
     * A directory-name key. Not a security hash: what goes into a key is either already a SHA-256
     * (the plugin-set hash) or a path, and a warm storage is reconciled with the set anyway. FNV-1a
     * because the JDK's first MessageDigest costs 30+ ms of provider set-up at start-up.
     *
     * @param text anything
     * @return its 64-bit FNV-1a hash as 16 hex digits
     */
    static String key(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }

    /**
     * Replaces a cache file with {@code text}, atomically (a temporary sibling, then a rename), so a
     * reader never sees half a file. Best effort: the caches are an optimisation only, so a failure
     * leaves the old file (or none) and is not reported.
     *
     * @param file the cache file
     * @param text its new content
     * @return true when the file was written
     */
    static boolean replaceCacheFile(Path file, CharSequence text) {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do: the next save tries again
                }
            }
            return false;
        }
    }
}
