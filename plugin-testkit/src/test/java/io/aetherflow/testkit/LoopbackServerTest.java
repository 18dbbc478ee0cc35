package io.aetherflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class LoopbackServerTest {

    @Test
    void recordsRequestsCountsPerRouteAndAnswersHandlerFailuresWith599() throws Exception {
        try (LoopbackServer server = LoopbackServer.http()
                .route("/n", (ex, n) -> LoopbackServer.reply(ex, 200, "text/plain", "call " + n))
                .route("/boom", (ex, n) -> {
                    throw new IllegalStateException("no");
                })) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertTrue(server.base().startsWith("http://127.0.0.1:" + server.port()));
            HttpRequest post = HttpRequest.newBuilder(URI.create(server.base() + "/n?x=1")).header("X-Test", "t")
                    .POST(HttpRequest.BodyPublishers.ofString("body")).build();
            assertEquals("call 1", client.send(post, HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("call 2", client.send(post, HttpResponse.BodyHandlers.ofString()).body());
            HttpResponse<String> boom = client.send(HttpRequest.newBuilder(URI.create(server.base() + "/boom")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(599, boom.statusCode());
            assertEquals("java.lang.IllegalStateException: no", boom.body());
            LoopbackServer.Seen first = server.seen().get(0);
            assertEquals("POST", first.method());
            assertEquals("/n?x=1", first.uri());
            assertEquals("t", first.header("x-test"));
            assertEquals("body", first.text());
            assertEquals(3, server.seen().size());
        }
    }
}
