package io.aetherflow.steps.process;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepResult;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * {@code external.process}: runs a program (argv list, or one POSIX-quoted shell line), with
 * per-attempt timeouts that stop the whole process tree, retries with backoff, stdout/stderr
 * routing (inherit, inherit_raw, capture, file, discard), success checks on exit codes and files, and the
 * {@code marker} / {@code atomic_dir} idempotency strategies.
 *
 * <p>Captured output is never lost: each pipe is read to end of file on a reader thread of its own
 * (pooled across steps) and the readers are awaited before the result is built. Captures keep the
 * first {@code log.max_capture_kb} KiB per stream (a marker notes what was dropped); every line is masked with
 * {@link StepContext#mask(String)} before it reaches events, outputs or error messages. In
 * {@code inherit} (the default) and {@code file} mode the engine reads the pipes too and copies the
 * output, masked and line-buffered, to its own stdout/stderr or the log file ({@link MaskingPump});
 * only {@code inherit_raw} hands the engine's descriptors to the child (unmasked, documented opt-out).
 *
 * <p>The child's stdin is {@code /dev/null}: a batch step never blocks on the engine's terminal.
 * When the run is cancelled (thread interrupt) the process tree gets SIGTERM, at most
 * {@value #CANCEL_GRACE_CAP_SECONDS} s (or {@code kill_grace_seconds} when shorter) to exit, then
 * SIGKILL, and {@link InterruptedException} is thrown.
 *
 * <p>On Linux the child leads its own process group (started through {@code setsid}); the group
 * is reported to the engine ({@link StepContext#registerProcess}) and to a per-engine watchdog that
 * kills it when the engine dies ({@link ProcessGroups}).
 */
@Component(property = Step.TYPE_PROPERTY + "=" + ExternalProcessStep.TYPE)
public final class ExternalProcessStep implements Step {

    /** The step type name. */
    public static final String TYPE = "external.process";

    /** Longest grace given to the process tree when the run is cancelled. */
    static final long CANCEL_GRACE_CAP_SECONDS = 5;
    /**
     * How long to keep reading a pipe after the process exited: a background grandchild that
     * inherited the pipe can keep it open (and a reader blocked) long after the child is gone.
     * Output that grandchild writes later is not captured.
     */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final int ERROR_TAIL_CHARS = 2000;
    private static final File DEV_NULL = new File("/dev/null");

    /** How long a cancelled step still copies what the stopped tree left in its pipes. */
    static final Duration CANCEL_DRAIN_TIMEOUT = Duration.ofSeconds(1);
    private static final String PUMP_STOPS = "its output stops here";
    private static final String PUMP_FAILED = "routing output failed";

    private final Duration drainTimeout;
    /** Where {@code inherit} output goes; read per attempt, so a redirected {@code System.out} is honoured. */
    private final Supplier<OutputStream> stdoutSink;
    private final Supplier<OutputStream> stderrSink;

    /** Creates the step (used by DS). */
    public ExternalProcessStep() {
        this(DRAIN_TIMEOUT);
    }

    /**
     * The component ends (its bundle stops as the engine ends, or no step uses it any more): the
     * process-group watchdog ends too ({@link ProcessGroups#close()}), so the JVM's exit does not wait
     * for the thread that waits for it; the idle pipe reader threads end too ({@link PipeReader#shutdownPool()}).
     */
    @Deactivate
    void deactivate() {
        ProcessGroups.close();
        PipeReader.shutdownPool();
    }

    /** @param drainTimeout how long to read a pipe after the process exited (tests use a short one) */
    ExternalProcessStep(Duration drainTimeout) {
        this(drainTimeout, () -> System.out, () -> System.err);
    }

    /**
     * @param drainTimeout how long to read a pipe after the process exited
     * @param stdoutSink the engine's stdout for {@code inherit}
     * @param stderrSink the engine's stderr for {@code inherit}
     */
    ExternalProcessStep(Duration drainTimeout, Supplier<OutputStream> stdoutSink, Supplier<OutputStream> stderrSink) {
        this.drainTimeout = drainTimeout;
        this.stdoutSink = stdoutSink;
        this.stderrSink = stderrSink;
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        ProcessSpec spec = ProcessSpec.parse(ctx);
        ProcessSpec.RetryPolicy retry = spec.retry();
        if (retry.maxAttempts() <= 0) {
            throw new StepInputException("external_process_failed: retry.max_attempts must be at least 1, got "
                    + retry.maxAttempts());
        }
        ProcessSpec.Idempotency idem = spec.idempotency();
        if (idem.strategy() == ProcessSpec.Strategy.MARKER) {
            if (idem.markerPath() == null) {
                ctx.log("WARNING", "external.process: idempotency.strategy is marker but neither idempotency.marker_path"
                        + " nor success.marker_file is set; the command always runs");
            } else if (Files.exists(idem.markerPath()) && SuccessChecks.firstFailure(spec.success()) == null) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("skipped", true);
                out.put("marker", idem.markerPath().toString());
                return StepResult.skipped("marker_present", out);
            }
        }
        if (idem.strategy() == ProcessSpec.Strategy.ATOMIC_DIR) {
            OutputDirs.prepare(idem.tempDir());
        }
        List<String> command = command(spec, ctx);
        Map<String, String> env = childEnv(spec, ctx);
        List<String> masked = new ArrayList<>();
        spec.argv().forEach(a -> masked.add(ctx.mask(a)));
        List<String> shownArgv = List.copyOf(masked);
        String shownCommand = ctx.mask(ShellQuote.join(spec.argv()));

        for (long attempt = 1; ; attempt++) {
            if (attempt >= 2) {
                double backoff = retry.backoffBefore(attempt);
                if (backoff > 0) {
                    Thread.sleep((long) Math.ceil(backoff * 1000));
                }
            }
            Map<String, Object> start = new LinkedHashMap<>();
            start.put("attempt", attempt);
            start.put("command", shownArgv);
            ctx.event("INFO", "external_process_start", start);

            Attempt a = runOnce(ctx, spec, command, env);
            boolean more = attempt < retry.maxAttempts();
            if (a.timedOut()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("attempt", attempt);
                ctx.event("ERROR", "external_process_timeout", f);
                if (retry.retryOnTimeout() && more) {
                    continue;
                }
                throw new StepFailedException("external.process timed out after " + formatSeconds(spec.timeoutSeconds())
                        + "s (attempt " + attempt + " of " + retry.maxAttempts() + "): " + shownCommand);
            }
            if (!spec.success().exitCodes().contains(a.exitCode())) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("attempt", attempt);
                f.put("exit_code", a.exitCode());
                ctx.event("ERROR", "external_process_exit", f);
                if (retry.retryOnExitCodes().contains(a.exitCode()) && more) {
                    continue;
                }
                throw new StepFailedException(failureMessage(a, attempt, retry.maxAttempts(), shownCommand));
            }
            if (idem.strategy() == ProcessSpec.Strategy.ATOMIC_DIR) {
                OutputDirs.publish(idem.tempDir(), idem.finalDir(), idem.atomicRename());
            }
            String invalid = SuccessChecks.firstFailure(spec.success());
            if (invalid != null) {
                throw new StepFailedException("external.process outputs invalid: " + ctx.mask(invalid));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("exit_code", a.exitCode());
            out.put("attempts", attempt);
            if (a.stdout() != null) {
                out.put("stdout", a.stdout());
            }
            if (a.stderr() != null) {
                out.put("stderr", a.stderr());
            }
            if (spec.logFile() != null) {
                out.put("log_file", spec.logFile().toString());
            }
            out.putAll(spec.outputs());
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("attempt", attempt);
            f.put("exit_code", a.exitCode());
            ctx.event("INFO", "external_process_success", f);
            return StepResult.success(out);
        }
    }

    /**
     * Outcome of one attempt.
     *
     * @param timedOut the attempt hit {@code timeout_seconds} and the tree was stopped
     * @param exitCode the exit code (meaningless when timed out)
     * @param stdout captured stdout, or null when not captured
     * @param stderr captured stderr, or null when not captured
     */
    record Attempt(boolean timedOut, int exitCode, String stdout, String stderr) {
    }

    private Attempt runOnce(StepContext ctx, ProcessSpec spec, List<String> command, Map<String, String> env)
            throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("external.process cancelled before start");
        }
        ProcessGroups.Wrapped wrapped = ProcessGroups.wrap(command);
        ProcessBuilder pb = new ProcessBuilder(wrapped.command());
        try {
            pb.environment().clear();
            pb.environment().putAll(env);
        } catch (IllegalArgumentException e) {
            throw new StepInputException("external.process env has an invalid name or value: " + ctx.mask(e.getMessage()));
        }
        if (spec.cwd() != null) {
            pb.directory(spec.cwd().toFile());
        }
        if (DEV_NULL.exists()) {
            pb.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        }
        pb.redirectOutput(redirect(spec.stdout()));
        pb.redirectError(redirect(spec.stderr()));
        if (spec.logFile() != null) {
            try {
                Path parent = spec.logFile().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new StepFailedException("external.process cannot create the directory of log.file_path "
                        + spec.logFile() + ": " + e.getMessage(), e);
            }
        }
        OutputStream logSink;
        try {
            logSink = spec.stdout() == LogMode.FILE || spec.stderr() == LogMode.FILE
                    ? new FileOutputStream(spec.logFile().toFile(), true) : null;
        } catch (IOException e) {
            throw new StepFailedException("external.process cannot open log.file_path " + spec.logFile() + ": "
                    + ctx.mask(e.getMessage()) + "; it must be a writable file", e);
        }
        if (wrapped.ownGroup()) {
            ProcessGroups.ready();
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            closeQuietly(logSink);
            String hint = spec.shell() || spec.argv().size() > 1 || !spec.argv().get(0).contains(" ")
                    ? "check the program path and cwd"
                    : "a string command is one program name (no splitting); use a list or shell: true";
            throw new StepFailedException("external.process could not start " + ctx.mask(ShellQuote.quote(command.get(0)))
                    + ": " + ctx.mask(e.getMessage()) + "; " + hint, e);
        }
        // the child leads its own process group (setsid): the watchdog kills the group if the engine
        // dies, and the engine records it in the state store so a later run can kill it if the watchdog
        // could not
        long pgid = wrapped.ownGroup() ? p.pid() : -1;
        if (pgid > 0) {
            ProcessGroups.watch(pgid);
        }
        try {
            ctx.registerProcess(p.toHandle(), pgid);
        } catch (RuntimeException e) {
            ProcessTree.terminate(p, Duration.ZERO);
            if (pgid > 0) {
                ProcessGroups.unwatch(pgid);
            }
            closeQuietly(p);
            closeQuietly(logSink);
            throw e;
        }
        OutputCapture out = spec.stdout() == LogMode.CAPTURE
                ? OutputCapture.start(p.getInputStream(), ctx, "stdout", spec.maxCaptureBytes()) : null;
        OutputCapture err = spec.stderr() == LogMode.CAPTURE
                ? OutputCapture.start(p.getErrorStream(), ctx, "stderr", spec.maxCaptureBytes()) : null;
        MaskingPump outPump = pump(spec.stdout(), p.getInputStream(), stdoutSink.get(), logSink, ctx, "stdout");
        MaskingPump errPump = pump(spec.stderr(), p.getErrorStream(), stderrSink.get(), logSink, ctx, "stderr");
        boolean timedOut = false;
        try {
            if (spec.timeoutSeconds() == null) {
                p.waitFor();
            } else {
                timedOut = !p.waitFor((long) (spec.timeoutSeconds() * 1e9), TimeUnit.NANOSECONDS);
                if (timedOut) {
                    ProcessTree.terminate(p, duration(spec.killGraceSeconds()));
                    if (Thread.interrupted()) {
                        throw new InterruptedException("external.process cancelled while stopping a timed-out process");
                    }
                }
            }
            drain(ctx, drainTimeout, "capture stops here", "reading output failed", out, err);
            drain(ctx, drainTimeout, PUMP_STOPS, PUMP_FAILED, outPump, errPump);
        } catch (InterruptedException e) {
            ProcessTree.terminate(p, duration(Math.min(spec.killGraceSeconds(), CANCEL_GRACE_CAP_SECONDS)));
            Thread.interrupted();
            abandon(out, err);
            try {
                // the tree is gone: what it wrote last is still in the pipes, and is not lost
                drain(ctx, CANCEL_DRAIN_TIMEOUT, PUMP_STOPS, PUMP_FAILED, outPump, errPump);
            } catch (InterruptedException again) {
                Thread.interrupted();
            }
            throw e;
        } finally {
            if (p.isAlive()) {
                // only on an unexpected error: never leave a child running behind a failed step
                ProcessTree.terminate(p, Duration.ZERO);
            }
            for (MaskingPump pump : new MaskingPump[] {outPump, errPump}) {
                if (pump != null) {
                    pump.detach();
                }
            }
            if (pgid > 0) {
                ProcessGroups.unwatch(pgid);
            }
            closeQuietly(p);
            closeQuietly(logSink);
        }
        return new Attempt(timedOut, timedOut ? -1 : p.exitValue(), out == null ? null : out.text(),
                err == null ? null : err.text());
    }

    /**
     * A masking pump for a stream in {@link LogMode#INHERIT} or {@link LogMode#FILE} mode, else null.
     */
    private static MaskingPump pump(LogMode mode, InputStream in, OutputStream engineStream, OutputStream logSink,
            StepContext ctx, String stream) {
        OutputStream sink = mode == LogMode.INHERIT ? engineStream : mode == LogMode.FILE ? logSink : null;
        if (sink == null) {
            return null;
        }
        return new MaskingPump(in, sink, ctx::mask, "aetherflow-" + ctx.jobId() + "-" + ctx.stepId() + "-" + stream
                + "-pump").start();
    }

    /**
     * Waits for the readers to reach end of file; one still held open by a background grandchild after
     * the timeout is detached with a warning.
     *
     * @param stops what the warning says stops ("its output stops here")
     * @param failed what a reader's failure is called ("routing output failed")
     */
    private static void drain(StepContext ctx, Duration timeout, String stops, String failed, PipeReader... readers)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PipeReader r : readers) {
            if (r == null) {
                continue;
            }
            if (!r.awaitEnd(Math.max(1, deadline - System.nanoTime()))) {
                r.detach();
                ctx.log("WARNING", "external.process: an output pipe is still open " + timeout.toMillis()
                        + " ms after the process exited (a background child keeps it); " + stops);
            } else if (r.failure() != null) {
                ctx.log("WARNING", "external.process: " + failed + ": " + ctx.mask(r.failure().getMessage()));
            }
        }
    }

    private static void abandon(OutputCapture... captures) {
        for (OutputCapture c : captures) {
            if (c != null) {
                c.detach();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // every byte was flushed as it was written; nothing is lost by a failed close
            }
        }
    }

    private static void closeQuietly(Process p) {
        for (java.io.Closeable c : new java.io.Closeable[] {p.getOutputStream(), p.getInputStream(), p.getErrorStream()}) {
            try {
                c.close();
            } catch (IOException e) {
                // closing a pipe of a finished process; nothing to recover
            }
        }
    }

    private static ProcessBuilder.Redirect redirect(LogMode mode) {
        switch (mode) {
            case INHERIT_RAW:
                return ProcessBuilder.Redirect.INHERIT;
            case DISCARD:
                return ProcessBuilder.Redirect.DISCARD;
            default:
                // inherit, file and capture: read by the engine, so every byte is masked
                return ProcessBuilder.Redirect.PIPE;
        }
    }

    private static List<String> command(ProcessSpec spec, StepContext ctx) {
        if (!spec.shell()) {
            return spec.argv();
        }
        ctx.log("WARNING", "external.process: shell: true runs the command through /bin/sh -c; prefer an argv list"
                + " unless you need shell features");
        return List.of("/bin/sh", "-c", ShellQuote.join(spec.argv()));
    }

    private static Map<String, String> childEnv(ProcessSpec spec, StepContext ctx) {
        Map<String, String> env = new LinkedHashMap<>();
        if (spec.inheritEnv()) {
            env.putAll(ctx.env());
        }
        env.putIfAbsent("AETHERFLOW_FLOW_ID", ctx.flowId());
        env.putIfAbsent("AETHERFLOW_RUN_ID", ctx.runId());
        env.putAll(spec.env());
        if (spec.idempotency().strategy() == ProcessSpec.Strategy.ATOMIC_DIR) {
            env.putIfAbsent("AETHERFLOW_OUTPUT_DIR", spec.idempotency().tempDir().toString());
        }
        return env;
    }

    private static String failureMessage(Attempt a, long attempt, long max, String shownCommand) {
        StringBuilder b = new StringBuilder("external.process failed with exit code ").append(a.exitCode());
        if (max > 1) {
            b.append(" (attempt ").append(attempt).append(" of ").append(max).append(')');
        }
        b.append(": ").append(shownCommand);
        String err = a.stderr() == null ? "" : a.stderr().strip();
        if (!err.isEmpty()) {
            if (err.length() > ERROR_TAIL_CHARS) {
                err = "..." + err.substring(err.length() - ERROR_TAIL_CHARS);
            }
            b.append("\nstderr:\n").append(err);
        }
        return b.toString();
    }

    private static Duration duration(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    private static String formatSeconds(Double s) {
        if (s == Math.rint(s) && Math.abs(s) < 1e15) {
            return Long.toString(s.longValue());
        }
        return s.toString();
    }

    @Override
    public void checkInputs(Map<String, Object> rawInputs, InputChecks checks) {
        InputRules.check(rawInputs, checks);
    }
}
