package io.aetherflow.runtime.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The step path sandbox used by built-in steps: relative paths resolve under the job's artifacts
 * directory; with the sandbox on, the resolved path must lie under the work root or the artifacts
 * directory (enterprise mode: under the artifacts directory only).
 */
public final class PathSandbox {

    private PathSandbox() {
    }

    /**
     * Resolves a step path.
     * <ol>
     * <li>Relative: {@code <artifactsDir>/<raw>}; absolute: as is. Both are normalised and symlinks
     * in the existing part are resolved.</li>
     * <li>Sandbox off: returned.</li>
     * <li>Enterprise: must lie inside the artifacts directory, then no segment below it may be a
     * symlink.</li>
     * <li>Otherwise the allowed roots are the work root and the artifacts directory (those that
     * exist); the first root containing the path whose segments below it are no symlinks wins.</li>
     * </ol>
     *
     * @param raw the path as written in the step inputs
     * @param artifactsDir the job's artifacts directory
     * @param workRoot the settings' work root (inside a run: the flow workspace root)
     * @param sandboxOn {@code AETHERFLOW_STRICT_SANDBOX}
     * @param enterprise {@code AETHERFLOW_MODE_ENTERPRISE}
     * @return the absolute resolved path
     * @throws SandboxViolationException {@code Path escapes job artifacts dir in enterprise mode: <raw>},
     *     {@code Path not under allowed roots: <raw>. Allowed roots: [...]} or
     *     {@code Path contains symlink (sandbox blocked): <path>}
     */
    public static Path resolve(String raw, Path artifactsDir, Path workRoot, boolean sandboxOn, boolean enterprise) {
        Path p = Path.of(raw);
        Path candidate = realish(p.isAbsolute() ? p : artifactsDir.resolve(p));
        if (!sandboxOn) {
            return candidate;
        }
        Path artifacts = realish(artifactsDir);
        if (enterprise) {
            if (!candidate.startsWith(artifacts)) {
                throw new SandboxViolationException("Path escapes job artifacts dir in enterprise mode: " + raw);
            }
            Path link = firstSymlinkBelow(artifacts, candidate);
            if (link != null) {
                throw new SandboxViolationException("Path contains symlink (sandbox blocked): " + link);
            }
            return candidate;
        }
        List<Path> roots = new ArrayList<>(2);
        for (Path r : new Path[] {workRoot, artifactsDir}) {
            if (r != null && Files.exists(r)) {
                Path real = realish(r);
                if (!roots.contains(real)) {
                    roots.add(real);
                }
            }
        }
        for (Path root : roots) {
            if (candidate.startsWith(root) && firstSymlinkBelow(root, candidate) == null) {
                return candidate;
            }
        }
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < roots.size(); i++) {
            list.append(i == 0 ? "'" : ", '").append(roots.get(i)).append('\'');
        }
        list.append(']');
        throw new SandboxViolationException("Path not under allowed roots: " + raw + ". Allowed roots: " + list);
    }

    /**
     * Like Python's {@code Path.resolve()}: absolute, {@code .} and {@code ..} applied, symlinks of
     * the existing part resolved (a {@code ..} after a symlink goes to the link target's parent);
     * the missing rest is appended as written.
     */
    static Path realish(Path path) {
        Path abs = path.toAbsolutePath();
        Path current = abs.getRoot();
        boolean existing = true;
        for (Path part : abs) {
            String name = part.toString();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                Path parent = current.getParent();
                current = parent == null ? current : parent;
                continue;
            }
            current = current.resolve(name);
            if (existing) {
                if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        current = current.toRealPath();
                    } catch (IOException e) {
                        // A dangling symlink or an unreadable entry: keep the path as written from here.
                        existing = false;
                    }
                } else {
                    existing = false;
                }
            }
        }
        return current;
    }

    private static Path firstSymlinkBelow(Path root, Path candidate) {
        Path current = root;
        for (Path part : root.relativize(candidate)) {
            if (part.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                return current;
            }
        }
        return null;
    }
}
