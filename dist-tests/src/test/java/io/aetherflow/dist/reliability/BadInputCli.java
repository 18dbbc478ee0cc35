package io.aetherflow.dist.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the assembled distribution's {@code bin/aetherflow} as a process for
 * {@link BadInputReliabilityIT} (copied from io.aetherflow.dist.Aetherflow, which is package-private).
 */
final class BadInputCli {

    static final Path HOME = Paths.get(System.getProperty("aetherflow.home", "../bundles-repo/target/aetherflow-0.1.0"))
            .toAbsolutePath().normalize();
    static final Path CACHE = Paths.get("target", "af-cache").toAbsolutePath();

    /** The outcome of one command. */
    record Result(int exit, String stdout, String stderr) {
        String both() {
            return stdout + stderr;
        }
    }

    private BadInputCli() {
    }

    static Map<String, String> baseEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("PATH", "HOME", "JAVA_HOME", "LANG", "USER", "TMPDIR")) {
            String v = System.getenv(k);
            if (v != null) {
                env.put(k, v);
            }
        }
        env.put("AETHERFLOW_CACHE_HOME", CACHE.toString());
        return env;
    }

    static Result run(Path cwd, Map<String, String> env, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(HOME.resolve("bin/aetherflow").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return new Result(-1, out.get(10, TimeUnit.SECONDS), "<timed out after 60 s>");
        }
        return new Result(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
    }
}
