package io.aetherflow.steps.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.testkit.FakeStepContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external.process step against real processes, files and directories. */
class ExternalProcessStepTest {

    @TempDir
    Path tmp;

    private final ExternalProcessStep step = new ExternalProcessStep();

    /** Builds an ordered map (null values allowed) from key/value pairs. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<Object> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    private FakeStepContext ctx(Map<String, Object> inputs) {
        return FakeStepContext.at(tmp).flowId("flow-1").runId("run-1").jobId("job-1").stepId("step-1").stepType(ExternalProcessStep.TYPE).inputs(inputs);
    }

    private static long readPid(Path file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String s = Files.readString(file).trim();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no pid written to " + file);
    }

    private static void assertGone(long pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        while (h.isPresent() && io.aetherflow.api.support.Processes.running(h.get()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (h.isPresent() && io.aetherflow.api.support.Processes.running(h.get())) {
            h.get().destroyForcibly();
            throw new AssertionError("process " + pid + " survived");
        }
    }

    // ---- basic run, events, outputs ----

    @Test
    void successCapturesStdoutEmitsEventsInOrderAndPassesOutputsThrough() throws Exception {
        FakeStepContext c = ctx(map("command", List.of("printf", "a\\n\\nb\\n"), "log", map("stdout", "capture"),
                "outputs", map("table", "t1", "count", 3)));
        StepResult r = step.run(c);
        assertEquals(StepResult.SUCCESS, r.status());
        assertEquals(List.of("exit_code", "attempts", "stdout", "table", "count"), new ArrayList<>(r.output().keySet()));
        assertEquals(0, r.output().get("exit_code"));
        assertEquals(1L, r.output().get("attempts"));
        assertEquals("a\n\nb\n", r.output().get("stdout"));
        assertEquals("t1", r.output().get("table"));
        assertEquals(List.of("external_process_start", "external_process_stdout", "external_process_stdout",
                "external_process_success"), c.eventNames());
        FakeStepContext.Event start = c.events("external_process_start").get(0);
        assertEquals("INFO", start.level());
        assertEquals(List.of("attempt", "command"), new ArrayList<>(start.fields().keySet()));
        assertEquals(List.of("printf", "a\\n\\nb\\n"), start.fields().get("command"));
        assertEquals(Map.of("message", "a"), c.events("external_process_stdout").get(0).fields());
        assertEquals(Map.of("message", "b"), c.events("external_process_stdout").get(1).fields());
        FakeStepContext.Event ok = c.events("external_process_success").get(0);
        assertEquals(List.of("attempt", "exit_code"), new ArrayList<>(ok.fields().keySet()));
    }

    @Test
    void argvItemsAndArgsAreStringifiedLikeTheReference() throws Exception {
        FakeStepContext c = ctx(map("command", List.of("printf", "%s|"), "args", List.of(1, true, 2.5),
                "log", map("stdout", "capture")));
        assertEquals("1|True|2.5|", step.run(c).output().get("stdout"));
    }

    @Test
    void floatsAndNestedValuesAreRenderedAsPythonStrDoes() throws Exception {
        List<Object> args = new ArrayList<>(List.of(1e16, 1e-5, List.of("it's", 0.5)));
        args.add(null);
        var c = ctx(map("command", List.of("printf", "%s|"), "args", args, "log", map("stdout", "capture")));
        assertEquals("1e+16|1e-05|[\"it's\", 0.5]|None|", step.run(c).output().get("stdout"));
    }

    @Test
    void stringCommandIsOneProgramNameNotSplit() {
        FakeStepContext c = ctx(map("command", "echo hi"));
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertTrue(e.getMessage().startsWith("external.process could not start 'echo hi'"), e.getMessage());
        assertTrue(e.getMessage().contains("no splitting"), e.getMessage());
    }

    @Test
    void badCommandAndArgsTypesAreRejected() {
        assertEquals("external.process inputs.command must be a string or list",
                assertThrows(StepInputException.class, () -> step.run(ctx(map("command", 5)))).getMessage());
        assertEquals("external.process inputs.args must be a list",
                assertThrows(StepInputException.class, () -> step.run(ctx(map("command", "true", "args", "x"))))
                        .getMessage());
        assertEquals("Unsupported log mode: tee (external.process log.stdout must be inherit, inherit_raw, capture, file or discard)",
                assertThrows(StepInputException.class,
                        () -> step.run(ctx(map("command", "true", "log", map("stdout", "tee"))))).getMessage());
        assertEquals("log.file_path is required when stdout/stderr mode is 'file'",
                assertThrows(StepInputException.class,
                        () -> step.run(ctx(map("command", "true", "log", map("stderr", "FILE"))))).getMessage());
    }

    // ---- exit codes, retries, backoff ----

    @Test
    void failingExitCodeGivesOneSelfContainedFirstLineThenStderrTail() {
        FakeStepContext c = ctx(map("command", sh("echo boom >&2; exit 3"), "log", map("stderr", "capture")));
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        String[] lines = e.getMessage().split("\n");
        assertEquals("external.process failed with exit code 3: /bin/sh -c 'echo boom >&2; exit 3'", lines[0]);
        assertTrue(e.getMessage().endsWith("\nstderr:\nboom"), e.getMessage());
        FakeStepContext.Event exit = c.events("external_process_exit").get(0);
        assertEquals("ERROR", exit.level());
        assertEquals(map("attempt", 1L, "exit_code", 3), exit.fields());
        assertEquals("WARNING", c.events("external_process_stderr").get(0).level());
    }

    @Test
    void customSuccessExitCodesAreHonoured() throws Exception {
        FakeStepContext c = ctx(map("command", sh("exit 4"), "success", map("exit_codes", List.of(0, "4"))));
        assertEquals(4, step.run(c).output().get("exit_code"));
    }

    @Test
    void retriesListedExitCodesWithBackoffAndCountsAttempts() throws Exception {
        String script = "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ] || exit 7";
        FakeStepContext c = ctx(map("command", sh(script), "cwd", ".",
                "retry", map("max_attempts", 3, "retry_on_exit_codes", List.of(7), "backoff_seconds", 0.1,
                        "backoff_multiplier", 2)));
        long t0 = System.nanoTime();
        StepResult r = step.run(c);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(3L, r.output().get("attempts"));
        assertTrue(ms >= 300, "backoff 0.1 s then 0.2 s, took " + ms + " ms");
        assertEquals(3, c.events("external_process_start").size());
        assertEquals(2, c.events("external_process_exit").size());
        assertEquals(List.of(1L, 2L, 3L), c.events("external_process_start").stream()
                .map(e -> e.fields().get("attempt")).toList());
    }

    @Test
    void exitCodesNotListedAreNotRetried() {
        FakeStepContext c = ctx(map("command", sh("exit 5"), "retry", map("max_attempts", 3,
                "retry_on_exit_codes", List.of(7))));
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertTrue(e.getMessage().startsWith("external.process failed with exit code 5 (attempt 1 of 3)"), e.getMessage());
        assertEquals(1, c.events("external_process_start").size());
    }

    @Test
    void backoffGrowsAndIsCappedAndSleepSecondsIsAnAlias() throws Exception {
        ProcessSpec.RetryPolicy p = new ProcessSpec.RetryPolicy(5, 2, 3, 10, Set.of(), false);
        assertEquals(2.0, p.backoffBefore(2));
        assertEquals(6.0, p.backoffBefore(3));
        assertEquals(10.0, p.backoffBefore(4));
        FakeStepContext c = ctx(map("command", "true", "retry", map("sleep_seconds", 1.5)));
        assertEquals(1.5, ProcessSpec.parse(c).retry().backoffSeconds());
    }

    @Test
    void maxAttemptsBelowOneFailsWithoutRunning() {
        FakeStepContext c = ctx(map("command", sh("touch ran"), "cwd", ".", "retry", map("max_attempts", 0)));
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertTrue(e.getMessage().startsWith("external_process_failed"), e.getMessage());
        assertFalse(Files.exists(c.artifactsDir().resolve("ran")));
    }

    // ---- timeouts and process trees ----

    @Test
    void timeoutIsRetriedWhenAskedAndThenFailsWithTheReferenceMessage() {
        FakeStepContext c = ctx(map("command", List.of("sleep", "5"), "timeout_seconds", 0.3, "kill_grace_seconds", 1,
                "retry", map("max_attempts", 2, "retry_on_timeout", "yes")));
        long t0 = System.nanoTime();
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(4).toNanos(), "sleep ends on SIGTERM, no grace needed");
        assertTrue(e.getMessage().startsWith("external.process timed out after 0.3s"), e.getMessage());
        assertEquals(2, c.events("external_process_timeout").size());
        assertEquals(List.of("external_process_start", "external_process_timeout", "external_process_start",
                "external_process_timeout"), c.eventNames());
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        FakeStepContext c = ctx(map("command", sh("sleep 100 & echo $! > bg.pid; sleep 100 & echo $! > fg.pid; wait"),
                "cwd", ".", "timeout_seconds", 2, "kill_grace_seconds", 2)); // 2 s: both pids written first
        assertThrows(StepFailedException.class, () -> step.run(c));
        assertGone(readPid(c.artifactsDir().resolve("bg.pid")));
        assertGone(readPid(c.artifactsDir().resolve("fg.pid")));
    }

    @Test
    void childIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
        // a timeout long enough for the shell to set its trap first, on a loaded host too
        FakeStepContext c = ctx(map("command", sh("trap '' TERM; sleep 100 & echo $! > bg.pid; wait"),
                "cwd", ".", "timeout_seconds", 1.5, "kill_grace_seconds", 0.7));
        long t0 = System.nanoTime();
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().startsWith("external.process timed out after 1.5s"), e.getMessage());
        assertTrue(ms >= 2150 && ms < 15000, "timeout + grace then SIGKILL, took " + ms + " ms");
        assertGone(readPid(c.artifactsDir().resolve("bg.pid")));
    }

    @Test
    void interruptingTheRunThreadKillsTheChildAndThrowsInterruptedException() throws Exception {
        FakeStepContext c = ctx(map("command", sh("sleep 100 & echo $! > bg.pid; wait"), "cwd", ".",
                "log", map("stdout", "capture")));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                step.run(c);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        long pid = readPid(c.artifactsDir().resolve("bg.pid"));
        t.interrupt();
        t.join(8000);
        assertFalse(t.isAlive(), "step did not stop after interrupt");
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertGone(pid);
    }

    // ---- capture ----

    @Test
    void largeOutputIsBoundedAndKeepsTheFirstKibExactly() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 5_000_000; i++) {
            b.append(String.format("%07d ", i)).append("x".repeat(991)).append('\n');
        }
        byte[] data = b.toString().getBytes(StandardCharsets.UTF_8);
        Path file = tmp.resolve("big.txt");
        Files.write(file, data);
        FakeStepContext c = ctx(map("command", List.of("cat", file.toString()), "log",
                map("stdout", "capture", "max_capture_kb", 64)));
        String out = (String) step.run(c).output().get("stdout");
        String head = new String(data, 0, 64 * 1024, StandardCharsets.UTF_8);
        assertTrue(out.startsWith(head), "first 64 KiB kept");
        assertTrue(out.endsWith("\n...[truncated " + (data.length - 64 * 1024) + " bytes]"),
                out.substring(out.length() - 60));
        assertEquals(head.length() + ("\n...[truncated " + (data.length - 64 * 1024) + " bytes]").length(), out.length());
        assertEquals(data.length / 1000, c.events("external_process_stdout").size(), "every line still logged");
    }

    @Test
    void captureLimitAliasInBytesAndZeroLimit() throws Exception {
        FakeStepContext c = ctx(map("command", List.of("printf", "abcdef"), "log",
                map("stdout", "capture", "max_capture_bytes", 4)));
        assertEquals("abcd\n...[truncated 2 bytes]", step.run(c).output().get("stdout"));
        FakeStepContext z = ctx(map("command", List.of("printf", "ab\\n"), "log", map("stdout", "capture",
                "max_capture_kb", 0)));
        assertEquals("...[truncated 3 bytes]", step.run(z).output().get("stdout"));
    }

    @Test
    void manySmallLinesAllArriveBeforeTheResultIsBuilt() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 3000; i++) {
            expected.append(i).append('\n');
        }
        for (int round = 0; round < 15; round++) {
            FakeStepContext c = ctx(map("command", sh("seq 1 3000; seq 1 3000 >&2"),
                    "log", map("stdout", "capture", "stderr", "capture")));
            StepResult r = step.run(c);
            assertEquals(expected.toString(), r.output().get("stdout"), "round " + round);
            assertEquals(expected.toString(), r.output().get("stderr"), "round " + round);
            assertEquals(3000, c.events("external_process_stdout").size());
            assertEquals(3000, c.events("external_process_stderr").size());
            assertEquals("external_process_success", c.eventNames().get(c.eventNames().size() - 1),
                    "no line event after the success event");
        }
    }

    @Test
    void longLinesAreSplitIntoBoundedEventsWithoutLosingBytes() throws Exception {
        int n = OutputCapture.MAX_EVENT_LINE_BYTES * 2 + 10;
        FakeStepContext c = ctx(map("command", sh("head -c " + n + " /dev/zero | tr '\\0' 'z'"),
                "log", map("stdout", "capture")));
        StepResult r = step.run(c);
        assertEquals("z".repeat(n), r.output().get("stdout"));
        List<FakeStepContext.Event> ev = c.events("external_process_stdout");
        assertEquals(3, ev.size());
        assertEquals(n, ev.stream().mapToInt(e -> ((String) e.fields().get("message")).length()).sum());
    }

    @Test
    void backgroundChildHoldingThePipeDoesNotHangTheStep() throws Exception {
        // the reader is blocked in read() when the shell exits; the sleep keeps the pipe open
        ExternalProcessStep quick = new ExternalProcessStep(Duration.ofMillis(300));
        FakeStepContext c = ctx(map("command", sh("sleep 30 & echo $! > bg.pid; sleep 0.2; echo hi; sleep 0.3"),
                "cwd", ".", "log", map("stdout", "capture", "stderr", "capture")));
        long t0 = System.nanoTime();
        try {
            StepResult r = quick.run(c);
            assertEquals("hi\n", r.output().get("stdout"));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "returned after the drain timeout");
            assertTrue(c.logs().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("still open")),
                    c.logs().toString());
            int events = c.events().size();
            Thread.sleep(100);
            assertEquals(events, c.events().size(), "no events after the step returned");
        } finally {
            ProcessHandle.of(readPid(c.artifactsDir().resolve("bg.pid"))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void secretsAreMaskedInCapturedOutputEventsAndErrors() {
        String secret = "s3cr3t-Value";
        FakeStepContext c = ctx(map("command", sh("echo token=" + secret + "; echo " + secret + " >&2; exit 2"),
                "log", map("stdout", "capture", "stderr", "capture")));
        c.secret(secret);
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertFalse(e.getMessage().contains(secret), e.getMessage());
        assertTrue(e.getMessage().contains("echo token=***"), e.getMessage());
        assertTrue(e.getMessage().endsWith("stderr:\n***"), e.getMessage());
        assertFalse(c.events().toString().contains(secret), c.events().toString());
        assertEquals("token=***", c.events("external_process_stdout").get(0).fields().get("message"));
    }

    @Test
    void capturedOutputIsMaskedBeforeItReachesTheResult() throws Exception {
        FakeStepContext c = ctx(map("command", sh("echo \"pw=$DB_PASSWORD\""), "log", map("stdout", "capture")));
        c.env("DB_PASSWORD", "hunter2-xyz");
        c.secret("hunter2-xyz");
        assertEquals("pw=***\n", step.run(c).output().get("stdout"));
    }

    // ---- file / discard ----

    @Test
    void fileModeAppendsBothStreamsAndReopensTheFileForEveryAttempt() throws Exception {
        FakeStepContext c = ctx(map("command", sh("n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; "
                + "echo out$n; echo err$n >&2; [ $n -ge 2 ] || exit 9"), "cwd", ".",
                "log", map("stdout", "file", "stderr", "file", "file_path", "logs/p.log"),
                "retry", map("max_attempts", 2, "retry_on_exit_codes", List.of(9))));
        Path log = c.artifactsDir().resolve("logs/p.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "previous\n");
        StepResult r = step.run(c);
        assertEquals(2L, r.output().get("attempts"));
        assertEquals(log.toString(), r.output().get("log_file"));
        assertFalse(r.output().containsKey("stdout"));
        List<String> lines = Files.readAllLines(log);
        assertEquals("previous", lines.get(0));
        assertEquals(Set.of("previous", "out1", "err1", "out2", "err2"), Set.copyOf(lines));
        assertTrue(lines.indexOf("out1") < lines.indexOf("out2"));
        assertTrue(c.events("external_process_stdout").isEmpty());
    }

    @Test
    void discardDropsOutputAndEmitsNoLineEvents() throws Exception {
        FakeStepContext c = ctx(map("command", sh("echo visible; echo also >&2"),
                "log", map("stdout", "discard", "stderr", "Discard")));
        StepResult r = step.run(c);
        assertEquals(List.of("exit_code", "attempts"), new ArrayList<>(r.output().keySet()));
        assertEquals(List.of("external_process_start", "external_process_success"), c.eventNames());
    }

    // ---- env, shell, cwd ----

    private static Map<String, String> parseEnv(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    void childEnvStartsFromTheRunSnapshotAddsIdsAndAppliesUserEnv() throws Exception {
        FakeStepContext c = ctx(map("command", "env", "log", map("stdout", "capture"),
                "env", map("USER_VAR", "u", "FOO", "override", "EMPTY", null, "NUM", 7)));
        c.env("FOO", "base");
        c.env("KEEP", "kept");
        c.env("AETHERFLOW_RUN_ID", "preset-run");
        Map<String, String> env = parseEnv((String) step.run(c).output().get("stdout"));
        assertEquals("override", env.get("FOO"));
        assertEquals("kept", env.get("KEEP"));
        assertEquals("u", env.get("USER_VAR"));
        assertEquals("", env.get("EMPTY"));
        assertEquals("7", env.get("NUM"));
        assertEquals("flow-1", env.get("AETHERFLOW_FLOW_ID"));
        assertEquals("preset-run", env.get("AETHERFLOW_RUN_ID"), "run snapshot value wins over the default");
        assertNull(env.get("AETHERFLOW_OUTPUT_DIR"));
        if (System.getenv("HOME") != null && !c.env().containsKey("HOME")) {
            assertNull(env.get("HOME"), "the raw OS environment never leaks into the child");
        }
    }

    @Test
    void inheritEnvFalseStartsFromAnEmptyEnvironment() throws Exception {
        FakeStepContext c = ctx(map("command", "env", "inherit_env", "false", "log", map("stdout", "capture"),
                "env", map("ONLY", "me")));
        c.env("FOO", "base");
        Map<String, String> env = parseEnv((String) step.run(c).output().get("stdout"));
        assertEquals(Map.of("AETHERFLOW_FLOW_ID", "flow-1", "AETHERFLOW_RUN_ID", "run-1", "ONLY", "me"), env);
    }

    @Test
    void invalidBooleanIsRejectedStrictly() {
        FakeStepContext c = ctx(map("command", "true", "inherit_env", "nope"));
        assertThrows(StepInputException.class, () -> step.run(c));
    }

    @Test
    void shellModeQuotesEveryArgumentAndWarns() throws Exception {
        FakeStepContext c = ctx(map("command", List.of("printf", "%s|"), "args", List.of("a b", "it's", "$HOME", ""),
                "shell", true, "log", map("stdout", "capture")));
        assertEquals("a b|it's|$HOME||", step.run(c).output().get("stdout"));
        assertTrue(c.logs().stream().anyMatch(l -> l.startsWith("WARNING") && l.contains("shell")), c.logs().toString());
        assertEquals("printf '%s|' 'a b' 'it'\"'\"'s' '$HOME' ''",
                ShellQuote.join(List.of("printf", "%s|", "a b", "it's", "$HOME", "")));
        assertEquals("plain/path-1.txt", ShellQuote.quote("plain/path-1.txt"));
    }

    @Test
    void cwdResolvesRelativeToTheArtifactsDirectoryThroughTheSandbox() throws Exception {
        Path work = tmp.resolve("artifacts/work");
        Files.createDirectories(work);
        FakeStepContext c = ctx(map("command", "pwd", "cwd", "work", "log", map("stdout", "capture")));
        assertEquals(work.toRealPath() + "\n", step.run(c).output().get("stdout"));
        assertThrows(StepFailedException.class, () -> step.run(ctx(map("command", "pwd", "cwd", "/"))));
    }

    // ---- success checks ----

    @Test
    void successChecksRunInOrderWithReferenceReasons() throws Exception {
        Path a = tmp.resolve("artifacts");
        StepFailedException e1 = assertThrows(StepFailedException.class, () -> step.run(ctx(map("command", "true",
                "success", map("require_files", "missing.txt", "forbid_files", List.of("x"))))));
        assertEquals("external.process outputs invalid: missing_required_file:" + a.resolve("missing.txt"),
                e1.getMessage());

        Files.createDirectories(a.resolve("out"));
        Files.writeString(a.resolve("out/data.txt"), "d");
        StepFailedException e2 = assertThrows(StepFailedException.class, () -> step.run(ctx(map("command", "true",
                "success", map("require_glob", "out/*.csv")))));
        assertEquals("external.process outputs invalid: missing_required_glob:" + a.resolve("out/*.csv"), e2.getMessage());

        FakeStepContext ok = ctx(map("command", sh("touch out/r.csv"), "cwd", ".",
                "success", map("required_files", List.of("out/data.txt"), "required_globs", "out/*.csv",
                        "forbidden_files", "out/error.flag", "marker_file", "out/r.csv")));
        assertEquals(0, step.run(ok).output().get("exit_code"));

        Files.writeString(a.resolve("out/error.flag"), "e");
        StepFailedException e3 = assertThrows(StepFailedException.class, () -> step.run(ctx(map("command", "true",
                "success", map("require_glob", List.of("out/*.csv"), "forbid_files", "out/error.flag")))));
        assertEquals("external.process outputs invalid: forbidden_file_present:" + a.resolve("out/error.flag"),
                e3.getMessage());

        FakeStepContext marker = ctx(map("command", "true", "success", map("marker_file", "done.marker")));
        StepFailedException e4 = assertThrows(StepFailedException.class, () -> step.run(marker));
        assertTrue(e4.getMessage().endsWith("missing_required_file:" + a.resolve("done.marker")), e4.getMessage());
        assertTrue(marker.events("external_process_success").isEmpty());
        assertEquals(1, marker.events("external_process_start").size(), "invalid outputs are not retried");
    }

    // ---- idempotency ----

    @Test
    void markerPresentAndChecksPassingSkipsWithoutRunning() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("artifacts"));
        Files.writeString(a.resolve("done.marker"), "");
        FakeStepContext c = ctx(map("command", sh("touch ran"), "cwd", ".",
                "success", map("marker_file", "done.marker"), "idempotency", map("strategy", "MARKER")));
        StepResult r = step.run(c);
        assertTrue(r.isSkipped());
        assertEquals("marker_present", r.reason());
        assertEquals(map("skipped", true, "marker", a.resolve("done.marker").toString()), r.output());
        assertFalse(Files.exists(a.resolve("ran")));
        assertTrue(c.events().isEmpty());
    }

    @Test
    void markerPresentButChecksFailingRunsTheCommand() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("artifacts"));
        Files.writeString(a.resolve("m"), "");
        FakeStepContext c = ctx(map("command", sh("touch result.txt"), "cwd", ".",
                "success", map("require_files", "result.txt"),
                "idempotency", map("strategy", "marker", "marker_path", "m")));
        StepResult r = step.run(c);
        assertEquals(StepResult.SUCCESS, r.status());
        assertTrue(Files.exists(a.resolve("result.txt")));
    }

    @Test
    void atomicDirRenamesTheTempDirectoryOverTheFinalOne() throws Exception {
        Path a = tmp.resolve("artifacts");
        Files.createDirectories(a.resolve("tmpout"));
        Files.writeString(a.resolve("tmpout/leftover"), "old attempt");
        Files.createDirectories(a.resolve("final"));
        Files.writeString(a.resolve("final/stale"), "old");
        FakeStepContext c = ctx(map("command", sh("ls \"$AETHERFLOW_OUTPUT_DIR\"; echo data > \"$AETHERFLOW_OUTPUT_DIR/a.txt\""),
                "log", map("stdout", "capture"),
                "success", map("marker_file", "final/a.txt"),
                "idempotency", map("strategy", "atomic_dir", "temp_output_dir", "tmpout", "final_output_dir", "final")));
        StepResult r = step.run(c);
        assertEquals("", r.output().get("stdout"), "temp dir was recreated empty");
        assertEquals("data\n", Files.readString(a.resolve("final/a.txt")));
        assertFalse(Files.exists(a.resolve("final/stale")), "final dir replaced");
        assertFalse(Files.exists(a.resolve("tmpout")));
    }

    @Test
    void atomicDirWithoutRenameMovesChildrenIntoTheFinalDirectory() throws Exception {
        Path a = tmp.resolve("artifacts");
        Files.createDirectories(a.resolve("final"));
        Files.writeString(a.resolve("final/keep"), "k");
        Files.writeString(a.resolve("final/a.txt"), "old");
        FakeStepContext c = ctx(map("command", sh("echo new > \"$AETHERFLOW_OUTPUT_DIR/a.txt\"; mkdir \"$AETHERFLOW_OUTPUT_DIR/sub\""),
                "idempotency", map("strategy", "atomic_dir", "temp_output_dir", "t", "final_output_dir", "final",
                        "atomic_rename", false)));
        step.run(c);
        assertEquals("new\n", Files.readString(a.resolve("final/a.txt")));
        assertEquals("k", Files.readString(a.resolve("final/keep")));
        assertTrue(Files.isDirectory(a.resolve("final/sub")));
        assertFalse(Files.exists(a.resolve("t")));
    }

    @Test
    void atomicDirUserEnvWinsAndMissingDirsAreRejected() throws Exception {
        FakeStepContext c = ctx(map("command", sh("printf %s \"$AETHERFLOW_OUTPUT_DIR\""), "log", map("stdout", "capture"),
                "env", map("AETHERFLOW_OUTPUT_DIR", "/elsewhere"),
                "idempotency", map("strategy", "atomic_dir", "temp_output_dir", "t", "final_output_dir", "f")));
        assertEquals("/elsewhere", step.run(c).output().get("stdout"));
        assertEquals("atomic_dir requires temp_output_dir and final_output_dir",
                assertThrows(StepInputException.class, () -> step.run(ctx(map("command", "true",
                        "idempotency", map("strategy", "atomic_dir", "temp_output_dir", "t"))))).getMessage());
    }

    @Test
    void atomicDirIsNotPublishedWhenTheCommandFails() throws Exception {
        Path a = tmp.resolve("artifacts");
        FakeStepContext c = ctx(map("command", sh("echo x > \"$AETHERFLOW_OUTPUT_DIR/a\"; exit 1"),
                "idempotency", map("strategy", "atomic_dir", "temp_output_dir", "t", "final_output_dir", "f")));
        assertThrows(StepFailedException.class, () -> step.run(c));
        assertFalse(Files.exists(a.resolve("f")));
        assertTrue(Files.exists(a.resolve("t/a")));
    }

    // ---- validation ----

    /** Collects issues as "code@loc: message". */
    static final class Issues implements InputChecks {
        final List<String> errors = new ArrayList<>();

