package io.aetherflow.runtime;

import io.aetherflow.api.support.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replaces a file so that readers see the old content or the new one, never half of it, even with
 * several processes writing the same file at once: each writer fills a temp file of its own (a
 * unique name beside the target, mode 0600) and renames it over the target. Unlike
 * {@link io.aetherflow.api.support.AtomicFiles}, whose temp file has a fixed name, two writers never
 * share a temp file. Used for the engine's cache records and the metrics textfile.
 */
public final class ReplaceFile {

    private ReplaceFile() {
    }

    /**
     * @param file the target (its parent directories are created)
     * @param bytes the new content
     * @throws IOException when it cannot be written; the target is then unchanged and no temp file stays
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            FileTrees.moveOver(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
