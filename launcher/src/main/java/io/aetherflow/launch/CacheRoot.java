package io.aetherflow.launch;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The per-user cache directory, computed in one place: {@code AETHERFLOW_CACHE_HOME}, else
 * {@code $XDG_CACHE_HOME/aetherflow} (absolute only), else {@code $HOME/.cache/aetherflow}, else (HOME
 * unset) {@code ${TMPDIR:-/tmp}/aetherflow-cache-<uid>} (0700, ours), else {@code user.home}'s
 * {@code .cache/aetherflow}. The launcher computes it once per process and hands it to the engine in
 * {@link LaunchInfo#cacheDir()}; the engine calls {@link #of} itself only when it runs without a launcher.
 */
public final class CacheRoot {

    private CacheRoot() {
    }

    /**
     * @param env the process environment
     * @param userHome the user's home directory ({@code user.home})
     * @return the cache root (absolute, not created except for the private temporary fallback)
     */
    public static Path of(Map<String, String> env, String userHome) {
        String own = env.get("AETHERFLOW_CACHE_HOME");
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath();
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "aetherflow");
        }
        // $HOME as bin/aetherflow reads it (the JVM's user.home comes from the password database instead)
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home, ".cache", "aetherflow").toAbsolutePath();
        }
        String tmp = env.get("TMPDIR");
        Path perUser = privateDir(Path.of(tmp == null || tmp.isBlank() ? "/tmp" : tmp));
        return perUser != null ? perUser : Path.of(userHome, ".cache", "aetherflow").toAbsolutePath();
    }

    /**
     * {@code <tmp>/aetherflow-cache-<uid>}, made with mode 0700 when missing; only a real directory
     * owned by this user counts (another user may have made, or linked, that name first).
     *
     * @param tmp the temporary directory
     * @return the directory, or null when it is not ours or the platform has no uids
     */
    public static Path privateDir(Path tmp) {
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
}
