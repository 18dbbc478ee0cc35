package io.aetherflow.dist.reliability;

import io.aetherflow.dist.Aetherflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the assembled distribution's {@code bin/aetherflow} as a process for
 * {@link BadInputReliabilityIT} (on io.aetherflow.dist.Aetherflow, with a result that survives a hung command).
 */
final class BadInputCli {

    static final Path HOME = Aetherflow.HOME;

    /** The outcome of one command. */
    record Result(int exit, String stdout, String stderr) {
        String both() {
            return stdout + stderr;
        }
    }

    private BadInputCli() {
    }

    static Map<String, String> baseEnv() {
        return Aetherflow.minimalEnv();
    }

    static Result run(Path cwd, Map<String, String> env, List<String> args) throws Exception {
        Process p = Aetherflow.builder(HOME, cwd, env, args.toArray(String[]::new)).start();
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
