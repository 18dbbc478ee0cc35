package io.aetherflow.runtime.bundle;

import io.aetherflow.api.support.Json;
import io.aetherflow.api.support.PyRepr;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot files of a bundle (catalog §5.6), in the reference's compact JSON: {@code
 * fingerprints/<fp>.json}, {@code fingerprints/latest.json} and {@code last_error.json}. Written
 * atomically (temporary file, fsync, rename); read leniently (an unreadable file counts as none).
 */
final class Snapshots {

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private Snapshots() {
    }

    /** @return now as Python's {@code datetime.now(timezone.utc).isoformat()} */
    static String utcNowIso() {
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
        int micros = t.getNano() / 1000;
        return (micros == 0 ? SECONDS.format(t) : MICROS.format(t.withNano(micros * 1000))) + "+00:00";
    }

    /**
     * @param fpDir the fingerprints directory
     * @return the latest fingerprint, or null (no file, unreadable, or no fingerprint in it)
     */
    static String latest(Path fpDir) {
        Map<?, ?> m = readMap(fpDir.resolve("latest.json"));
        Object fp = m == null ? null : m.get("fingerprint");
        return fp == null || fp.toString().isEmpty() ? null : fp.toString();
    }

    /**
     * @param fpDir the fingerprints directory
     * @param fingerprint a fingerprint
     * @return path to {sha256, size, mtime} of that snapshot's files (empty when there is none)
     */
    static Map<String, BundleFile> files(Path fpDir, String fingerprint) {
        Map<String, BundleFile> out = new HashMap<>();
        Map<?, ?> snap = fingerprint == null ? null : readMap(fpDir.resolve(fingerprint + ".json"));
        if (snap == null || !(snap.get("files") instanceof List<?> files)) {
            return out;
        }
        for (Object o : files) {
            if (o instanceof Map<?, ?> f && f.get("path") != null && !f.get("path").toString().isEmpty()) {
                Object sha = f.get("sha256");
                out.put(f.get("path").toString(), new BundleFile(f.get("path").toString(), null,
                        f.get("size") instanceof Number n ? Long.valueOf(n.longValue()) : null,
                        f.get("mtime") instanceof Number n ? Double.valueOf(n.doubleValue()) : null,
                        sha == null || sha.toString().isEmpty() ? null : sha.toString()));
            }
        }
        return out;
    }

    /**
     * Writes {@code <fp>.json}, atomically but not forced to disk (the caller's flush covers it).
     *
     * @return the file
     */
    static Path writeSnapshot(Path fpDir, String bundleId, String fingerprint, String sourceType, String basePath,
            List<BundleFile> files, boolean strict) throws IOException {
        Map<String, Object> snap = new LinkedHashMap<>();
        snap.put("version", 1);
        snap.put("bundle_id", bundleId);
        snap.put("fingerprint", fingerprint);
        snap.put("created_at", utcNowIso());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", sourceType);
        source.put("base_path", basePath);
        snap.put("source", source);
        List<BundleFile> sorted = new ArrayList<>(files);
        sorted.sort(Fingerprint.BY_PATH);
        List<Object> list = new ArrayList<>(sorted.size());
        for (BundleFile f : sorted) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.relPath());
            m.put("sha256", f.sha256());
            m.put("size", f.size());
            m.put("mtime", f.mtime() == null ? null : new BigDecimal(PyRepr.floatRepr(f.mtime())));
            list.add(m);
        }
        snap.put("files", list);
        snap.put("strict_fingerprint", strict);
        Path file = fpDir.resolve(fingerprint + ".json");
        replace(file, Json.write(snap));
        return file;
    }

    /**
     * Writes {@code latest.json}, atomically but not forced to disk: after a power failure that
     * loses it, the next sync's recovery writes it again from the tree {@code active} names.
     */
    static void writeLatest(Path fpDir, String fingerprint) throws IOException {
        Map<String, Object> latest = new LinkedHashMap<>();
        latest.put("fingerprint", fingerprint);
        latest.put("snapshot", fingerprint + ".json");
        latest.put("updated_at", utcNowIso());
        replace(fpDir.resolve("latest.json"), Json.write(latest));
    }

    /**
     * Writes a file so that readers see the old or the new content, never a part.
     *
     * @param target the file
     * @param text its new content
     * @throws IOException when it cannot be written
     */
    static void atomicWrite(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            Durable.write(tmp, text.getBytes(StandardCharsets.UTF_8));
            Durable.rename(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes a file so that readers see the old or the new content (without forcing it to disk). */
    private static void replace(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Durable.move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Map<?, ?> readMap(Path p) {
        try {
            if (!Files.isRegularFile(p)) {
                return null;
            }
            Object o = Json.parse(Files.readString(p, StandardCharsets.UTF_8));
            return o instanceof Map<?, ?> m ? m : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
