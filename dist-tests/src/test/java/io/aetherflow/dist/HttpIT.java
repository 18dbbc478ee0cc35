package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aetherflow.dist.Aetherflow.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution runs {@code http_request} flows against a loopback HTTP server started by the
 * test: the shipped example (retry on 503, saved artifact, promoted JSON fields, bearer token from
 * the environment) and a failing call (exit 1, one clear line, token masked).
 */
@RunsExamples("http")
class HttpIT {

    private static final String TOKEN = "dist-Token-31337";

    @TempDir
    Path tmp;

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger statusCalls = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/status.json", ex -> {
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (statusCalls.incrementAndGet() == 1) {
                reply(ex, 503, "warming up");
            } else {
                reply(ex, 200, Files.readString(Aetherflow.REPO.resolve("examples/http/site/status.json")));
            }
        });
        server.createContext("/broken", ex -> reply(ex, 500, "{\"error\": \"token " + TOKEN + " rejected\"}"));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void exampleFlowRetriesSavesTheBodyAndPromotesFields() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("API_BASE_URL", base());
        env.put("API_TOKEN", TOKEN);
        Result r = Aetherflow.run(Aetherflow.REPO, env, "run", "--flow-yaml", "examples/http/flow.yaml", "--run-id", "h1");

        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, statusCalls.get(), "one 503, then a retry");
        assertEquals(List.of("Bearer " + TOKEN, "Bearer " + TOKEN), authorizations);
        assertTrue(r.stderr().contains("inventory 1.4.2 healthy=True depth=3 saved to "), r.stderr());
        Path saved;
        try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
            saved = s.filter(p -> p.getFileName().toString().equals("status.json")).findFirst().orElseThrow();
        }
        assertEquals(Files.readString(Aetherflow.REPO.resolve("examples/http/site/status.json")), Files.readString(saved));
        assertTrue(saved.toString().contains("artifacts"), saved.toString());
        assertFalse(r.stderr().contains(TOKEN), r.stderr());
    }

    @Test
    void unexpectedStatusFailsTheRunWithOneMaskedLine() throws Exception {
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), "resources:\n"
                + "  api:\n"
                + "    kind: rest\n"
                + "    driver: http\n"
                + "    config:\n"
                + "      base_url: \"" + base() + "\"\n"
                + "      bearer_token: \"{{env.API_TOKEN}}\"\n"
                + flow("http_fail", "  - id: call\n    steps:\n"
                        + "      - id: post\n"
                        + "        type: http_request\n"
                        + "        inputs:\n"
                        + "          resource: api\n"
                        + "          method: POST\n"
                        + "          path: /broken\n"
                        + "          json: {run: \"{{run_id}}\"}\n"));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("API_TOKEN", TOKEN);
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "f1");

        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("http_request: POST " + base() + "/broken returned HTTP 500, expected 2xx; "
                + "body: {\"error\": \"token *** rejected\"}"), r.stderr());
        assertFalse(r.stderr().contains(TOKEN), r.stderr());
    }
}
