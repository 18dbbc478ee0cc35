package io.aetherflow.runtime.run;

import io.aetherflow.api.step.StepFailedException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * The run's directory layout: {@code <root>/<flow_id>/<job_id>/<run_id>/} with the layout's
 * artifacts, scratch and manifests sub-directories, created on demand.
 *
 * @param root the rendered workspace root (absolute)
 * @param flowId flow id (a safe path segment)
 * @param runId run id (a safe path segment)
 * @param layout directory names for {@code artifacts}, {@code scratch}, {@code manifests}
 */
public record Workspace(Path root, String flowId, String runId, Map<String, String> layout) {

    /**
     * @param jobId job id
     * @return the job directory (not created)
     */
    public Path jobDir(String jobId) {
        return root.resolve(flowId).resolve(jobId).resolve(runId);
    }

    /**
     * @param jobId job id
     * @param key {@code artifacts}, {@code scratch} or {@code manifests}
     * @return the sub-directory (not created)
     */
    public Path sub(String jobId, String key) {
        return jobDir(jobId).resolve(layout.getOrDefault(key, key));
    }

    /**
     * Creates a directory (and parents), with a clear error.
     *
     * @param dir the directory
     * @return the directory
     */
    public static Path ensure(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StepFailedException("cannot create directory " + dir + ": " + reason(e)
                    + " (check flow.workspace.root)", e);
        }
    }

    static String reason(IOException e) {
        String cls = e.getClass().getSimpleName();
        if (cls.equals("AccessDeniedException")) {
            return "permission denied";
        }
        if (cls.equals("FileAlreadyExistsException")) {
            return "a file is in the way";
        }
        return e.getMessage() == null ? cls : cls + ": " + e.getMessage();
    }

    /**
     * Deletes a job directory recursively; errors are ignored (cleanup is best effort).
     *
     * @param jobId job id
     * @return true when the directory is gone
     */
    public boolean cleanup(String jobId) {
        Path dir = jobDir(jobId);
        if (!Files.exists(dir)) {
            return true;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
