package io.aetherflow.runtime.bundle;

/**
 * One file a bundle source lists (the reference's {@code RemoteFileMeta}).
 *
 * @param relPath path relative to the bundle root, {@code /}-separated
 * @param path the source's full path for it (for reads and messages), or null
 * @param size size in bytes, or null when the source does not say
 * @param mtime modification time in epoch seconds (fractional), or null
 * @param sha256 lower-case hex content hash, or null when the source does not provide it
 */
public record BundleFile(String relPath, String path, Long size, Double mtime, String sha256) {

    /**
     * @param sha the content hash
     * @return this file with a hash
     */
    public BundleFile withSha256(String sha) {
        return new BundleFile(relPath, path, size, mtime, sha);
    }

    /** @return whether the source gave a hash (the reference's truthiness: non-empty) */
    public boolean hasSha() {
        return sha256 != null && !sha256.isEmpty();
    }

    /** @return the relative path without leading slashes (the staging path) */
    public String stagedPath() {
        int i = 0;
        while (i < relPath.length() && relPath.charAt(i) == '/') {
            i++;
        }
        return relPath.substring(i);
    }
}