        @Override
        public void error(String code, String loc, String message) {
            errors.add(code + "@" + loc + ": " + message);
        }

        @Override
        public void warning(String code, String loc, String message) {
            errors.add("warning " + code + "@" + loc + ": " + message);
        }

        @Override
        public void checkNestedStep(String loc, Map<String, Object> stepSpec) {
            throw new AssertionError("external.process has no nested steps");
        }
    }

    private List<String> check(Map<String, Object> raw) {
        Issues i = new Issues();
        step.checkInputs(raw, i);
        return i.errors;
    }

    @Test
    void checkInputsReportsTheReferenceCodes() {
        assertEquals(List.of("semantic:external_process_missing_command@inputs.command: external.process requires inputs.command"),
                check(map("log", map("stdout", "bogus"))), "other checks skipped without command");
        assertEquals(List.of("semantic:external_process_command_type@inputs.command: "
                + "external.process inputs.command must be a string or list"), check(map("command", 3)));
        assertEquals(List.of("semantic:external_process_command_type@inputs.command: "
                + "external.process inputs.command must be a string or list"), check(map("command", null)));
        assertEquals(List.of("semantic:external_process_log_mode@inputs.log.stdout: Unknown log mode: Capture",
                "semantic:external_process_log_mode@inputs.log.stderr: Unknown log mode: tee"),
                check(map("command", "x", "log", map("stdout", "Capture", "stderr", "tee"))));
        assertEquals(List.of("semantic:external_process_log_file@inputs.log.file_path: "
                + "log.file_path is required when stdout/stderr mode is 'file'"),
                check(map("command", "x", "log", map("stderr", "file"))));
        assertEquals(List.of("semantic:external_process_atomic_dir@inputs.idempotency: "
                + "atomic_dir requires temp_output_dir and final_output_dir"),
                check(map("command", "x", "idempotency", map("strategy", "atomic_dir", "final_output_dir", "f"))));
        assertEquals(List.of("semantic:external_process_boolean@inputs.retry.retry_on_timeout: "
                + "external.process inputs.retry.retry_on_timeout must be a boolean (true/false/yes/no/1/0), got 'sometimes'"),
                check(map("command", "x", "retry", map("retry_on_timeout", "sometimes"))));
    }

    @Test
    void checkInputsSkipsTemplatesAndAcceptsValidInputs() {
        assertEquals(List.of(), check(map("command", List.of("a"), "shell", "{{ env.SHELL_ON }}",
                "log", map("stdout", "{{ env.MODE }}", "stderr", "", "file_path", null),
                "idempotency", map("strategy", "ATOMIC_DIR"), "inherit_env", "no")));
        assertEquals(List.of(), check(map("command", "{{ env.CMD }}", "log", map("stdout", "file",
                "file_path", "{{ run_id }}.log"), "idempotency", map("strategy", "atomic_dir",
                "temp_output_dir", "t", "final_output_dir", "f"))));
    }

    @Test
    void failuresToReadFilesAreReportedNotSwallowed() throws IOException {
        // a log file path that is a directory cannot be opened for append: clear error, not a hang
        Files.createDirectories(tmp.resolve("artifacts/logdir"));
        FakeStepContext c = ctx(map("command", "true", "log", map("stdout", "file", "file_path", "logdir")));
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertTrue(e.getMessage().startsWith("external.process cannot open log.file_path"), e.getMessage());
    }
}
