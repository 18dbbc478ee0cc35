package io.aetherflow.runtime.env;

import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.api.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A secrets provider implemented by an external program, selected with
 * {@code AETHERFLOW_SECRETS_PATH=<program>} ({@code ~} is expanded; relative paths resolve against
 * the working directory). The program may be written in any language; it must be executable.
 *
 * <h2>Protocol</h2>
 * The engine runs the program with one argument, the command, in the engine's working directory and
 * with the engine's process environment. All text is UTF-8.
 * <ul>
 * <li>{@code <program> decode}: stdin carries the encoded value exactly as rendered from the resource
 * (no newline added). The program writes the decoded value to stdout and exits 0. One trailing
 * newline ({@code \n} or {@code \r\n}) is removed from stdout; everything else is kept.</li>
 * <li>{@code <program> expand-env}: stdin carries the run's environment snapshot as one JSON object
 * (name to string value). The program writes the complete new snapshot to stdout as one JSON object
 * whose values are all strings, and exits 0. Keys it leaves out are removed from the snapshot. A
 * program that does not expand the environment exits with code {@value #EXIT_UNSUPPORTED}
 * ({@code EX_USAGE}, the usual answer to an unknown command); the snapshot is then unchanged.</li>
 * </ul>
 * Any other non-zero exit code, a run longer than the timeout (default 30 s; the program and its
 * children are killed), more than 16 MiB on stdout, or (for {@code expand-env}) output that is not a
 * JSON object of strings is a failure: the run stops with exit code 4. Failure messages name the
 * program, the command and the exit code plus the first line of stderr, with the value, the
 * program's stdout and secret-looking environment values masked; they never contain the value or
 * stdout. The program should write diagnostics to stderr and never echo secrets there.
 *
 * <h2>Python hooks</h2>
 * {@link #pythonHook} runs a Python secrets module (the Python AetherFlow's {@code decode(value)} and
 * optional {@code expand_env(env)}) through {@code python3} and the adapter
 * {@value #PYTHON_ADAPTER}, which speaks this protocol for it. A failure's message is the adapter's
 * one-line summary; the Python traceback behind it (masked) is kept as the exception's cause, which
 * the CLI prints only at DEBUG. The decoded value is returned as the hook returned it (no newline is
 * removed).
 */
public final class ExecutableSecretsProvider implements SecretsProvider {

    /** Exit code meaning "command not supported" ({@code EX_USAGE}). */
    public static final int EXIT_UNSUPPORTED = 64;
    /** Default time limit per call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_STDOUT = 16 * 1024 * 1024;
    private static final int MAX_STDERR = 64 * 1024;
    private static final int MAX_MESSAGE = 300;

    /** Class-path resource of the adapter that runs a Python secrets hook. */
    public static final String PYTHON_ADAPTER = "python-secrets-hook.py";

    private final Path program;
    private final List<String> command;
    private final boolean python;
    private final Duration timeout;

    /**
     * @param program the executable (absolute)
     * @param timeout time limit per call
     */
    public ExecutableSecretsProvider(Path program, Duration timeout) {
        this(program, List.of(program.toString()), false, timeout);
    }

    private ExecutableSecretsProvider(Path program, List<String> command, boolean python, Duration timeout) {
        this.program = program;
        this.command = List.copyOf(command);
        this.python = python;
        this.timeout = timeout;
    }

    /**
     * A Python secrets module run by {@code python} through the adapter {@value #PYTHON_ADAPTER}.
     *
     * @param python the Python 3 interpreter (absolute)
     * @param hook the module file (absolute)
     * @param timeout time limit per call
     * @return the provider
     */
    public static ExecutableSecretsProvider pythonHook(Path python, Path hook, Duration timeout) {
        // -B: importing the hook must not write __pycache__ next to it
        return new ExecutableSecretsProvider(hook, List.of(python.toString(), "-B", "-c", adapterSource(),
                hook.toString()), true, timeout);
    }

    private static String adapterSource() {
        try (InputStream in = ExecutableSecretsProvider.class.getResourceAsStream(PYTHON_ADAPTER)) {
            if (in == null) {
                throw new IllegalStateException("resource " + PYTHON_ADAPTER + " is missing from core-runtime");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return whether this is a Python hook run through the adapter */
    public boolean isPythonHook() {
        return python;
    }

    /** @param program the executable (absolute); 30 s time limit per call */
    public ExecutableSecretsProvider(Path program) {
        this(program, DEFAULT_TIMEOUT);
    }

    /** @return the program */
    public Path program() {
        return program;
    }

    @Override
    public String decode(String value) throws SecretsException {
        SecretMasker masker = new SecretMasker();
        masker.add(value);
        Result r = run("decode", value.getBytes(StandardCharsets.UTF_8), masker);
        if (r.exitCode != 0) {
            throw failure("decode", r, masker);
        }
        String out = r.stdout;
        if (python) {
            return out;
        }
        if (out.endsWith("\r\n")) {
            out = out.substring(0, out.length() - 2);
        } else if (out.endsWith("\n")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    @Override
    public Map<String, String> expandEnv(Map<String, String> env) throws SecretsException {
        SecretMasker masker = new SecretMasker();
        masker.addEnvSecrets(env);
        Result r = run("expand-env", Json.writeSpaced(env).getBytes(StandardCharsets.UTF_8), masker);
        if (r.exitCode == EXIT_UNSUPPORTED) {
            return env;
        }
        if (r.exitCode != 0) {
            throw failure("expand-env", r, masker);
        }
        Object parsed;
        try {
            parsed = Json.parse(r.stdout);
        } catch (IllegalArgumentException e) {
            throw new SecretsException(where("expand-env") + " printed something that is not JSON on stdout;"
                    + " it must print one JSON object of string values");
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new SecretsException(where("expand-env") + " must print one JSON object of string values on stdout");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SecretsException(where("expand-env") + ": the value of " + e.getKey()
                        + " in its output is not a string; all values must be strings");
            }
            out.put(String.valueOf(e.getKey()), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private String where(String command) {
        return (python ? "secrets hook " : "secrets program ") + program + " " + command;
    }

    private SecretsException failure(String command, Result r, SecretMasker masker) {
        String line = firstLine(r.stderr);
        line = masker.mask(line);
        if (line.length() > MAX_MESSAGE) {
            line = line.substring(0, MAX_MESSAGE) + "...";
        }
        if (python && r.exitCode == 1 && !line.isEmpty()) {
            // the adapter's one-line summary; the traceback after it is for DEBUG only
            String rest = r.stderr.strip();
            Throwable detail = rest.indexOf('\n') < 0 ? null
                    : new SecretsException("output of the Python hook:\n" + masker.mask(rest));
            return new SecretsException(where(command) + " failed: " + line, detail);
        }
        return new SecretsException(where(command) + " failed with exit code " + r.exitCode
                + (line.isEmpty() ? " (nothing on stderr)" : ": " + line));
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private Result run(String command, byte[] input, SecretMasker masker) throws SecretsException {
        Process process;
        try {
            List<String> cmd = new ArrayList<>(this.command);
            cmd.add(command);
            process = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new SecretsException(where(command) + " cannot be started: " + e.getMessage()
                    + "; check AETHERFLOW_SECRETS_PATH");
        }
        FutureTask<byte[]> out = reader(process.getInputStream(), MAX_STDOUT, false);
        FutureTask<byte[]> err = reader(process.getErrorStream(), MAX_STDERR, true);
        FutureTask<byte[]> in = new FutureTask<>(() -> {
            try (OutputStream os = process.getOutputStream()) {
                os.write(input);
            } catch (IOException e) {
                // The program exited or closed stdin without reading it all; its exit code tells.
            }
            return null;
        });
        start(out, "stdout");
        start(err, "stderr");
        start(in, "stdin");
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                throw new SecretsException(where(command) + " did not finish within " + timeout.toSeconds()
                        + " s and was killed");
            }
            long left = Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1);
            byte[] stdout = out.get(left, TimeUnit.NANOSECONDS);
            byte[] stderr = err.get(left, TimeUnit.NANOSECONDS);
            if (stdout == null) {
                throw new SecretsException(where(command) + " wrote more than " + MAX_STDOUT / (1024 * 1024)
                        + " MiB to stdout");
            }
            String stdoutText = new String(stdout, StandardCharsets.UTF_8);
            masker.add(stdoutText.strip());
            stdoutText.lines().forEach(l -> masker.add(l.strip()));
            return new Result(process.exitValue(), stdoutText, new String(stderr, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new SecretsException(where(command) + " was interrupted");
        } catch (TimeoutException e) {
            // The program exited but a child still holds its stdout/stderr open.
            kill(process);
            throw new SecretsException(where(command) + " exited but left a process holding its output open");
        } catch (ExecutionException e) {
            kill(process);
            throw new SecretsException(where(command) + ": cannot read its output: " + e.getCause());
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void start(FutureTask<?> task, String stream) {
        Thread t = new Thread(task, "aetherflow-secrets-" + stream);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Reads a stream fully (draining it). Beyond {@code max} bytes: the first bytes when
     * {@code keepPrefix}, else null.
     */
    private static FutureTask<byte[]> reader(InputStream stream, int max, boolean keepPrefix) {
        return new FutureTask<>(() -> {
            try (InputStream in = stream) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                boolean overflow = false;
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    int room = overflow ? 0 : max - buf.size();
                    if (n <= room) {
                        buf.write(chunk, 0, n);
                    } else {
                        buf.write(chunk, 0, Math.max(0, room));
                        overflow = true;
                    }
                }
                return overflow && !keepPrefix ? null : buf.toByteArray();
            }
        });
    }
}
