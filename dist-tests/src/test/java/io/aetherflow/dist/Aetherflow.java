package io.aetherflow.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the assembled distribution's {@code bin/aetherflow} as a process, the way cron does. Public so the
 * reliability suite ({@code io.aetherflow.dist.reliability}) shares it.
 */
public final class Aetherflow {

    public static final Path HOME = Paths.get(System.getProperty("aetherflow.home", "../bundles-repo/target/aetherflow-0.1.0"))
            .toAbsolutePath().normalize();
    public static final Path REPO = Paths.get(System.getProperty("aetherflow.repo", "..")).toAbsolutePath().normalize();
    public static final Path CACHE = Paths.get("target", "af-cache").toAbsolutePath();

    /** The outcome of one command. */
    public record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit=" + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Aetherflow() {
    }

    /** The few variables a cron job has, plus the shared launcher cache of this test run. */
    public static Map<String, String> minimalEnv() {
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

    /** {@link #minimalEnv()} with the workspace and the state under {@code work}. */
    public static Map<String, String> baseEnv(Path work) {
        Map<String, String> env = minimalEnv();
        env.put("AETHERFLOW_WORK_ROOT", work.resolve("work").toString());
        // the default state file and every example's: $AETHERFLOW_STATE_ROOT/aetherflow.sqlite, never /tmp/state
        env.put("AETHERFLOW_STATE_ROOT", work.resolve("state-root").toString());
        env.put("AF_STATE", work.resolve("state/af.sqlite").toString());
        return env;
    }

    public static ProcessBuilder builder(Path home, Path cwd, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/aetherflow").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    public static Result run(Path cwd, Map<String, String> env, String... args) throws Exception {
        return run(HOME, cwd, env, args);
    }

    public static Result run(Path home, Path cwd, Map<String, String> env, String... args) throws Exception {
        Process p = builder(home, cwd, env, args).start();
        p.getOutputStream().close();
        return finish(p, 120);
    }

    public static Result finish(Process p, int timeoutSeconds) throws Exception {
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("aetherflow did not finish within " + timeoutSeconds + " s: " + err.get());
        }
        return new Result(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
    }

    public static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
    }

    public static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** Waits until a file exists (a step signalled that it started). */
    public static void awaitFile(Path file, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(file)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + file);
            }
            Thread.sleep(50);
        }
    }

    /** {@link #baseEnv} with a launcher cache of its own under {@code tmp/cache}, for a copied installation. */
    public static Map<String, String> installationEnv(Path tmp) {
        Map<String, String> env = baseEnv(tmp);
        env.put("AETHERFLOW_CACHE_HOME", tmp.resolve("cache").toString());
        return env;
    }

    /**
     * Copies the assembled installation into {@code tmp/install} (tests that change plugins.lock, the trust
     * store or bundles/ work on their own copy).
     *
     * @return the copy's home directory
     */
    public static Path copyInstallation(Path tmp) throws IOException, InterruptedException {
        Path home = tmp.resolve("install");
        int exit = new ProcessBuilder("cp", "-a", HOME.toString(), home.toString()).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("cp -a " + HOME + " " + home + " exited " + exit);
        }
        return home;
    }
}
