package io.aetherflow.steps.process;

import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.support.PyRepr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rendered inputs of one {@code external.process} invocation, parsed and checked before
 * anything runs. Paths are already resolved through the sandbox.
 *
 * @param argv the program and its arguments (before shell joining)
 * @param shell run {@code argv} as one POSIX-quoted command line through {@code /bin/sh -c}
 * @param cwd working directory, or null to inherit the engine's
 * @param timeoutSeconds per-attempt timeout, or null for none
 * @param killGraceSeconds wait between SIGTERM and SIGKILL on timeout
 * @param inheritEnv start the child env from the run's env snapshot (else empty)
 * @param env user env entries applied over the defaults, in order
 * @param stdout mode of the child's stdout
 * @param stderr mode of the child's stderr
 * @param logFile the shared log file for {@link LogMode#FILE}, or null
 * @param maxCaptureBytes capture limit per stream
 * @param retry retry policy
 * @param success success criteria
 * @param idempotency idempotency strategy
 * @param outputs extra output entries, copied verbatim
 */
record ProcessSpec(List<String> argv, boolean shell, Path cwd, Double timeoutSeconds, double killGraceSeconds,
        boolean inheritEnv, Map<String, String> env, LogMode stdout, LogMode stderr, Path logFile,
        long maxCaptureBytes, RetryPolicy retry, SuccessCriteria success, Idempotency idempotency,
        Map<String, Object> outputs) {

    static final long DEFAULT_MAX_CAPTURE_KB = 1024;
    static final double DEFAULT_KILL_GRACE_SECONDS = 15;

    /**
     * Retry policy.
     *
     * @param maxAttempts total attempts (validated to be at least 1 by the step)
     * @param backoffSeconds sleep before the second attempt
     * @param backoffMultiplier growth factor per further attempt
     * @param maxBackoffSeconds cap on the sleep when positive
     * @param retryOnExitCodes exit codes that are retried
     * @param retryOnTimeout retry after a timeout
     */
    record RetryPolicy(long maxAttempts, double backoffSeconds, double backoffMultiplier, double maxBackoffSeconds,
            Set<Integer> retryOnExitCodes, boolean retryOnTimeout) {

        /**
         * @param attempt the attempt about to start (2 or more)
         * @return the sleep before it, in seconds
         */
        double backoffBefore(long attempt) {
            double s = backoffSeconds * Math.pow(backoffMultiplier, attempt - 2);
            if (maxBackoffSeconds > 0) {
                s = Math.min(s, maxBackoffSeconds);
            }
            return Math.max(0, s);
        }
    }

    /**
     * Success criteria (exit codes and file checks).
     *
     * @param exitCodes accepted exit codes
     * @param requireFiles files that must exist (marker file last)
     * @param requireGlobs patterns (glob in the last segment) that must match at least one entry
     * @param forbidFiles files that must not exist
     * @param markerFile {@code success.marker_file}, or null
     */
    record SuccessCriteria(Set<Integer> exitCodes, List<Path> requireFiles, List<Path> requireGlobs,
            List<Path> forbidFiles, Path markerFile) {
    }

    /** Idempotency strategies. */
    enum Strategy { NONE, MARKER, ATOMIC_DIR }

    /**
     * Idempotency settings.
     *
     * @param strategy the strategy
     * @param markerPath marker for {@link Strategy#MARKER} ({@code marker_path}, else the success marker)
     * @param tempDir atomic_dir temp directory
     * @param finalDir atomic_dir final directory
     * @param atomicRename rename temp to final (else move the children)
     */
    record Idempotency(Strategy strategy, Path markerPath, Path tempDir, Path finalDir, boolean atomicRename) {
    }

    /**
     * Parses and checks the inputs of {@code ctx}.
     *
     * @param ctx the step context
     * @return the spec
     * @throws StepInputException for missing or ill-typed inputs
     */
    static ProcessSpec parse(StepContext ctx) {
        StepInputs in = ctx.inputs();
        List<String> argv = argv(in);
        boolean shell = in.bool("shell", false);
        String cwdText = in.optString("cwd", null);
        Path cwd = cwdText == null || cwdText.isEmpty() ? null : ctx.resolvePath(cwdText);
        Double timeout = null;
        if (in.raw("timeout_seconds") != null) {
            timeout = in.number("timeout_seconds", 0);
            if (!(timeout > 0) || timeout.isInfinite()) {
                throw new StepInputException("external.process input 'timeout_seconds' must be a positive number, got "
                        + PyRepr.str(in.raw("timeout_seconds")));
            }
        }
        double grace = in.number("kill_grace_seconds", DEFAULT_KILL_GRACE_SECONDS);
        if (grace < 0 || Double.isNaN(grace) || Double.isInfinite(grace)) {
            throw new StepInputException("external.process input 'kill_grace_seconds' must be zero or more, got "
                    + PyRepr.str(in.raw("kill_grace_seconds")));
        }
        boolean inheritEnv = in.bool("inherit_env", true);
        Map<String, String> env = env(in.raw("env"));

        StepInputs log = in.section("log");
        LogMode out = LogMode.parse(log.optString("stdout", null), "log.stdout");
        LogMode err = LogMode.parse(log.optString("stderr", null), "log.stderr");
        Path logFile = null;
        if (out == LogMode.FILE || err == LogMode.FILE) {
            String fp = log.optString("file_path", null);
            if (fp == null || fp.isEmpty()) {
                throw new StepInputException("log.file_path is required when stdout/stderr mode is 'file'");
            }
            logFile = ctx.resolvePath(fp);
        }
        long maxCapture;
        if (log.raw("max_capture_kb") != null) {
            maxCapture = nonNegative(log.integer("max_capture_kb", DEFAULT_MAX_CAPTURE_KB), "log.max_capture_kb") * 1024;
        } else if (log.raw("max_capture_bytes") != null) {
            maxCapture = nonNegative(log.integer("max_capture_bytes", 0), "log.max_capture_bytes");
        } else {
            maxCapture = DEFAULT_MAX_CAPTURE_KB * 1024;
        }

        StepInputs r = in.section("retry");
        double backoff = r.raw("backoff_seconds") != null ? r.number("backoff_seconds", 0) : r.number("sleep_seconds", 0);
        RetryPolicy retry = new RetryPolicy(r.integer("max_attempts", 1), backoff,
                r.number("backoff_multiplier", 1.0), r.number("max_backoff_seconds", 0),
                intSet(r.list("retry_on_exit_codes"), "retry.retry_on_exit_codes"), r.bool("retry_on_timeout", false));

        StepInputs s = in.section("success");
        Set<Integer> exitCodes = intSet(s.list("exit_codes"), "success.exit_codes");
        if (exitCodes.isEmpty()) {
            exitCodes = Set.of(0);
        }
        String markerText = s.optString("marker_file", null);
        Path marker = markerText == null || markerText.isEmpty() ? null : ctx.resolvePath(markerText);
        List<Path> require = paths(ctx, s, "require_files", "required_files");
        if (marker != null) {
            require.add(marker);
        }
        SuccessCriteria success = new SuccessCriteria(exitCodes, List.copyOf(require),
                List.copyOf(paths(ctx, s, "require_glob", "required_globs")),
                List.copyOf(paths(ctx, s, "forbid_files", "forbidden_files")), marker);

        Idempotency idem = idempotency(ctx, in.section("idempotency"), marker);
        Object rawOutputs = in.raw("outputs");
        Map<String, Object> outputs = new LinkedHashMap<>();
        if (rawOutputs instanceof Map<?, ?> m) {
            m.forEach((k, v) -> outputs.put(String.valueOf(k), v));
        } else if (rawOutputs != null) {
            throw new StepInputException("external.process input 'outputs' must be a mapping, got "
                    + PyRepr.str(rawOutputs));
        }
        return new ProcessSpec(List.copyOf(argv), shell, cwd, timeout, grace, inheritEnv, env, out, err, logFile,
                maxCapture, retry, success, idem, Collections.unmodifiableMap(outputs));
    }

    private static List<String> argv(StepInputs in) {
        if (!in.has("command")) {
            throw new StepInputException("external.process requires inputs.command");
        }
        Object cmd = in.raw("command");
        List<String> argv = new ArrayList<>();
        if (cmd instanceof String s) {
            argv.add(s);
        } else if (cmd instanceof List<?> l) {
            l.forEach(x -> argv.add(PyRepr.str(x)));
        } else {
            throw new StepInputException("external.process inputs.command must be a string or list");
        }
        Object args = in.raw("args");
        if (args instanceof List<?> l) {
            l.forEach(x -> argv.add(PyRepr.str(x)));
        } else if (args != null) {
            throw new StepInputException("external.process inputs.args must be a list");
        }
        if (argv.isEmpty()) {
            throw new StepInputException("external.process inputs.command must not be empty");
        }
        return argv;
    }

    private static Map<String, String> env(Object raw) {
        Map<String, String> env = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(PyRepr.str(k), v == null ? "" : PyRepr.str(v)));
        } else if (raw != null) {
            throw new StepInputException("external.process input 'env' must be a mapping, got " + PyRepr.str(raw));
        }
        return Collections.unmodifiableMap(env);
    }

    private static Idempotency idempotency(StepContext ctx, StepInputs i, Path successMarker) {
        String name = i.optString("strategy", "none").toLowerCase(Locale.ROOT);
        Strategy strategy;
        switch (name) {
            case "":
            case "none":
                strategy = Strategy.NONE;
                break;
            case "marker":
                strategy = Strategy.MARKER;
                break;
            case "atomic_dir":
                strategy = Strategy.ATOMIC_DIR;
                break;
            default:
                throw new StepInputException("external.process idempotency.strategy must be none, marker or atomic_dir, got '"
                        + name + "'");
        }
        String mp = i.optString("marker_path", null);
        Path marker = mp == null || mp.isEmpty() ? successMarker : ctx.resolvePath(mp);
        Path temp = null;
        Path fin = null;
        if (strategy == Strategy.ATOMIC_DIR) {
            String t = i.optString("temp_output_dir", null);
            String f = i.optString("final_output_dir", null);
            if (t == null || t.isEmpty() || f == null || f.isEmpty()) {
                throw new StepInputException("atomic_dir requires temp_output_dir and final_output_dir");
            }
            temp = ctx.resolvePath(t);
            fin = ctx.resolvePath(f);
            if (temp.equals(fin) || fin.startsWith(temp) || temp.startsWith(fin)) {
                throw new StepInputException("external.process idempotency.temp_output_dir and final_output_dir must be "
                        + "separate directories, got " + temp + " and " + fin);
            }
        }
        return new Idempotency(strategy, marker, temp, fin, i.bool("atomic_rename", true));
    }

    private static List<Path> paths(StepContext ctx, StepInputs s, String name, String alias) {
        List<Path> out = new ArrayList<>();
        for (String n : new String[] {name, alias}) {
            for (Object o : s.list(n)) {
                if (o != null && !PyRepr.str(o).isEmpty()) {
                    out.add(ctx.resolvePath(PyRepr.str(o)));
                }
            }
        }
        return out;
    }

    private static long nonNegative(long v, String name) {
        if (v < 0) {
            throw new StepInputException("external.process input '" + name + "' must be zero or more, got " + v);
        }
        return v;
    }

    private static Set<Integer> intSet(List<Object> values, String name) {
        Set<Integer> out = new LinkedHashSet<>();
        for (Object o : values) {
            Integer v = null;
            if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
                v = ((Number) o).intValue();
            } else if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                v = (int) n.doubleValue();
            } else if (o instanceof String str) {
                try {
                    v = Integer.parseInt(str.trim());
                } catch (NumberFormatException e) {
                    v = null;
                }
            }
            if (v == null) {
                throw new StepInputException("external.process input '" + name + "' must be a list of integers, got "
                        + PyRepr.str(o));
            }
            out.add(v);
        }
        return Collections.unmodifiableSet(out);
    }
}
