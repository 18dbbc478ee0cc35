package io.aetherflow.api.support;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File-tree work that plugins and the engine would otherwise each write again. */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes a file or a directory tree. Symbolic links are deleted, never followed (a link to a
     * directory outside the tree leaves that directory alone). Nothing there is not an error.
     *
     * @param path the file, link or directory
     * @throws IOException when something cannot be deleted (what was deleted before stays deleted)
     */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Moves a finished file over its target: atomically where the file system can (a rename, so a
     * reader sees the old file or the new one, never a part), else by replacing the target.
     *
     * @param from the finished file (usually a temp file beside the target)
     * @param to the target (replaced when it exists)
     * @throws IOException when the file cannot be moved
     */
    public static void moveOver(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
