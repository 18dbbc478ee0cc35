package io.aetherflow.launcher;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The per-user cache directory and what the launcher keeps in it:
 * <pre>
 * &lt;root&gt;/                      AETHERFLOW_CACHE_HOME, else $XDG_CACHE_HOME/aetherflow, else $HOME/.cache/aetherflow,
 *                                else (HOME unset) ${TMPDIR:-/tmp}/aetherflow-cache-&lt;uid&gt; (0700, ours)
 *   jar-hashes/&lt;home-key&gt;.txt   remembered jar digests of one installation ({@link JarHashes})
 *   trust/&lt;home-key&gt;.txt        remembered signature verdicts of one installation's plugins ({@link TrustCheck})
 *   felix/&lt;set-key&gt;/            OSGi framework storage of one plugin set in one installation
 *   felix/&lt;set-key&gt;.lock        file lock held by the launcher that uses that storage
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
        String own = env.get("AETHERFLOW_CACHE_HOME");
        if (own != null && !own.isBlank()) {
            return new CacheDirs(Path.of(own).toAbsolutePath());
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return new CacheDirs(Path.of(xdg, "aetherflow"));
        }
        // $HOME as bin/aetherflow reads it (the JVM's user.home comes from the password database instead)
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            return new CacheDirs(Path.of(home, ".cache", "aetherflow").toAbsolutePath());
        }
        String tmp = env.get("TMPDIR");
        Path perUser = privateDir(Path.of(tmp == null || tmp.isBlank() ? "/tmp" : tmp));
        return new CacheDirs(perUser != null ? perUser : Path.of(userHome, ".cache", "aetherflow"));
    }

    /**
     * {@code <tmp>/aetherflow-cache-<uid>}, made with mode 0700 when missing; only a real directory
     * owned by this user counts (another user may have made, or linked, that name first).
     *
     * @param tmp the temporary directory
     * @return the directory, or null when it is not ours or the platform has no uids
     */
    static Path privateDir(Path tmp) {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Path dir = tmp.toAbsolutePath().resolve("aetherflow-cache-" + uid);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // checked below
            }
            boolean ours = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    && uid.equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            return ours ? dir : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return null;
        }
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
}
