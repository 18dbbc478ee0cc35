package io.aetherflow.runtime.run;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.support.FileTrees;
import io.aetherflow.runtime.Quote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The run's directory layout: {@code <root>/<flow_id>/<job_id>/<run_id>/} with the layout's
 * artifacts, scratch and manifests sub-directories, created on demand.
 *
 * <p>A second wall behind id validation (SPEC §4 row 18): every directory this class hands out,
 * creates or deletes must lie under {@link #root()} after normalisation and after resolving symbolic
 * links; anything else is refused with a {@link StepFailedException} and nothing is created or
 * deleted. A job directory the engine creates gets an owner file ({@value #OWNER_FILE}) naming the
 * flow id and run id; {@link #cleanup(String)} deletes a job directory only when that file names this
 * flow and run (created by this run, or by an earlier attempt of the same run id that is now
 * resumed), never a directory that was already there.
 *
 * @param root the rendered workspace root (absolute)
 * @param flowId flow id (a safe path segment)
 * @param runId run id (a safe path segment)
 * @param layout directory names for {@code artifacts}, {@code scratch}, {@code manifests}
 */
public record Workspace(Path root, String flowId, String runId, Map<String, String> layout) {

    /** The owner file in every job directory the engine created. */
    public static final String OWNER_FILE = ".aetherflow-owner";

    /**
     * @param jobId job id
     * @return the job directory (not created)
     * @throws StepFailedException when it would not lie under the root
     */
    public Path jobDir(String jobId) {
        return lexicallyInside(root.resolve(flowId).resolve(jobId).resolve(runId), "job directory");
    }

    /**
     * @param jobId job id
     * @param key {@code artifacts}, {@code scratch} or {@code manifests}
     * @return the sub-directory (not created)
     * @throws StepFailedException when it would not lie under the root
     */
    public Path sub(String jobId, String key) {
        return lexicallyInside(jobDir(jobId).resolve(layout.getOrDefault(key, key)), key + " directory");
    }

    /**
     * Creates the job directory when it is missing (with its owner file) and returns it.
     *
     * @param jobId job id
     * @return the job directory
     * @throws StepFailedException when it cannot be created or does not lie under the root
     */
    public Path ensureJobDir(String jobId) {
        Path dir = jobDir(jobId);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            ensureInside(dir.getParent());
            try {
                Files.createDirectory(dir);
                Files.writeString(dir.resolve(OWNER_FILE), ownerText(), StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException e) {
                // there already (a link, or made concurrently): not ours; checked below
            } catch (IOException e) {
                throw new StepFailedException("cannot create directory " + Quote.escape(dir.toString()) + ": "
                        + reason(e) + " (check flow.workspace.root)", e);
            }
        }
        return realInside(dir, "job directory");
    }

    /**
     * Creates a sub-directory of the job directory (and the job directory itself) when missing.
     *
     * @param jobId job id
     * @param key {@code artifacts}, {@code scratch} or {@code manifests}
     * @return the sub-directory
     * @throws StepFailedException when it cannot be created or does not lie under the root
     */
    public Path ensureSub(String jobId, String key) {
        ensureJobDir(jobId);
        return ensureInside(sub(jobId, key));
    }

    /** Creates a directory (and parents) under the root, with a clear error. */
    private Path ensureInside(Path dir) {
        lexicallyInside(dir, "directory");
        realInside(dir, "directory");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StepFailedException("cannot create directory " + Quote.escape(dir.toString()) + ": " + reason(e)
                    + " (check flow.workspace.root)", e);
        }
        return realInside(dir, "directory");
    }

    private String ownerText() {
        return "flow_id=" + flowId + "\nrun_id=" + runId + "\n";
    }

    private Path lexicallyInside(Path dir, String what) {
        Path n = dir.toAbsolutePath().normalize();
        if (!n.startsWith(root.toAbsolutePath().normalize())) {
            throw outside(dir, what);
        }
        return n;
    }

    /**
     * The nearest existing ancestor of {@code dir} (or {@code dir} itself), symbolic links resolved,
     * must lie under the root's real path.
     */
    private Path realInside(Path dir, String what) {
        Path normRoot = root.toAbsolutePath().normalize();
        Path p = dir.toAbsolutePath().normalize();
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null || (normRoot.startsWith(existing) && !existing.equals(normRoot))) {
            return p; // nothing under the root exists yet: only the lexical check applies
        }
        if (!real(existing).startsWith(real(normRoot))) {
            throw outside(dir, what);
        }
        return p;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p; // a dangling link or a vanished directory: compared as it is
        }
    }

    private StepFailedException outside(Path dir, String what) {
        return new StepFailedException("refusing " + what + " " + Quote.escape(dir.toString())
                + ": it is not under the workspace root " + Quote.escape(root.toString())
                + " (after resolving '..' and symbolic links); check the ids, flow.workspace.layout and links "
                + "in the workspace");
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
     * Deletes a job directory recursively when this run created it (its owner file names this flow
     * and run); links inside are deleted, never followed. Errors are ignored (cleanup is best effort).
     *
     * @param jobId job id
     * @return null when the directory is gone (or was never there), else why it was kept
     */
    public String cleanup(String jobId) {
        Path dir;
        try {
            dir = jobDir(jobId);
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            realInside(dir, "job directory");
        } catch (StepFailedException e) {
            return e.getMessage();
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Quote.escape(dir.toString()) + " is not a directory (a link or a file); left in place";
        }
        Path owner = dir.resolve(OWNER_FILE);
        String text;
        try {
            text = Files.isRegularFile(owner, LinkOption.NOFOLLOW_LINKS) && Files.size(owner) < 4096
                    ? Files.readString(owner, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            text = null;
        }
        if (!ownerText().equals(text)) {
            return Quote.escape(dir.toString()) + " was not created by this run (it has no " + OWNER_FILE
                    + " naming flow " + flowId + " and run " + runId + "); left in place";
        }
        try {
            FileTrees.delete(dir);
            return null;
        } catch (IOException e) {
            return "could not delete " + Quote.escape(dir.toString()) + ": " + reason(e);
        }
    }
}
