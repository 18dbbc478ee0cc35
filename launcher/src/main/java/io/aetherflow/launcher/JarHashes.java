package io.aetherflow.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SHA-256 of jar files, remembered across launches by file identity so that a warm start does not
 * re-read megabytes of jars (sqlite-jdbc alone is 12 MB, about 0.1 s to hash).
 *
 * <p>A remembered digest is reused only when the file's size, modification time, change time
 * ({@code ctime}, which no user can set) and inode are all unchanged; any write to the jar, a
 * replacement or a {@code touch} changes at least one of them and forces a re-hash. Where the file
 * system offers no {@code ctime}/inode (non-POSIX), nothing is remembered and every jar is hashed.
 *
 * <p>The cache file is one line per jar: {@code sha256 size mtime-ns ctime-ns inode absolute-path}.
 * It is rewritten atomically (temp file + rename) and only when something changed; a corrupt or
 * unwritable cache is ignored (it only costs time).
 */
public final class JarHashes {

    private record Stamp(long size, long mtimeNanos, long ctimeNanos, long inode) {
        // explicit: a record's generated equals bootstraps method handles (tens of ms at start-up)
        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp s && s.size == size && s.mtimeNanos == mtimeNanos && s.ctimeNanos == ctimeNanos
                    && s.inode == inode;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(size) * 31 + Long.hashCode(inode);
        }
    }

    private record Entry(Stamp stamp, String sha256) {
    }

    private final Path cacheFile;
    private final Map<String, Entry> remembered;
    private final Map<String, Entry> current = new LinkedHashMap<>();
    private boolean changed;

    private JarHashes(Path cacheFile, Map<String, Entry> remembered) {
        this.cacheFile = cacheFile;
        this.remembered = remembered;
    }

    /** @return hashes that remember nothing (every jar is read) */
    public static JarHashes uncached() {
        return new JarHashes(null, Map.of());
    }

    /**
     * Opens the cache file (a missing or unreadable one is treated as empty).
     *
     * @param cacheFile where digests are remembered
     * @return the hashes
     */
    public static JarHashes open(Path cacheFile) {
        Map<String, Entry> map = new HashMap<>();
        try {
            for (String line : Files.readAllLines(cacheFile, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ", 6);
                if (f.length == 6 && f[0].length() == 64) {
                    try {
                        map.put(f[5], new Entry(new Stamp(Long.parseLong(f[1]), Long.parseLong(f[2]),
                                Long.parseLong(f[3]), Long.parseLong(f[4])), f[0]));
                    } catch (NumberFormatException e) {
                        // a damaged line only costs a re-hash of that jar
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cache yet, or unreadable: start empty
        }
        return new JarHashes(cacheFile, map);
    }

    private static Stamp stamp(Path file) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        Object size = a.get("size");
        Object mtime = a.get("lastModifiedTime");
        Object ctime = a.get("ctime");
        Object ino = a.get("ino");
        if (!(size instanceof Long s) || !(mtime instanceof FileTime m) || !(ctime instanceof FileTime c)
                || !(ino instanceof Long i)) {
            return null;
        }
        return new Stamp(s, m.to(TimeUnit.NANOSECONDS), c.to(TimeUnit.NANOSECONDS), i);
    }

    /**
     * @param file a jar (absolute path)
     * @return its SHA-256 as lower-case hex
     * @throws NoSuchFileException when it does not exist
     * @throws IOException when it cannot be read
     */
    public String sha256(Path file) throws IOException {
        String key = file.toAbsolutePath().toString();
        Stamp before = cacheFile == null ? null : stamp(file);
        Entry known = remembered.get(key);
        if (before != null && known != null && known.stamp().equals(before)) {
            current.put(key, known);
            return known.sha256();
        }
        String digest = Sha256.ofFile(file);
        if (before != null && before.equals(stamp(file))) {
            current.put(key, new Entry(before, digest));
            changed = true;
        }
        return digest;
    }

    /**
     * A file's bytes and their SHA-256.
     *
     * @param bytes the content
     * @param sha256 its SHA-256 as lower-case hex
     */
    public record Content(byte[] bytes, String sha256) {
    }

    /**
     * Reads a small file and gives its SHA-256, remembered like a jar's digest (the file is
     * stat'ed before and after reading, so a concurrent change is never remembered wrongly).
     *
     * @param file the file
     * @return its content and digest
     * @throws IOException when it cannot be read ({@link NoSuchFileException} when missing)
     */
    public Content read(Path file) throws IOException {
        return read(file, "", Sha256::hex);
    }

    /**
     * Reads a small file and gives a digest of its content computed by {@code digest}, remembered
     * like {@link #read(Path)} under the file's path plus {@code keySuffix} (so different digests of
     * one file never mix).
     *
     * @param file the file
     * @param keySuffix distinguishes this digest from others of the same file
     * @param digest computes the digest from the bytes; null means "do not remember" (e.g. the
     *     content is malformed)
     * @return its content and digest (null when {@code digest} gave null)
     * @throws IOException when it cannot be read ({@link NoSuchFileException} when missing)
     */
    public Content read(Path file, String keySuffix, java.util.function.Function<byte[], String> digest)
            throws IOException {
        String key = file.toAbsolutePath().toString() + keySuffix;
        Stamp before = cacheFile == null ? null : stamp(file);
        byte[] bytes = Files.readAllBytes(file);
        Stamp after = before == null ? null : stamp(file);
        boolean stable = before != null && before.equals(after) && before.size() == bytes.length;
        Entry known = remembered.get(key);
        if (stable && known != null && known.stamp().equals(before)) {
            current.put(key, known);
            return new Content(bytes, known.sha256());
        }
        String computed = digest.apply(bytes);
        if (stable && computed != null) {
            current.put(key, new Entry(before, computed));
            changed = true;
        }
        return new Content(bytes, computed);
    }

    /**
     * Writes the digests used by this launch back to the cache file when any was computed anew;
     * entries of jars not looked at this time are dropped. Failures are ignored.
     */
    public void save() {
        if (cacheFile == null || !changed) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Entry> e : current.entrySet()) {
            Stamp s = e.getValue().stamp();
            sb.append(e.getValue().sha256()).append(' ').append(s.size()).append(' ').append(s.mtimeNanos())
                    .append(' ').append(s.ctimeNanos()).append(' ').append(s.inode()).append(' ').append(e.getKey())
                    .append('\n');
        }
        if (CacheDirs.replaceCacheFile(cacheFile, sb)) {
            changed = false;
        }
    }
}
