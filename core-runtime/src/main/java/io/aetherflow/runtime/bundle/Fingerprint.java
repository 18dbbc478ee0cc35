package io.aetherflow.runtime.bundle;

import io.aetherflow.api.support.Json;
import io.aetherflow.runtime.CodePoints;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The bundle fingerprint, bit-exact with the reference (catalog §5.5) so that existing work roots stay
 * valid: per file {@code sha256:<hex>} when the hash is known, else {@code sz:<size or 0>|mt_ms:<int(mtime*1000)
 * or 0>}; the {@code [rel_path, signature]} pairs sorted by path (code points, as Python sorts strings)
 * serialised as compact JSON ({@code json.dumps(..., separators=(",", ":"), ensure_ascii=False)}) and
 * hashed with SHA-256.
 */
public final class Fingerprint {

    /** Orders strings by code point, as Python's {@code sorted} does (Java's compareTo uses UTF-16 units). */
    public static final Comparator<String> CODE_POINT_ORDER = CodePoints.ORDER;

    /** Orders files by relative path, as the reference. */
    public static final Comparator<BundleFile> BY_PATH = (a, b) -> CodePoints.ORDER.compare(a.relPath(), b.relPath());

    private Fingerprint() {
    }

    /**
     * @param files the listed files (any order)
     * @return the lower-case hex fingerprint
     */
    public static String of(List<BundleFile> files) {
        List<BundleFile> sorted = new ArrayList<>(files);
        sorted.sort(BY_PATH);
        StringBuilder sb = new StringBuilder(64 + files.size() * 96);
        sb.append('[');
        for (int i = 0; i < sorted.size(); i++) {
            BundleFile f = sorted.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append('[');
            Json.quotePython(sb, f.relPath());
            sb.append(',');
            Json.quotePython(sb, signature(f));
            sb.append(']');
        }
        sb.append(']');
        return sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param f a file
     * @return its signature
     */
    static String signature(BundleFile f) {
        if (f.hasSha()) {
            return "sha256:" + f.sha256();
        }
        long size = f.size() == null ? 0 : f.size();
        return "sz:" + size + "|mt_ms:" + mtimeMillis(f.mtime());
    }

    /**
     * The reference's {@code _mtime_sig}: {@code int(mtime * 1000)}, 0 for none or zero.
     *
     * @param mtime seconds, or null
     * @return milliseconds, truncated toward zero
     */
    public static long mtimeMillis(Double mtime) {
        if (mtime == null || mtime == 0 || mtime.isNaN() || mtime.isInfinite()) {
            return 0;
        }
        return (long) (mtime * 1000);
    }

    /**
     * @param data bytes
     * @return their SHA-256, lower-case hex
     */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    /** @return a new SHA-256 digest */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
