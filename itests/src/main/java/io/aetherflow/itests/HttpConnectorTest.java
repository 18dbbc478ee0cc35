package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.step.Step;
import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
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
        List<ServiceReference<ConnectorFactory>> refs = Services.await(context, ConnectorFactory.class,
                "(&(" + ConnectorFactory.KIND_PROPERTY + "=rest)(" + ConnectorFactory.ALIASES_PROPERTY + "=httpx))");
        assertFalse(refs.isEmpty(), "no ConnectorFactory for rest with alias httpx");
        ServiceReference<ConnectorFactory> ref = refs.get(0);
        assertEquals("io.aetherflow.connectors.http", ref.getBundle().getSymbolicName());
        assertEquals("http", ref.getProperty(ConnectorFactory.DRIVER_PROPERTY));
        ConnectorFactory factory = context.getService(ref);
        try (HttpConnector c = (HttpConnector) factory.create(new ConnectorConfig("api", "rest", "httpx",
                Map.of("base_url", "http://127.0.0.1:9"), Map.of()))) {
            assertEquals("api", c.config().name());
        } finally {
            context.ungetService(ref);
        }
        List<ServiceReference<Step>> steps = Services.await(context, Step.class,
                "(" + Step.TYPE_PROPERTY + "=http_request)");
        assertEquals("io.aetherflow.steps.http", steps.get(0).getBundle().getSymbolicName());
    }

    @Test
    void flowWithRestHttpxResourceCallsTheServerAndPromotesAField() throws Exception {
        List<String> requests = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> serve(server, requests), "itest-http");
            t.setDaemon(true);
            t.start();
            Path out = home.resolve("id.txt");
            Path flow = Files.writeString(home.resolve("flow.yaml"), String.join("\n",
                    "resources:",
                    "  api:",
                    "    kind: rest",
                    "    driver: httpx",
                    "    config:",
                    "      base_url: \"http://127.0.0.1:" + server.getLocalPort() + "/v1\"",
                    "      bearer_token: itest-token",
                    "flow:",
                    "  id: itest_http",
                    "  workspace: {root: \"" + home.resolve("work") + "\"}",
                    "  state: {path: \"" + home.resolve("state.sqlite") + "\"}",
                    "jobs:",
                    "  - id: j",
                    "    steps:",
                    "      - id: call",
                    "        type: http_request",
                    "        inputs:",
                    "          resource: api",
                    "          path: orders/7",
                    "          json_fields: {order_id: data.id}",
                    "      - id: write",
                    "        type: external.process",
                    "        inputs:",
                    "          command: [/bin/sh, -c, \"printf %s {{steps.call.order_id}} > " + out + "\"]",
                    ""));
            ServiceReference<Application> appRef = Services.await(context, Application.class, null).get(0);
            EngineFixture.Outcome r;
            try {
                r = EngineFixture.run(context.getService(appRef), home,
                new EngineCommand.Run(flow.toString(), "http1", null, null, false));
            } finally {
                context.ungetService(appRef);
            }
            assertEquals(0, r.exit(), r.toString());
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
