package io.aetherflow.runtime.bundle;

import java.nio.file.Path;
import java.util.Map;

/**
 * The local layout of one bundle under {@code <work_root>/bundles/<bundle_id>/} (catalog §5.3):
 * {@code active} (the local root: a symbolic link to an immutable tree under {@code trees/}, or a
 * directory in a work root written by the reference), {@code cache/<sha256>} blobs,
 * {@code fingerprints/} snapshots, {@code staged/} trees being built, {@code last_error.json}, and the
 * {@code sync.lock} file that serialises syncs.
 *
 * @param workRoot the work root (absolute)
 * @param bundleRoot {@code <work_root>/bundles/<bundle_id>}
 * @param active the local root
 * @param cache content-addressed blobs
 * @param fingerprints snapshots
 */
public record BundleDirs(Path workRoot, Path bundleRoot, Path active, Path cache, Path fingerprints) {

    /**
     * @param workRoot the work root ({@code ~} expanded, made absolute)
     * @param bundleId the bundle id (a safe segment)
     * @return the layout
     */
    public static BundleDirs of(Path workRoot, String bundleId) {
        Path root = workRoot.resolve("bundles").resolve(bundleId);
        return new BundleDirs(workRoot, root, root.resolve("active"), root.resolve("cache"),
                root.resolve("fingerprints"));
    }

    /**
     * The work root as the reference computes it: the given one, else {@code AETHERFLOW_WORK_ROOT}
     * (default {@code /tmp/work}), {@code ~} expanded, absolute.
     *
     * @param given {@code --work-root}, or null
     * @param settingsWorkRoot the settings' work root
     * @param cwd the working directory
     * @return the absolute, normalised work root
     */
    public static Path workRoot(String given, String settingsWorkRoot, Path cwd) {
        String w = given != null && !given.isEmpty() ? given : settingsWorkRoot;
        if (w.equals("~") || w.startsWith("~/")) {
            w = System.getProperty("user.home") + w.substring(1);
        }
        return cwd.resolve(w).toAbsolutePath().normalize();
    }

    /** @return where trees are built */
    Path staged() {
        return bundleRoot.resolve("staged");
    }

    /** @return where finished trees live */
    Path trees() {
        return bundleRoot.resolve("trees");
    }

    /** @return the transient name of a reference-style active directory during a swap */
    Path activeOld() {
        return bundleRoot.resolve("active.old");
    }

    /** @return the lock file */
    Path lockFile() {
        return bundleRoot.resolve("sync.lock");
    }

    /** @return the last failure report */
    Path lastError() {
        return bundleRoot.resolve("last_error.json");
    }

    /**
     * Puts {@code active_dir}, {@code cache_dir} and {@code fingerprints_dir} into a report (as the
     * reference's {@code bundle sync} and {@code bundle status} JSON name them).
     *
     * @param report the report's fields, in order
     */
    public void putDirs(Map<String, Object> report) {
        report.put("active_dir", active.toString());
        report.put("cache_dir", cache.toString());
        report.put("fingerprints_dir", fingerprints.toString());
    }
}
