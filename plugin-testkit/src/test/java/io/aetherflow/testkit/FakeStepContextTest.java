package io.aetherflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.step.LockLease;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeStepContextTest {

    @TempDir
    Path tmp;

    /** A connector that counts how often it is closed. */
    static final class Counting implements Connector {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public ConnectorConfig config() {
            return new ConnectorConfig("own", "counting", "count", Map.of(), Map.of());
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void inputsAreStrictWithTheEnginesMessages() {
        StepInputs in = FakeStepContext.at(tmp).stepId("s").inputs(Map.of("n", "12", "flag", "YES", "bad", "maybe",
                "log", Map.of("kb", "x"), "one", "a")).inputs();
        assertEquals(12, in.integer("n", 0));
        assertTrue(in.bool("flag", false));
        assertEquals(List.of("a"), in.list("one"));
        StepInputException e = assertThrows(StepInputException.class, () -> in.bool("bad", false));
        assertEquals("job 'job' step 's': input 'bad' must be a boolean (true/false/yes/no/1/0), got 'maybe'", e.getMessage());
        e = assertThrows(StepInputException.class, () -> in.section("log").integer("kb", 1));
        assertEquals("job 'job' step 's': input 'log.kb' must be an integer, got 'x'", e.getMessage());
        e = assertThrows(StepInputException.class, () -> in.require("n", "missing"));
        assertEquals("job 'job' step 's': missing required input(s) [missing]", e.getMessage());
        assertThrows(StepInputException.class, () -> in.string("log"));
        assertEquals(7, in.integer("absent", 7));
        assertEquals(List.of(), in.section("absent").list("x"));
    }

    @Test
    void inputsRequiringChecksTheNamedInputsFirst() {
        FakeStepContext ctx = FakeStepContext.at(tmp).stepId("s").inputs(Map.of("a", 1, "b", "x"));
        assertEquals("x", ctx.inputsRequiring("a", "b").string("b"));
        StepInputException e = assertThrows(StepInputException.class, () -> ctx.inputsRequiring("a", "c", "d"));
        assertEquals("job 'job' step 's': missing required input(s) [c, d]", e.getMessage());
    }

    @Test
    void listsKeepNullsAndIntegralDoublesAreIntegers() {
        StepInputs in = FakeStepContext.at(tmp).inputs(Map.of("l", Arrays.asList("a", null), "d", 3.0, "f", 2.5)).inputs();
        assertEquals(Arrays.asList("a", null), in.list("l"));
        assertEquals(3, in.integer("d", 0));
        assertThrows(StepInputException.class, () -> in.integer("f", 0));
        assertEquals(2.5, in.number("f", 0));
    }

    @Test
    void workspaceDirectoriesAreRealAndTheSandboxRefusesEscapes() throws Exception {
        FakeStepContext ctx = FakeStepContext.at(tmp);
        assertEquals(tmp.resolve("artifacts"), ctx.artifactsDir());
        assertTrue(Files.isDirectory(ctx.scratchDir()));
        assertTrue(Files.isDirectory(ctx.manifestsDir()));
        assertEquals(tmp.resolve("artifacts/out/a.csv"), ctx.resolvePath("out/a.csv"));
        assertEquals(tmp.resolve("scratch/x"), ctx.resolvePath("../scratch/x"));
        StepFailedException e = assertThrows(StepFailedException.class, () -> ctx.resolvePath("../../etc/passwd"));
        assertTrue(e.getMessage().startsWith("Path not under allowed roots: ../../etc/passwd"),
                e.getMessage());
        ctx.allowedRoots(ctx.artifactsDir());
        assertThrows(StepFailedException.class, () -> ctx.resolvePath("../scratch/x"));
    }

    @Test
    void eventsAndLogsAreRecordedMasked() {
        FakeStepContext ctx = FakeStepContext.at(tmp).stepId("call").secret("pw").secret("pw-long").secret(null);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("url", "https://u:pw-long@h");
        fields.put("status", 200);
        fields.put("none", null);
        ctx.event("INFO", "http_request", fields);
        ctx.log("WARNING", "token pw");
        assertEquals(List.of("http_request"), ctx.eventNames());
        FakeStepContext.Event ev = ctx.events("http_request").get(0);
        assertEquals("https://u:***@h", ev.field("url"));
        assertEquals(200, ev.field("status"));
        assertEquals("call", ev.stepId());
        assertEquals(List.of("WARNING token ***"), ctx.logs());
        assertEquals(null, ctx.mask(null));
    }

    @Test
    void factoryConnectorsAreCreatedOnceCheckedAndClosed() {
        List<Counting> made = new ArrayList<>();
        FakeStepContext ctx = FakeStepContext.at(tmp).resource("fs", "sftp", "paramiko", Map.of("host", "h"), Map.of(),
                cfg -> {
                    assertEquals("h", cfg.config().get("host"));
                    Counting c = new Counting();
                    made.add(c);
                    return c;
                });
        Connector a = ctx.connector("fs", Connector.class);
        assertSame(a, ctx.connector("fs", Connector.class));
        assertEquals(1, made.size());
        StepFailedException kind = assertThrows(StepFailedException.class, () -> ctx.connector("fs", HttpConnector.class));
        assertEquals("Resource fs is kind=sftp driver=paramiko, but the step needs a HttpConnector connector: "
                + "check the resource's kind", kind.getMessage());
        StepFailedException unknown = assertThrows(StepFailedException.class, () -> ctx.connector("nope", Connector.class));
        assertEquals("Unknown resource: nope. Known: [fs] (declare it under resources:)", unknown.getMessage());
        assertEquals("sftp", ctx.resourceConfig("fs").kind());
        ctx.close();
        assertEquals(1, made.get(0).closed.get());

        Counting own = new Counting();
        ctx.connector("mine", own);
        assertSame(own, ctx.connector("mine", Counting.class));
        assertEquals("counting", ctx.resourceConfig("mine").kind());
        ctx.close();
        assertEquals(0, own.closed.get(), "the test owns a registered instance");
    }

    @Test
    void reRegisteringAResourceClosesTheCachedConnector() {
        Counting first = new Counting();
        FakeStepContext ctx = FakeStepContext.at(tmp).resource(new ConnectorConfig("r", "k", "d", Map.of(), Map.of()),
                cfg -> first);
        ctx.connector("r", Connector.class);
        ctx.resource(new ConnectorConfig("r", "k", "d2", Map.of(), Map.of()), cfg -> new Counting());
        assertEquals(1, first.closed.get());
        assertEquals("d2", ctx.resourceConfig("r").driver());
    }

    @Test
    void locksAreSharedPerTableAndOwnedByTheRun() {
        Map<String, String> table = new HashMap<>();
        FakeStepContext r1 = FakeStepContext.at(tmp).runId("r1").locks(table);
        FakeStepContext r2 = FakeStepContext.at(tmp).runId("r2").locks(table);
        Optional<LockLease> lease = r1.tryLock("k", Duration.ofSeconds(30));
        assertTrue(lease.isPresent());
        assertTrue(r1.tryLock("k", Duration.ofSeconds(30)).isPresent(), "re-entrant for the same run");
        assertFalse(r2.tryLock("k", Duration.ofSeconds(5)).isPresent());
        assertEquals("r1", table.get("k"));
        lease.get().close();
        assertFalse(lease.get().isHeld());
        assertTrue(table.isEmpty());
        assertEquals(List.of("lock:k:30", "lock:k:30", "release:k"), r1.journal());
    }

    @Test
    void nestedStepsShareTheRecordingsAndResultsAreKept() throws Exception {
        FakeStepContext ctx = FakeStepContext.at(tmp).stepId("outer").step("echo", c -> {
            c.event("INFO", "echoed", Map.of("v", c.inputs().string("v")));
            return StepResult.success(Map.of("v", c.inputs().string("v")));
        });
        StepResult r = ctx.run(c -> c.runStep("echo", "outer_inner", Map.of("v", "x")));
        assertEquals("x", r.output().get("v"));
        assertEquals(List.of("inner:echo:outer_inner"), ctx.journal());
        assertEquals("outer_inner", ctx.events().get(0).stepId());
        assertEquals(2, ctx.results().size());
        StepFailedException e = assertThrows(StepFailedException.class, () -> ctx.runStep("nope", "i", Map.of()));
        assertTrue(e.getMessage().startsWith("Unknown step type: nope. Loaded: [echo]"), e.getMessage());
    }

    @Test
    void registeredProcessesAreRecorded() {
        FakeStepContext ctx = FakeStepContext.at(tmp).stepId("p");
        ctx.registerProcess(ProcessHandle.current(), -1);
        assertEquals(List.of(new FakeStepContext.RegisteredProcess(ProcessHandle.current().pid(), -1, "p")),
                ctx.processes());
        assertEquals(List.of("process:" + ProcessHandle.current().pid()), ctx.journal());
    }

    @Test
    void envIsASnapshot() {
        FakeStepContext ctx = FakeStepContext.at(tmp).env("A", "1").enterpriseMode(true);
        Map<String, String> env = ctx.env();
        ctx.env("B", "2");
        assertEquals(Map.of("A", "1"), env);
        assertThrows(UnsupportedOperationException.class, () -> env.put("C", "3"));
        assertTrue(ctx.enterpriseMode());
    }
}
