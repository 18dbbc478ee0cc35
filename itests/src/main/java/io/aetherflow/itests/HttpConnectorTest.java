package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.http.HttpConnector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The HTTP connector bundle registers the {@code rest:http} driver with alias {@code httpx} (the
 * reference's {@code rest:httpx}), and the {@code http_request} step bundle finds it through the
 * engine: a flow naming {@code driver: httpx} calls a loopback server and promotes a JSON field.
 */
@ExtendWith(BundleContextExtension.class)
class HttpConnectorTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    @Test
    void restHttpFactoryIsRegisteredWithAliasHttpx() throws Exception {
        ServiceReference<ConnectorFactory> ref = Registrations.factory(context, "rest", "httpx",
                "io.aetherflow.connectors.http", "http");
        Registrations.creates(context, ref, HttpConnector.class, "api", "httpx", Map.of("base_url", "http://127.0.0.1:9"));
        Registrations.stepsServedBy(context, "io.aetherflow.steps.http", "http_request");
    }

    @Test
    void flowWithRestHttpxResourceCallsTheServerAndPromotesAField() throws Exception {
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = EngineFixture.loopbackServer("itest-http", s -> serve(s, requests))) {
            Path out = home.resolve("id.txt");
            Path flow = EngineFixture.writeFlow(home,
                    EngineFixture.resources("api", "rest", "httpx",
                            "base_url: \"http://127.0.0.1:" + server.getLocalPort() + "/v1\"", "bearer_token: itest-token"),
                    EngineFixture.oneJobFlow(home, "itest_http"),
                    EngineFixture.resourceStep("call", "http_request", "api", "path: orders/7",
                            "json_fields: {order_id: data.id}"),
                    EngineFixture.stepHead("write", "external.process"),
                    "          command: [/bin/sh, -c, \"printf %s {{steps.call.order_id}} > " + out + "\"]");
            EngineFixture.Outcome r = EngineFixture.runFlowOk(context, home, flow, "http1");
            assertEquals("7", Files.readString(out));
            assertTrue(requests.contains("GET /v1/orders/7 HTTP/1.1"), requests.toString());
            assertTrue(requests.contains("authorization: Bearer itest-token"), requests.toString());
        }
    }

    /** A minimal HTTP/1.1 responder (java.net only): records request lines and headers, answers JSON. */
    private static void serve(ServerSocket server, List<String> requests) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String line;
                boolean first = true;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    if (first) {
                        requests.add(line);
                        first = false;
                    } else {
                        int colon = line.indexOf(':');
                        requests.add(line.substring(0, colon).toLowerCase() + ":" + line.substring(colon + 1));
                    }
                }
                byte[] body = "{\"data\": {\"id\": 7}}".getBytes(StandardCharsets.UTF_8);
                OutputStream o = s.getOutputStream();
                o.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                o.write(body);
                o.flush();
            } catch (java.io.IOException e) {
                return; // server socket closed at the end of the test
            }
        }
    }
}
