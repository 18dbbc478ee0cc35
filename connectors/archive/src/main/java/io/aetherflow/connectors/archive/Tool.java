package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs an external archive tool: output captured to a temporary file (last part kept for messages),
 * stdin from a file or nothing, a time limit, and optionally a watchdog that stops the tool when a
 * directory grows beyond a byte limit (zip bombs).
 */
final class Tool {

    /** The outcome of a run. */
    record Outcome(int exit, String output) {
    }

    private static final int EXCERPT = 400;

    private Tool() {
    }

    /** Finds an executable by name on PATH (or checks an explicit path); null when absent. */
    static Path which(String cmd) {
        if (cmd.contains("/")) {
            Path p = Path.of(cmd);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, cmd);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param watchDir a directory to watch, or null
     * @param maxBytes the byte limit of {@code watchDir}
     * @param onLimit the exception thrown when the limit is hit (the tool is stopped first)
     */
    static Outcome run(List<String> command, Path cwd, Path stdin, long timeoutSeconds, Path watchDir, long maxBytes,
            ConnectorException onLimit) throws IOException {
        Path log = Files.createTempFile("aetherflow-archive-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                    : ProcessBuilder.Redirect.from(stdin.toFile()));
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            try {
                while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                    if (watchDir != null && size(watchDir) > maxBytes) {
                        stop(p);
                        throw onLimit;
                    }
                    if (System.nanoTime() > deadline) {
                        stop(p);
                        throw new ConnectorException(command.get(0) + " did not finish within " + timeoutSeconds
                                + " s (resource option timeout)");
                    }
                }
            } catch (InterruptedException e) {
                stop(p);
                Thread.currentThread().interrupt();
                throw new ConnectorException(command.get(0) + " was interrupted (the run is being cancelled)", e);
            }
            if (watchDir != null && size(watchDir) > maxBytes) {
                throw onLimit;
            }
            String out = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).strip()
                    .replaceAll("\\s+", " ");
            if (out.length() > EXCERPT) {
                out = "..." + out.substring(out.length() - EXCERPT);
            }
            return new Outcome(p.exitValue(), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes of the regular files under a directory (links not followed). */
    static long size(Path dir) throws IOException {
        long[] total = {0};
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(f -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) {
                        total[0] += a.size();
                    }
                } catch (IOException e) {
                    // a file that vanished while walking does not count
                }
            });
        } catch (java.io.UncheckedIOException e) {
            return total[0];
        }
        return total[0];
    }
}
