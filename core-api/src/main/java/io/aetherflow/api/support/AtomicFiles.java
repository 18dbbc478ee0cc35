package io.aetherflow.api.support;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a file so that readers never see half of it: the content goes to {@code <name>.tmp} beside
 * the target, which is then renamed over the target (atomically where the file system can); on any
 * failure the temp file is removed and the target is left as it was.
 *
 * @since support 1.2
 */
public final class AtomicFiles {

    /** Fills the temp file. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param tmp the temp file to create and write (absent when called)
         * @throws Exception any failure; the temp file is then removed and the exception passed on
         */
        void write(Path tmp) throws Exception;
    }

    /** Writes the content to a stream (opened on the temp file, closed after). */
    @FunctionalInterface
    public interface StreamBody {
        /**
         * @param out the temp file's stream
         * @throws Exception any failure; the temp file is then removed and the exception passed on
         */
        void write(OutputStream out) throws Exception;
    }

    private AtomicFiles() {
    }

    /**
     * @param target a file
     * @return the temp file beside it: {@code <name>.tmp}
     */
    public static Path tmp(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    /**
     * Runs the body on the temp file (parent directories of the target are created first; a stale
     * temp file is removed) and moves the result over the target.
     *
     * @param target the final file
     * @param body fills the temp file
     * @throws Exception what the body throws, or the failure to move the file
     */
    public static void write(Path target, Body body) throws Exception {
        Path parent = target.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = tmp(target);
        try {
            Files.deleteIfExists(tmp);
            body.write(tmp);
            FileTrees.moveOver(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * As {@link #write(Path, Body)}, with a stream on the temp file.
     *
     * @param target the final file
     * @param body writes the content
     * @throws Exception what the body throws, or an I/O failure
     */
    public static void writeStream(Path target, StreamBody body) throws Exception {
        write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
        });
    }
}
