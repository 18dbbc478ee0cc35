package io.aetherflow.connectors.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.http.HttpCall;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.connector.http.HttpReply;
import io.aetherflow.testkit.LoopbackServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkHttpConnectorTest {

    private static final String TOKEN = "tok-Secret-4711";

    private LoopbackServer server;
    private HttpConnector connector;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static HttpConnector connector(Map<String, Object> config, Map<String, Object> options) {
        return (HttpConnector) new HttpConnectorFactory()
                .create(new ConnectorConfig("api", "rest", "httpx", config, options));
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void sendsBaseUrlRelativeRequestWithConfiguredHeadersAndBearerToken() throws Exception {
        server = LoopbackServer.http().route("/api/items", (ex, n) -> {
            ex.getResponseHeaders().add("X-Trace", "t1");
            LoopbackServer.reply(ex, 201, "application/json; charset=utf-8", "{\"id\": 7}");
        });
        connector = connector(map("base_url", server.base() + "/api/", "headers", map("X-Team", "ops", "Accept", "text/plain"),
                "bearer_token", TOKEN), map());
        byte[] body = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        HttpReply r = connector.request(new HttpCall("post", "items?page=2",
                Map.of("Content-Type", "application/json", "accept", "application/json"), body, null, 1024));

        assertEquals(201, r.status());
        assertEquals("{\"id\": 7}", r.text());
        assertEquals("t1", r.header("x-trace"));
        assertEquals(1, r.attempts());
        assertEquals(server.base() + "/api/items", r.uri());
        LoopbackServer.Seen seen = server.seen().get(0);
        assertEquals("POST", seen.method());
        assertEquals("/api/items?page=2", seen.uri());
        assertEquals("Bearer " + TOKEN, seen.header("Authorization"));
        assertEquals("ops", seen.header("X-Team"));
        assertEquals("application/json", seen.header("Accept"), "per-call header overrides configured one");
        assertEquals(JdkHttpConnector.USER_AGENT, seen.header("User-Agent"));
        assertArrayEquals(body, seen.body());
    }

    @Test
    void configuredAuthorizationHeaderWinsOverBearerToken() throws Exception {
        server = LoopbackServer.http().route("/", (ex, n) -> LoopbackServer.reply(ex, 200, null, ""));
        connector = connector(map("base_url", server.base(), "headers", map("Authorization", "Basic abc"),
                "bearer_token", TOKEN), map());
        connector.request(HttpCall.of("GET", "/"));
        assertEquals("Basic abc", server.seen().get(0).header("authorization"));
    }

    @Test
    void retriesOnConfiguredStatusThenSucceeds() throws Exception {
        server = LoopbackServer.http().route("/flaky", (ex, n) -> {
            if (n < 3) {
                LoopbackServer.reply(ex, 503, "text/plain", "busy");
            } else {
                LoopbackServer.reply(ex, 200, "text/plain", "ok");
            }
        });
        connector = connector(map("base_url", server.base()),
                map("retry", map("max_attempts", 3, "backoff", 0.01, "backoff_max", 0.05)));
        HttpReply r = connector.request(HttpCall.of("GET", "/flaky"));
        assertEquals(200, r.status());
        assertEquals(3, r.attempts());
        assertEquals(3, server.seen().size());
    }

    @Test
    void withoutRetriesAStatusIsNotAnError() throws Exception {
        server = LoopbackServer.http().route("/flaky", (ex, n) -> LoopbackServer.reply(ex, 503, "text/plain", "busy"));
        connector = connector(map("base_url", server.base()), map());
        HttpReply r = connector.request(HttpCall.of("GET", "/flaky"));
        assertEquals(503, r.status());
        assertEquals(1, server.seen().size());
    }

    @Test
    void exhaustedRetriesReturnTheLastReplyAndOtherStatusesAreNotRetried() throws Exception {
        server = LoopbackServer.http()
                .route("/busy", (ex, n) -> LoopbackServer.reply(ex, 429, "text/plain", "slow down"))
                .route("/missing", (ex, n) -> LoopbackServer.reply(ex, 404, "text/plain", "no"));
        connector = connector(map("base_url", server.base()), map("retries", "2", "retry.backoff", "0.01"));
        HttpReply busy = connector.request(HttpCall.of("GET", "/busy"));
        assertEquals(429, busy.status());
        assertEquals(3, busy.attempts());
        HttpReply missing = connector.request(HttpCall.of("GET", "/missing"));
        assertEquals(404, missing.status());
        assertEquals(1, missing.attempts());
    }

    @Test
    void connectionRefusedIsRetriedThenReportedWithoutQueryOrSecrets() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        connector = connector(map("base_url", "http://127.0.0.1:" + port + "/v1", "bearer_token", TOKEN),
                map("retry", map("max_attempts", 1, "backoff", 0.01)));
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector.request(HttpCall.of("GET", "/things?api_key=KEY-Secret-1")));
        assertEquals("REST request failed after 2 attempt(s): GET http://127.0.0.1:" + port + "/v1/things: "
                + "connection refused (is the server running and the port right?)", e.getMessage());
        assertFalse(e.getMessage().contains("KEY-Secret-1"));
        assertFalse(e.getMessage().contains(TOKEN));
    }

    @Test
    void timeoutIsReportedWithTheLimit() throws Exception {
        server = LoopbackServer.http().route("/slow", (ex, n) -> {
            Thread.sleep(10_000); // interrupted when the server closes
            LoopbackServer.reply(ex, 200, null, "late");
        });
        connector = connector(map("base_url", server.base()), map("timeout", "0.3"));
        long t0 = System.nanoTime();
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector.request(HttpCall.of("GET", "/slow")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("timed out: no response within 0.3 s"), e.getMessage());
        assertTrue(ms < 8000, "gave up after " + ms + " ms (the server answers after 10 s)");
    }

    @Test
    void perCallTimeoutOverridesTheResourceTimeout() throws Exception {
        server = LoopbackServer.http().route("/slow", (ex, n) -> {
            Thread.sleep(10_000); // interrupted when the server closes
            LoopbackServer.reply(ex, 200, null, "late");
        });
        connector = connector(map("base_url", server.base()), map("timeout", 60));
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector.request(
                new HttpCall("GET", "/slow", Map.of(), null, Duration.ofMillis(200), 1000)));
        assertTrue(e.getMessage().contains("no response within 0.2 s"), e.getMessage());
    }

    @Test
    void bodyLargerThanTheLimitFails() throws Exception {
        server = LoopbackServer.http().route("/big", (ex, n) -> LoopbackServer.reply(ex, 200, null, "x".repeat(5000)));
        connector = connector(map("base_url", server.base()), map());
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector.request(new HttpCall("GET", "/big", Map.of(), null, null, 1000)));
        assertTrue(e.getMessage().contains("exceeds the limit of 1000 bytes"), e.getMessage());
    }

    @Test
    void absoluteUrlIgnoresBaseUrlAndRelativeNeedsOne() throws Exception {
        server = LoopbackServer.http().route("/abs", (ex, n) -> LoopbackServer.reply(ex, 204, null, ""));
        connector = connector(map(), map());
        HttpReply r = connector.request(HttpCall.of("DELETE", server.base() + "/abs"));
        assertEquals(204, r.status());
        assertEquals(0, r.body().length);
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector.request(HttpCall.of("GET", "/x?k=v")));
        assertTrue(e.getMessage().startsWith("resource api has no config.base_url, so '/x' cannot be resolved"),
                e.getMessage());
    }

    @Test
    void invalidOptionsNameTheKeyNotTheValue() {
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector(map("base_url", "http://h"), map("timeout", "soon-Secret")));
        assertEquals("options.timeout of resource api must be a number of seconds", e.getMessage());
        ConnectorException url = assertThrows(ConnectorException.class,
                () -> connector(map("base_url", "ftp://h"), map()));
        assertEquals("config.base_url of resource api must be an absolute http:// or https:// URL", url.getMessage());
        ConnectorException st = assertThrows(ConnectorException.class,
                () -> connector(map(), map("retry", map("statuses", List.of(503, "x")))));
        assertEquals("options.retry.statuses of resource api must be a list of HTTP status codes", st.getMessage());
    }

    @Test
    void restrictedHeaderIsAClearErrorWithoutItsValue() throws Exception {
        server = LoopbackServer.http().route("/", (ex, n) -> LoopbackServer.reply(ex, 200, null, ""));
        connector = connector(map("base_url", server.base()), map());
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector.request(new HttpCall("GET", "/", Map.of("Host", "evil-Secret"), null, null, 10)));
        assertTrue(e.getMessage().startsWith("header 'Host' cannot be set"), e.getMessage());
        assertFalse(e.getMessage().contains("evil-Secret"));
    }

    @Test
    void settingsToStringHidesTheToken() {
        HttpSettings s = HttpSettings.from(new ConnectorConfig("api", "rest", "http", map("bearer_token", TOKEN), map()));
        assertFalse(s.toString().contains(TOKEN));
        assertEquals(Duration.ofSeconds(30), s.timeout());
        assertNull(s.baseUrl());
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        io.aetherflow.api.support.RetrySettings p = new io.aetherflow.api.support.RetrySettings(5, Duration.ofMillis(100), Duration.ofMillis(350),
                List.of(503));
        assertEquals(List.of(100L, 200L, 350L, 350L),
                List.of(p.waitAfter(1).toMillis(), p.waitAfter(2).toMillis(), p.waitAfter(3).toMillis(),
                        p.waitAfter(4).toMillis()));
    }

    @Test
    void tlsVerificationRejectsUntrustedCertificateAndAcceptsTheConfiguredCa(@TempDir Path dir) throws Exception {
        SelfSignedCert cert = SelfSignedCert.create(dir);
        server = LoopbackServer.https(cert.serverContext())
                .route("/secure", (ex, n) -> LoopbackServer.reply(ex, 200, "text/plain", "tls ok"));

        HttpConnector strict = connector(map("base_url", server.base()), map("retries", 2, "retry.backoff", 0.01));
        try {
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> strict.request(HttpCall.of("GET", "/secure")));
            assertTrue(e.getMessage().startsWith("REST request failed after 1 attempt(s): GET " + server.base()
                    + "/secure: TLS failed: "), e.getMessage());
            assertTrue(e.getMessage().contains("options.ca_file"), e.getMessage());
        } finally {
            strict.close();
        }

        HttpConnector trusted = connector(map("base_url", server.base()), map("ca_file", cert.pem().toString()));
        try {
            assertEquals("tls ok", trusted.request(HttpCall.of("GET", "/secure")).text());
        } finally {
            trusted.close();
        }

        HttpConnector viaVerify = connector(map("base_url", server.base()), map("verify_ssl", cert.pem().toString()));
        try {
            assertEquals(200, viaVerify.request(HttpCall.of("GET", "/secure")).status());
        } finally {
            viaVerify.close();
        }

        HttpConnector unchecked = connector(map("base_url", "https://localhost:" + server.port()),
                map("verify_ssl", "false"));
        try {
            assertEquals("tls ok", unchecked.request(HttpCall.of("GET", "/secure")).text());
        } finally {
            unchecked.close();
        }
    }

    @Test
    void unreadableCaFileIsAConfigurationError(@TempDir Path dir) throws Exception {
        server = LoopbackServer.http().route("/", (ex, n) -> LoopbackServer.reply(ex, 200, null, ""));
        connector = connector(map("base_url", server.base()), map("ca_file", dir.resolve("none.pem").toString()));
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector.request(HttpCall.of("GET", "/")));
        assertTrue(e.getMessage().startsWith("options.ca_file of resource api: cannot read " + dir.resolve("none.pem")),
                e.getMessage());
    }
}
