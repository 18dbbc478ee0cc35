package io.aetherflow.steps.process;

import io.aetherflow.api.step.StepFailedException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Directory work of the {@code atomic_dir} idempotency strategy. */
final class OutputDirs {

    private OutputDirs() {
    }

    /**
     * Deletes {@code temp} if present and creates it empty.
     *
     * @param temp the temp output directory
     */
    static void prepare(Path temp) {
        try {
            deleteTree(temp);
            Files.createDirectories(temp);
        } catch (IOException e) {
            throw new StepFailedException("external.process cannot prepare idempotency.temp_output_dir " + temp + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Publishes the temp directory as the final one: a rename (replacing an existing final
     * directory) when {@code rename}, else each child of temp is moved into final and temp removed.
     *
     * @param temp the temp output directory
     * @param fin the final output directory
     * @param rename use one atomic rename
     */
    static void publish(Path temp, Path fin, boolean rename) {
        try {
            if (fin.getParent() != null) {
                Files.createDirectories(fin.getParent());
            }
            if (rename) {
                deleteTree(fin);
                try {
                    Files.move(temp, fin, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new StepFailedException("external.process cannot rename " + temp + " to " + fin
                            + " atomically (different file systems?); put both on one file system or set"
                            + " idempotency.atomic_rename: false", e);
                }
                return;
            }
            Files.createDirectories(fin);
            List<Path> children = new ArrayList<>();
            try (Stream<Path> s = Files.list(temp)) {
                s.forEach(children::add);
            }
            for (Path child : children) {
                Path target = fin.resolve(child.getFileName().toString());
                deleteTree(target);
                Files.move(child, target);
            }
            deleteTree(temp);
        } catch (IOException e) {
            throw new StepFailedException("external.process cannot move " + temp + " to " + fin + ": " + e, e);
        }
    }

    /** Deletes a file or directory tree (symbolic links are removed, never followed). */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
