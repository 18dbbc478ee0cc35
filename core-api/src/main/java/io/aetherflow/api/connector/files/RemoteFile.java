package io.aetherflow.api.connector.files;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Metadata of one remote entry, as the reference's {@code RemoteFileMeta}. Step outputs carry it as
 * a map ({@link #toMap()}) with the reference's keys {@code rel_path, path, name, is_dir, size,
 * mtime, sha256}, so later steps can take it back with {@link #fromMap(Map)}.
 *
 * @param relPath path relative to the listed directory (e.g. {@code sub/a.csv}), or null
 * @param path the full remote path, as the connector accepts it back; never null
 * @param name the entry's file name; never null
 * @param isDir true for a directory
 * @param size size in bytes, or null (directories, unknown)
 * @param mtime modification time in epoch seconds, or null
 * @param sha256 content hash in lower-case hex, or null (connectors do not compute it by default)
 */
public record RemoteFile(String relPath, String path, String name, boolean isDir, Long size, Long mtime,
        String sha256) {

    /** Canonical constructor: {@code path} and {@code name} are required. */
    public RemoteFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
    }

    /**
     * The same entry with another relative path.
     *
     * @param newRelPath the relative path
     * @return a copy
     */
    public RemoteFile withRelPath(String newRelPath) {
        return new RemoteFile(newRelPath, path, name, isDir, size, mtime, sha256);
    }

    /** @return the reference's map shape, keys in the reference's order (null values kept) */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rel_path", relPath);
        m.put("path", path);
        m.put("name", name);
        m.put("is_dir", isDir);
        m.put("size", size);
        m.put("mtime", mtime);
        m.put("sha256", sha256);
        return m;
    }

    /**
     * Reads an entry back from a step output or a hand-written mapping. Only {@code path} is
     * required; {@code name} defaults to the last path segment, {@code rel_path} stays null when
     * absent.
     *
     * @param m the mapping
     * @return the entry
     * @throws IllegalArgumentException when {@code path} is missing or a field has the wrong type
     */
    public static RemoteFile fromMap(Map<?, ?> m) {
        Object p = m.get("path");
        if (p == null || p.toString().isEmpty()) {
            throw new IllegalArgumentException("remote file entry has no 'path' (keys: " + m.keySet() + ")");
        }
        String path = p.toString();
        Object n = m.get("name");
        String name = n == null || n.toString().isEmpty() ? lastSegment(path) : n.toString();
        Object rel = m.get("rel_path");
        return new RemoteFile(rel == null ? null : rel.toString(), path, name, bool(m.get("is_dir")),
                number(m.get("size"), "size"), number(m.get("mtime"), "mtime"),
                m.get("sha256") == null ? null : m.get("sha256").toString());
    }

    /**
     * @param path a remote path with {@code /} or {@code \} separators
     * @return the part after the last separator (the path itself when there is none)
     */
    public static String lastSegment(String path) {
        String p = path;
        while (p.length() > 1 && (p.endsWith("/") || p.endsWith("\\"))) {
            p = p.substring(0, p.length() - 1);
        }
        int i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
        return i < 0 ? p : p.substring(i + 1);
    }

    private static boolean bool(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "true", "yes", "1":
                return true;
            case "false", "no", "0", "", "none":
                return false;
            default:
                throw new IllegalArgumentException("remote file entry: is_dir must be a boolean, found '" + v + "'");
        }
    }

    private static Long number(Object v, String key) {
        if (v == null || (v instanceof String s && (s.isEmpty() || s.equals("None")))) {
            return null;
        }
        if (v instanceof Number num) {
            return num.longValue();
        }
        try {
            return (long) Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("remote file entry: " + key + " must be a number, found '" + v + "'");
        }
    }
}
