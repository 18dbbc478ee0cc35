package com.example.vendor.acme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.http.HttpCall;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.connector.http.HttpReply;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticRestConnectorTest {

    private static HttpConnector connector(Map<String, Object> config) {
        return (HttpConnector) new StaticRestConnectorFactory()
                .create(new ConnectorConfig("greetings", "rest", "acme-static", config, Map.of()));
    }

    private static Map<String, Object> replies() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("greeting", "Hello, {name}!");
        r.put("/teapot/", Map.of("status", 418, "body", "{\"short\": true}", "content_type", "application/json"));
        return Map.of("replies", r);
    }

    @Test
    void answersGetFromTheCannedRepliesIgnoringSlashesAndQuery() throws Exception {
        HttpConnector c = connector(replies());
        HttpReply r = c.request(HttpCall.of("get", "/greeting?lang=en"));
        assertEquals(200, r.status());
        assertEquals("Hello, {name}!", r.text());
        assertEquals("acme-static://greetings/greeting", r.uri());
        assertEquals("text/plain; charset=UTF-8", r.header("Content-Type"));
        assertEquals(1, r.attempts());

        HttpReply teapot = c.request(HttpCall.of("GET", "acme-static://greetings/teapot"));
        assertEquals(418, teapot.status());
        assertEquals("application/json", teapot.header("content-type"));
        assertEquals("{\"short\": true}", teapot.text());
    }

    @Test
    void unknownPathIs404HeadHasNoBodyOtherMethodsAre405() throws Exception {
        HttpConnector c = connector(replies());
        HttpReply missing = c.request(HttpCall.of("GET", "nowhere"));
        assertEquals(404, missing.status());
        assertTrue(missing.text().contains("no canned reply for nowhere"), missing.text());
        HttpReply head = c.request(HttpCall.of("HEAD", "greeting"));
        assertEquals(200, head.status());
        assertArrayEquals(new byte[0], head.body());
        HttpReply post = c.request(HttpCall.of("POST", "greeting"));
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("allow"));
    }

    @Test
    void baseUrlIsHonouredAndForeignUrlsAreRefusedWithoutTheirQuery() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>(replies());
        config.put("base_url", "https://acme.example/api/");
        HttpConnector c = connector(config);
        assertEquals(200, c.request(HttpCall.of("GET", "https://acme.example/api/greeting")).status());
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> c.request(HttpCall.of("GET", "https://elsewhere.example/greeting?token=s3cret")));
        assertTrue(e.getMessage().contains("outside its base_url https://acme.example/api"), e.getMessage());
        assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void bodyLargerThanTheCallLimitFails() {
        HttpConnector c = connector(replies());
        HttpCall small = new HttpCall("GET", "greeting", Map.of(), null, null, 4);
        ConnectorException e = assertThrows(ConnectorException.class, () -> c.request(small));
        assertTrue(e.getMessage().contains("more than the call's limit of 4"), e.getMessage());
    }

    @Test
    void invalidConfigurationIsRefusedNamingTheKey() {
        ConnectorException none = assertThrows(ConnectorException.class, () -> connector(Map.of()));
        assertTrue(none.getMessage().startsWith("resource greetings: config.replies is required"), none.getMessage());
        ConnectorException status = assertThrows(ConnectorException.class,
                () -> connector(Map.of("replies", Map.of("x", Map.of("status", 42)))));
        assertTrue(status.getMessage().contains("config.replies.x.status must be an integer from 100 to 599"),
                status.getMessage());
        ConnectorException key = assertThrows(ConnectorException.class,
                () -> connector(Map.of("replies", Map.of("x", Map.of("bdy", "typo")))));
        assertTrue(key.getMessage().contains("unknown key 'bdy'"), key.getMessage());
        ConnectorException list = assertThrows(ConnectorException.class,
                () -> connector(Map.of("replies", Map.of("x", java.util.List.of("a")))));
        assertTrue(list.getMessage().contains("must be a text (the body) or a mapping"), list.getMessage());
    }
}
