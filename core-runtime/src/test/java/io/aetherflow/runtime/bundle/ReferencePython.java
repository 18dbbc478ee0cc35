package io.aetherflow.runtime.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python reference's own code (its {@code aetherflow.core} package, from source, with the
 * system {@code python3}) for side-by-side tests. The source comes from {@code AETHERFLOW_REF_SRC}
 * (the reference's {@code packages/aetherflow-core/src}) or is extracted from the reference's git
 * mirror when this machine has it; without either the tests that need it are skipped.
 */
final class ReferencePython {

    private static final Path MIRROR = Path.of("/work/.mirror/aicodedao+aetherflow/repo");
    private static Path src;

    private ReferencePython() {
    }

    /** @return the reference's source directory, or null when it is not available here */
    static synchronized Path source() throws IOException, InterruptedException {
        if (src != null) {
            return src;
        }
        String given = System.getenv("AETHERFLOW_REF_SRC");
        if (given != null && Files.isDirectory(Path.of(given, "aetherflow", "core"))) {
            return src = Path.of(given);
        }
        if (!Files.isDirectory(MIRROR) || !python()) {
            return null;
        }
        Path dir = Files.createTempDirectory("af-ref-src");
        Process p = new ProcessBuilder("sh", "-c", "git --git-dir=\"$0\" archive HEAD packages/aetherflow-core/src | tar -x -C \"$1\"",
                MIRROR.toString(), dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            return null;
        }
        Path s = dir.resolve("packages/aetherflow-core/src");
        return src = Files.isDirectory(s.resolve("aetherflow/core")) ? s : null;
    }

    private static boolean python() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import pydantic, yaml").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @param script Python code; its standard output is returned
     * @param args {@code sys.argv[1:]}
     * @return the output, trimmed
     */
    static String run(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PYTHONPATH", source().toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("python3 failed: " + new String(err, StandardCharsets.UTF_8));
        }
        return out.strip();
    }
}
