package io.aetherflow.steps.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Writes {@code <target>.tmp}, then renames it over the target; the temp file never survives a failure. */
final class AtomicOutput {

    /** The body that fills the temp file. */
    @FunctionalInterface
    interface Body {
        /**
         * @param tmp the temp file to write (absent when called)
         * @throws Exception any failure; the temp file is then removed
         */
        void write(Path tmp) throws Exception;
    }

    private AtomicOutput() {
    }

    /**
     * @param target the final file (its parent directories are created)
     * @return the temp file beside it, {@code <name>.tmp}
     */
    static Path tmp(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    /**
     * Runs the body on the temp file and moves the result over the target.
     *
     * @param target the final file
     * @param body fills the temp file
     * @throws Exception what the body throws, or the move's failure
     */
    static void write(Path target, Body body) throws Exception {
        Path parent = target.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = tmp(target);
        try {
            Files.deleteIfExists(tmp);
            body.write(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @param file a file
     * @return its SHA-256, lower-case hex
     * @throws IOException when it cannot be read
     */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
