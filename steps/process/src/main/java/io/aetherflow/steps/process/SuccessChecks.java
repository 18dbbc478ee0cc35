package io.aetherflow.steps.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/** The file checks of {@code success.*}, in the reference's order. */
final class SuccessChecks {

    private SuccessChecks() {
    }

    /**
     * Runs the checks: required files (marker last), then globs, then forbidden files.
     *
     * @param s the criteria
     * @return the first failure reason ({@code missing_required_file:<p>},
     *         {@code missing_required_glob:<g>}, {@code forbidden_file_present:<p>}), or null when all pass
     */
    static String firstFailure(ProcessSpec.SuccessCriteria s) {
        for (Path p : s.requireFiles()) {
            if (!Files.exists(p)) {
                return "missing_required_file:" + p;
            }
        }
        for (Path g : s.requireGlobs()) {
            if (!globMatches(g)) {
                return "missing_required_glob:" + g;
            }
        }
        for (Path p : s.forbidFiles()) {
            if (Files.exists(p)) {
                return "forbidden_file_present:" + p;
            }
        }
        return null;
    }

    /**
     * @param pattern an absolute path whose last segment may hold glob characters
     * @return true when at least one entry of the parent directory matches the last segment
     */
    static boolean globMatches(Path pattern) {
        Path dir = pattern.getParent();
        Path name = pattern.getFileName();
        if (dir == null || name == null || !Files.isDirectory(dir)) {
            return false;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                if (m.matches(e.getFileName())) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
