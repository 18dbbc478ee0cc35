package io.aetherflow.steps.process;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.support.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            FileTrees.delete(temp);
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
                FileTrees.delete(fin);
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
                FileTrees.delete(target);
                Files.move(child, target);
            }
            FileTrees.delete(temp);
        } catch (IOException e) {
            throw new StepFailedException("external.process cannot move " + temp + " to " + fin + ": " + e, e);
        }
    }
}
