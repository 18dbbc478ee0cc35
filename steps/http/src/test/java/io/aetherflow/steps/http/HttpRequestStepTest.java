package io.aetherflow.steps.http;

import io.aetherflow.api.support.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.connectors.http.HttpConnectorFactory;
import io.aetherflow.testkit.FakeStepContext;
import io.aetherflow.testkit.LoopbackServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpRequestStepTest {

    private static final String TOKEN = "tok-Secret-0815";
    private static final String ORDER = "{\"data\": {\"id\": 42, \"tags\": [\"a\", \"b\"], \"owner\": {\"name\": \"Ann\"}},"
            + " \"items\": [{\"name\": \"first\"}, {\"name\": \"second\"}], \"ok\": true}";

    @TempDir
    Path dir;

    private LoopbackServer server;
    private FakeStepContext ctx;
    private final HttpRequestStep step = new HttpRequestStep();

    @AfterEach
    void stop() {
        if (ctx != null) {
            ctx.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final HttpConnectorFactory HTTP = new HttpConnectorFactory();

    private FakeStepContext ctx(Map<String, Object> inputs) {
        ctx = FakeStepContext.at(dir).stepId("call").stepType(HttpRequestStep.TYPE).inputs(inputs);
        return ctx;
    }

    @Test
    void getThroughAResourcePromotesJsonFieldsSavesTheBodyAndReportsHeaders() throws Exception {
        server = LoopbackServer.http().route("/api/orders/42", (ex, n) -> {
            ex.getResponseHeaders().add("ETag", "\"v1\"");
            LoopbackServer.reply(ex, 200, "application/json", ORDER);
        });
        FakeStepContext c = ctx(map("resource", "api", "path", "orders/42", "query", map("expand", "items", "tag",
                List.of("a b", "c")),
                "headers", map("X-Request-Id", "r-1"), "save_to", "out/order.json",
                "json_fields", map("order_id", "data.id", "owner", "data.owner.name", "second", "items.1.name",
                        "last_tag", "data.tags.-1", "tags", "data.tags")))
                .resource("api", "rest", "httpx", map("base_url", server.base() + "/api", "bearer_token", TOKEN),
                        map(), HTTP);

        StepResult r = step.run(c);

        assertEquals(StepResult.SUCCESS, r.status());
        Map<String, Object> out = r.output();
        assertEquals(200, out.get("status"));
        assertEquals(server.base() + "/api/orders/42", out.get("url"));
        assertEquals(1, out.get("attempts"));
        assertEquals(42L, out.get("order_id"));
        assertEquals("Ann", out.get("owner"));
        assertEquals("second", out.get("second"));
        assertEquals("b", out.get("last_tag"));
        assertEquals(List.of("a", "b"), out.get("tags"));
        assertEquals(Map.of("content-type", "application/json", "content-length", String.valueOf(ORDER.length()),
                "etag", "\"v1\""), out.get("headers"));
        Path saved = dir.resolve("artifacts/out/order.json");
        assertEquals(saved.toString(), out.get("saved_to"));
        assertEquals(ORDER, Files.readString(saved));
        assertFalse(Files.exists(dir.resolve("artifacts/out/order.json.tmp")), "temporary file renamed away");
        assertFalse(out.containsKey("body"), "body only with capture_body");

        LoopbackServer.Seen seen = server.seen().get(0);
        assertEquals("GET", seen.method());
        assertEquals("/api/orders/42?expand=items&tag=a+b&tag=c", seen.uri());
        assertEquals("Bearer " + TOKEN, seen.header("Authorization"));
        assertEquals("r-1", seen.header("X-Request-Id"));
        assertEquals(List.of("http_request"), c.eventNames());
        assertEquals(200, c.events().get(0).field("status"));
    }

    @Test
    void postsJsonWithContentTypeAndCapturesTheMaskedBody() throws Exception {
        server = LoopbackServer.http().route("/hooks", (ex, n) ->
                LoopbackServer.reply(ex, 201, "application/json", "{\"echo\": \"" + TOKEN + "\", \"id\": \"h-9\"}"));
        FakeStepContext c = ctx(map("resource", "api", "method", "post", "path", "/hooks",
                "json", map("name", "nightly", "count", 3, "tags", List.of("x"), "none", null),
                "capture_body", "yes", "expected_status", List.of(201), "json_fields", map("hook", "id")))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP);
        c.secret(TOKEN);

        StepResult r = step.run(c);

        LoopbackServer.Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("application/json", seen.header("Content-Type"));
        assertEquals("{\"name\":\"nightly\",\"count\":3,\"tags\":[\"x\"],\"none\":null}", seen.text());
        assertEquals("{\"echo\": \"***\", \"id\": \"h-9\"}", r.output().get("body"));
        assertEquals("h-9", r.output().get("hook"));
    }

    @Test
    void retriesA503ThenSucceeds() throws Exception {
        server = LoopbackServer.http().route("/jobs", (ex, n) -> {
            if (n <= 2) {
                ex.getResponseHeaders().add("Retry-After", "0");
                LoopbackServer.reply(ex, 503, "text/plain", "warming up");
            } else {
                LoopbackServer.reply(ex, 200, "application/json", "{\"state\": \"done\"}");
            }
        });
        FakeStepContext c = ctx(map("resource", "api", "path", "jobs", "json_fields", map("state", "state")))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map("retry", map("max_attempts", 2,
                        "backoff", 0.01)), HTTP);
        StepResult r = step.run(c);
        assertEquals(3, r.output().get("attempts"));
        assertEquals("done", r.output().get("state"));
        assertEquals(3, server.seen().size());
    }

    @Test
    void unexpectedStatusFailsWithAShortMaskedExcerpt() throws Exception {
        String body = "{\"error\": \"bad token " + TOKEN + "\",\n \"detail\": \"" + "x".repeat(400) + "\"}";
        server = LoopbackServer.http().route("/x", (ex, n) -> LoopbackServer.reply(ex, 500, "application/json", body));
        FakeStepContext c = ctx(map("resource", "api", "path", "/x", "save_to", "x.json"))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP);
        c.secret(TOKEN);
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        String expectedStart = "http_request: GET " + server.base() + "/x returned HTTP 500, expected 2xx; body: "
                + "{\"error\": \"bad token ***\", \"detail\": \"xxx";
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertTrue(e.getMessage().endsWith("... (after 1 attempt(s); adjust expected_status if this status is fine)"),
                e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(dir.resolve("artifacts/x.json")), "nothing saved on failure");
        assertEquals("ERROR", c.events().get(0).level());
    }

    @Test
    void expectedStatusAcceptsCodesClassesAndRanges() throws Exception {
        server = LoopbackServer.http().route("/gone", (ex, n) -> LoopbackServer.reply(ex, 404, "text/plain", "no"));
        StepResult r = step.run(ctx(map("resource", "api", "path", "gone", "expected_status", "200-299, 404"))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP));
        assertEquals(404, r.output().get("status"));
        StatusSet s = StatusSet.parse(List.of("2xx", 304, "400-403"));
        assertTrue(s.matches(204) && s.matches(304) && s.matches(401));
        assertFalse(s.matches(404) || s.matches(301) || s.matches(500));
        assertThrows(IllegalArgumentException.class, () -> StatusSet.parse("20x"));
    }

    @Test
    void connectionRefusedIsAClearStepError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        FakeStepContext c = ctx(map("resource", "api", "path", "health"))
                .resource("api", "rest", "httpx", map("base_url", "http://127.0.0.1:" + port, "bearer_token", TOKEN),
                        map(), HTTP);
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertEquals("http_request: REST request failed after 1 attempt(s): GET http://127.0.0.1:" + port
                + "/health: connection refused (is the server running and the port right?)", e.getMessage());
    }

    @Test
    void stepTimeoutOverridesTheResourceTimeout() throws Exception {
        server = LoopbackServer.http().route("/slow", (ex, n) -> {
            Thread.sleep(3000);
            LoopbackServer.reply(ex, 200, null, "late");
        });
        FakeStepContext c = ctx(map("resource", "api", "path", "slow", "timeout", "0.25"))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map("timeout", 60), HTTP);
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertTrue(e.getMessage().endsWith("/slow: timed out: no response within 0.25 s (raise the timeout if the "
                + "server is slow)"), e.getMessage());
    }

    @Test
    void urlWithoutAResourceAsksTheEngineForAnAdHocRestConnectorAndClosesIt() throws Exception {
        // which rest driver serves (ranking, tie-break) is the engine's choice: ConnectorManagerTest, AdhocConnectorTest
        server = LoopbackServer.http().route("/ping", (ex, n) -> LoopbackServer.reply(ex, 200, "text/plain", "pong"));
        FakeStepContext c = ctx(map("url", server.base() + "/ping", "capture_body", true, "options", map("timeout", 5)));
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        c.adhocDriver("rest", "http", cfg -> {
            assertEquals(Map.of("timeout", 5), cfg.options(), "the step's options reach the connector");
            HttpConnector real = (HttpConnector) new HttpConnectorFactory().create(cfg);
            return new HttpConnector() {
                @Override public io.aetherflow.api.connector.ConnectorConfig config() { return real.config(); }
                @Override public io.aetherflow.api.connector.http.HttpReply request(
                        io.aetherflow.api.connector.http.HttpCall call) throws InterruptedException {
                    return real.request(call);
                }
                @Override public void close() { closed.set(true); real.close(); }
            };
        });
        StepResult r = step.run(c);
        assertEquals("pong", r.output().get("body"));
        assertEquals(List.of("rest[]"), c.adhocRequests(), "any rest driver: no preference");
        assertTrue(closed.get(), "the ad-hoc connector is closed after the request");
    }

    @Test
    void aRestDriverThatRefusesTheOptionsIsReportedMasked() {
        FakeStepContext c = ctx(map("url", "http://127.0.0.1:9/x"));
        c.secret("s3cr3t");
        c.adhocDriver("rest", "http", cfg -> { throw new io.aetherflow.api.connector.ConnectorException("bad option s3cr3t"); });
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertEquals("http_request: bad option ***", e.getMessage());
    }

    @Test
    void urlWithoutAResourceAndNoDriverInstalledExplainsWhatToInstall() {
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> step.run(ctx(map("url", "http://127.0.0.1:9/x"))));
        assertTrue(e.getMessage().contains("no rest connector is installed"), e.getMessage());
    }

    @Test
    void missingJsonPathNamesTheFieldAndTheKeysThere() throws Exception {
        server = LoopbackServer.http().route("/o", (ex, n) -> LoopbackServer.reply(ex, 200, "application/json", ORDER));
        FakeStepContext c = ctx(map("resource", "api", "path", "o", "json_fields", map("id", "data.uid")))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP);
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertEquals("http_request: json_fields.id path 'data.uid' not found in the response: no key 'uid' at "
                + "'data' (keys: id, owner, tags)", e.getMessage());
    }

    @Test
    void jsonFieldsOnANonJsonResponseFail() throws Exception {
        server = LoopbackServer.http().route("/h", (ex, n) -> LoopbackServer.reply(ex, 200, "text/html",
                "<html></html>"));
        FakeStepContext c = ctx(map("resource", "api", "path", "h", "json_fields", map("id", "id")))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP);
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertTrue(e.getMessage().contains("(content-type text/html) is not JSON"), e.getMessage());
    }

    @Test
    void outputsAreSizeLimited() throws Exception {
        server = LoopbackServer.http().route("/big", (ex, n) ->
                LoopbackServer.reply(ex, 200, "application/json",
                        "{\"blob\": \"" + "y".repeat(2000) + "\", \"n\": 1}"));
        FakeStepContext c1 = ctx(map("resource", "api", "path", "big", "capture_body", true, "max_output_bytes", 1000))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP);
        StepFailedException body = assertThrows(StepFailedException.class, () -> step.run(c1));
        assertTrue(body.getMessage().contains("larger than max_output_bytes (1000); use save_to"), body.getMessage());
        c1.close();
        FakeStepContext c2 = ctx(map("resource", "api", "path", "big", "json_fields", map("blob", "blob", "n", "n"),
                "max_output_bytes", 1000)).resource("api", "rest", "httpx", map("base_url", server.base()), map(),
                        HTTP);
        StepFailedException field = assertThrows(StepFailedException.class, () -> step.run(c2));
        assertTrue(field.getMessage().contains("json_fields.blob ('blob') is 2002 bytes as JSON"), field.getMessage());
        c2.close();
        FakeStepContext c3 = ctx(map("resource", "api", "path", "big", "max_response_bytes", 100))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP);
        StepFailedException resp = assertThrows(StepFailedException.class, () -> step.run(c3));
        assertTrue(resp.getMessage().contains("exceeds the limit of 100 bytes"), resp.getMessage());
    }

    @Test
    void saveToOutsideTheSandboxIsRefused() throws Exception {
        server = LoopbackServer.http().route("/f", (ex, n) -> LoopbackServer.reply(ex, 200, "text/plain", "data"));
        FakeStepContext c = ctx(map("resource", "api", "path", "f", "save_to", "../../escape.txt"))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP);
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(c));
        assertTrue(e.getMessage().startsWith("Path not under allowed roots"), e.getMessage());
        assertFalse(Files.exists(dir.getParent().resolve("escape.txt")));
    }

    @Test
    void bodyFileIsReadFromTheArtifactsDirectory() throws Exception {
        server = LoopbackServer.http().route("/upload", (ex, n) -> LoopbackServer.reply(ex, 204, null, ""));
        Files.createDirectories(dir.resolve("artifacts"));
        Files.writeString(dir.resolve("artifacts/payload.csv"), "id;name\n1;a\n");
        StepResult r = step.run(ctx(map("resource", "api", "method", "PUT", "path", "upload", "body_file",
                "payload.csv",
                "headers", map("Content-Type", "text/csv"))).resource("api", "rest", "httpx", map("base_url",
                        server.base()), map(), HTTP));
        assertEquals(204, r.output().get("status"));
        assertEquals("id;name\n1;a\n", server.seen().get(0).text());
        assertEquals("text/csv", server.seen().get(0).header("content-type"));
        ctx.close();
        StepFailedException e = assertThrows(StepFailedException.class, () -> step.run(ctx(map("resource", "api",
                "method", "PUT", "path", "upload", "body_file", "missing.csv"))
                .resource("api", "rest", "httpx", map("base_url", server.base()), map(), HTTP)));
        assertTrue(e.getMessage().startsWith("http_request: cannot read body_file " + dir.resolve("artifacts/missing.csv")),
                e.getMessage());
    }

    @Test
    void invalidInputsAreRejectedAtRunTime() {
        assertThrows(StepInputException.class, () -> step.run(ctx(map("method", "GET"))));
        assertThrows(StepInputException.class, () -> step.run(ctx(map("url", "/relative"))));
        assertThrows(StepInputException.class, () -> step.run(ctx(map("url", "http://h/", "path", "x"))));
        assertThrows(StepInputException.class, () -> step.run(ctx(map("resource", "api", "json", map(), "body", "x"))));
        assertThrows(StepInputException.class, () -> step.run(ctx(map("resource", "api", "json_fields", map("status",
                "a")))));
        assertThrows(StepInputException.class, () -> step.run(ctx(map("resource", "api", "method", "GE T"))));
    }

    @Test
    void checkInputsReportsProblemsAtValidation() {
        List<String> errors = new ArrayList<>();
        InputChecks checks = new InputChecks() {
            @Override public void error(String code, String loc, String message) { errors.add(code + " " + loc); }
            @Override public void warning(String code, String loc, String message) { errors.add("W " + code); }
            @Override public void checkNestedStep(String loc, Map<String, Object> spec) { }
        };
        step.checkInputs(map("path", "x", "json", map(), "body", "b", "expected_status", "2xz",
                "json_fields", map("status", "a.b"), "headers", "nope"), checks);
        assertEquals(List.of("semantic:http_request_missing_target inputs",
                "semantic:http_request_path_without_resource inputs.path",
                "semantic:http_request_body_conflict inputs",
                "semantic:http_request_expected_status inputs.expected_status",
                "semantic:http_request_json_field_name inputs.json_fields.status",
                "semantic:http_request_headers_type inputs.headers"), errors);
        errors.clear();
        step.checkInputs(map("resource", "api", "expected_status", "{{env.CODES}}", "json_fields", map("id",
                "data.id")),
                checks);
        assertEquals(List.of(), errors);
    }

    @Test
    void jsonRoundTripsAndRejectsGarbage() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, 12345678901234567890, \"\\u00e9\\n\", null, true]} ");
        assertEquals("{\"a\":[1,-25.0,12345678901234567890,\"é\\n\",null,true]}", Json.write(v));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 01}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
    }
}
