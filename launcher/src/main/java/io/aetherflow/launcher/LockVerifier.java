package io.aetherflow.launcher;

import io.aetherflow.launch.LockedBundle;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks an installation against its lock before anything is installed: every locked jar exists
 * with its sha256, {@code bundles/} holds no unlocked jar, and unlocked jars in
 * {@code AETHERFLOW_PLUGIN_PATHS} directories are reported (they are never loaded).
 *
 * <p>Signature checks (enterprise mode, the optional signer column) are a separate pass over the
 * {@link VerifiedPluginSet} this returns; the jar files it names are exactly the ones to check.
 */
public final class LockVerifier {

    private LockVerifier() {
    }

    /**
     * Splits {@code AETHERFLOW_PLUGIN_PATHS} as the reference does: on {@code ,}, empty parts dropped,
     * no trimming; relative directories are taken from the working directory.
     *
     * @param value the variable's value, or null
     * @return the directories, in order
     */
    public static List<Path> pluginPaths(String value) {
        List<Path> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            if (!part.isEmpty()) {
                out.add(Path.of(part).toAbsolutePath().normalize());
            }
        }
        return out;
    }

    /**
     * Checks that every plugin directory exists, as the Python AetherFlow does: with
     * {@code AETHERFLOW_PLUGIN_STRICT} true (the default; {@code true} in any case) a missing one
     * stops the launcher (exit 3), otherwise it is reported as a warning and skipped.
     *
     * @param dirs the plugin directories, in order
     * @param env the process environment ({@code AETHERFLOW_PLUGIN_STRICT})
     * @param warnings receives one warning per skipped directory
     * @return the directories that exist, in order
     * @throws PluginSetException strict and a directory is missing or not a directory
     */
    public static List<Path> existingPluginPaths(List<Path> dirs, Map<String, String> env, List<String> warnings)
            throws PluginSetException {
        String raw = env.get("AETHERFLOW_PLUGIN_STRICT");
        boolean strict = raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("true");
        List<Path> out = new ArrayList<>();
        for (Path dir : dirs) {
            if (Files.isDirectory(dir)) {
                out.add(dir);
                continue;
            }
            String what = Files.exists(dir) ? "Plugin path is not a directory: " : "Plugin path not found: ";
            if (strict) {
                throw new PluginSetException(what + dir + " (AETHERFLOW_PLUGIN_PATHS); create it, remove it from"
                        + " the variable, or set AETHERFLOW_PLUGIN_STRICT=false to skip missing plugin paths");
            }
            warnings.add(what + dir + " (AETHERFLOW_PLUGIN_PATHS); skipped because AETHERFLOW_PLUGIN_STRICT=" + raw);
        }
        return out;
    }

    /**
     * @param home the installation directory
     * @param lock the lock
     * @param pluginPaths the {@code AETHERFLOW_PLUGIN_PATHS} directories, in order
     * @param hashes jar digests (possibly remembered from earlier launches)
     * @return the verified set
     * @throws PluginSetException on the first missing, extra or changed jar (message names it and why)
     */
    public static VerifiedPluginSet verify(Path home, PluginLock lock, List<Path> pluginPaths, JarHashes hashes)
            throws PluginSetException {
        return verify(home, lock, pluginPaths, hashes, null);
    }

    /**
     * {@link #verify(Path, PluginLock, List, JarHashes)} for a lock whose {@code plugin-path:} lines name other
     * directories than {@code AETHERFLOW_PLUGIN_PATHS} (an asset bundle's plugin directories).
     *
     * @param home the directory the lock's relative paths resolve against
     * @param lock the lock
     * @param pluginPaths the directories {@code plugin-path:} lines are searched in, in order
     * @param hashes jar digests
     * @param dirsName what those directories are, for the "missing" message (e.g. "the asset bundle's plugin
     *        directories (layout.plugins_dir of M)"); null for {@code AETHERFLOW_PLUGIN_PATHS}
     * @return the verified set
     * @throws PluginSetException on the first missing, extra or changed jar
     */
    public static VerifiedPluginSet verify(Path home, PluginLock lock, List<Path> pluginPaths, JarHashes hashes,
            String dirsName) throws PluginSetException {
        String lockName = lock.file().getFileName() == null ? String.valueOf(lock.file())
                : lock.file().getFileName().toString();
        List<Path> files = new ArrayList<>();
        Set<Path> locked = new HashSet<>();
        for (LockedBundle b : lock.bundles()) {
            Path file = locate(home, b, pluginPaths, lockName, dirsName);
            files.add(file);
            locked.add(file);
        }
        Path bundlesDir = home.resolve("bundles");
        for (Path jar : jars(bundlesDir)) {
            if (!locked.contains(jar)) {
                throw new PluginSetException("unlocked jar " + home.relativize(jar) + " in " + home + " is not in "
                        + lockName + "; remove it, or lock it to use it");
            }
        }
        List<String> warnings = new ArrayList<>();
        for (Path dir : pluginPaths) {
            for (Path jar : jars(dir)) {
                if (!locked.contains(jar)) {
                    warnings.add("jar " + jar + " in AETHERFLOW_PLUGIN_PATHS is not in " + lockName
                            + "; it is not loaded (lock it to use it)");
                }
            }
        }
        List<VerifiedBundle> verified = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            LockedBundle b = lock.bundles().get(i);
            Path file = files.get(i);
            String actual;
            try {
                actual = hashes.sha256(file);
            } catch (NoSuchFileException e) {
                throw missing(b, file, lockName);
            } catch (IOException e) {
                throw new PluginSetException("bundle " + b.symbolicName() + " " + b.version() + ": cannot read " + file
                        + ": " + e.getMessage(), e);
            }
            if (!actual.equals(b.sha256())) {
                throw new PluginSetException("bundle " + b.symbolicName() + " " + b.version() + " changed: " + file
                        + " has sha256 " + actual + " but " + lockName + " expects " + b.sha256()
                        + "; restore the locked jar or re-lock the plugin set");
            }
            verified.add(new VerifiedBundle(b, file));
        }
        return new VerifiedPluginSet(lock, verified, warnings);
    }

    private static Path locate(Path home, LockedBundle b, List<Path> pluginPaths, String lockName, String dirsName)
            throws PluginSetException {
        String path = b.fileName();
        if (path.startsWith(PluginLock.PLUGIN_PATH_PREFIX)) {
            String name = path.substring(PluginLock.PLUGIN_PATH_PREFIX.length());
            for (Path dir : pluginPaths) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
            if (dirsName != null) {
                throw new PluginSetException("bundle " + b.symbolicName() + " " + b.version() + " is missing: none of "
                        + dirsName + " holds " + name + " (searched: " + (pluginPaths.isEmpty() ? "none" : pluginPaths)
                        + "); ship the jar there or remove the bundle from the bundle's " + lockName);
            }
            throw new PluginSetException("bundle " + b.symbolicName() + " " + b.version() + " is missing: no"
                    + " AETHERFLOW_PLUGIN_PATHS directory holds " + name + " (searched: "
                    + (pluginPaths.isEmpty() ? "none, the variable is unset" : pluginPaths.toString())
                    + "); set the variable or remove the bundle from " + lockName);
        }
        Path file = home.resolve(path).normalize();
        if (!Files.isRegularFile(file)) {
            throw missing(b, file, lockName);
        }
        return file;
    }

    private static PluginSetException missing(LockedBundle b, Path file, String lockName) {
        return new PluginSetException("bundle " + b.symbolicName() + " " + b.version() + " is missing: " + file
                + " does not exist; restore it or remove the bundle from " + lockName);
    }

    private static List<Path> jars(Path dir) throws PluginSetException {
        try {
            return jarsIn(dir);
        } catch (IOException e) {
            throw new PluginSetException("cannot list plugin directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** @return the regular {@code *.jar} files directly in a directory, sorted (none when it does not exist) */
    static List<Path> jarsIn(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar") && Files.isRegularFile(p)) {
                    out.add(p.toAbsolutePath().normalize());
                }
            }
        }
        out.sort(null);
        return out;
    }
}
