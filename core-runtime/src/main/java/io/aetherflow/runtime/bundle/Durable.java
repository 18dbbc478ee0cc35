package io.aetherflow.runtime.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** File writes that survive a crash: data forced to disk before a rename makes it visible. */
final class Durable {

    private Durable() {
    }

    /**
     * Writes a new file and forces it to disk.
     *
     * @param target the file (created or truncated)
     * @param data its content
     * @throws IOException when it cannot be written
     */
    static void write(Path target, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /**
     * Forces every file of a tree and its directories to disk; see {@link #flush}.
     *
     * @param root the tree
     * @throws IOException when it cannot be forced
     */
    static void syncTree(Path root) throws IOException {
        flush(List.of(root));
    }

    /**
     * Forces files and trees to disk, with the directory entries that name them. One
     * {@code syncfs(2)} of their file system ({@code sync -f}) when the system has it: for trees of
     * thousands of small files that is one flush instead of one per file (the paths must lie on one
     * file system, as a bundle root does). Otherwise each file and directory is forced on its own,
     * and the directory holding each path.
     *
     * @param paths files or trees that exist
     * @throws IOException when they cannot be forced
     */
    static void flush(List<Path> paths) throws IOException {
        try {
            Process p = new ProcessBuilder("sync", "-f", paths.get(0).toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() == 0) {
                return;
            }
        } catch (IOException e) {
            // no sync(1) here: force file by file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forcing " + paths.get(0) + " to disk", e);
        }
        for (Path root : paths) {
            try (var all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (Files.isDirectory(p)) {
                        syncDir(p);
                    } else {
                        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                    }
                }
            }
            syncDir(root.toAbsolutePath().getParent());
        }
    }

    /**
     * Renames atomically without forcing anything (for names whose loss in a power failure costs
     * only work, or that a later {@link #flush} covers).
     *
     * @param from the file or directory
     * @param to the new name (an existing file there is replaced)
     * @throws IOException when it cannot be renamed
     */
    static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Renames atomically and forces the directory entry to disk.
     *
     * @param from the file, directory or link
     * @param to the new name (an existing file or link there is replaced)
     * @throws IOException when it cannot be renamed
     */
    static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        syncDir(to.toAbsolutePath().getParent());
    }

    /**
     * Forces a directory's entries to disk (best effort: not every file system allows it).
     *
     * @param dir the directory
     */
    static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse fsync on a directory; the rename itself is still atomic
        }
    }
}
