package io.aetherflow.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP or HTTPS server on 127.0.0.1 (the JDK's {@code com.sun.net.httpserver}, an ephemeral
 * port) that records every request it receives. Close it after the test.
 *
 * <pre>{@code
 * try (LoopbackServer server = LoopbackServer.http()
 *         .route("/orders", (ex, n) -> LoopbackServer.reply(ex, 200, "application/json", "{}"))) {
 *     ... server.base() + "/orders" ...
 *     assertEquals("GET", server.seen().get(0).method());
 * }
 * }</pre>
 */
public final class LoopbackServer implements AutoCloseable {

    /**
     * A received request.
     *
     * @param method the request method
     * @param uri the request URI as sent (path and query)
     * @param headers the request headers
     * @param body the request body
     */
    public record Seen(String method, String uri, Map<String, List<String>> headers, byte[] body) {

        /**
         * @param name a header name (any case)
         * @return the header's first value, or null
         */
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** @return the body as UTF-8 text */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param ex the exchange (the request body is already read and recorded)
         * @param n counts the requests to this route from 1
         * @throws Exception answered as status 599 with the exception's text (I/O errors drop the connection)
         */
        void handle(HttpExchange ex, int n) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private LoopbackServer(HttpServer server) {
        this.server = server;
        server.setExecutor(pool);
        server.start();
    }

    /**
     * @return a started plain-HTTP server
     * @throws IOException when no loopback port can be bound
     */
    public static LoopbackServer http() throws IOException {
        return new LoopbackServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    /**
     * @param tls the server's TLS context (its key manager holds the server certificate)
     * @return a started HTTPS server
     * @throws IOException when no loopback port can be bound
     */
    public static LoopbackServer https(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new LoopbackServer(s);
    }

    /**
     * Answers requests under a path prefix.
     *
     * @param path the path prefix, e.g. {@code /api/orders}
     * @param h the handler
     * @return this server
     */
    public LoopbackServer route(String path, Handler h) {
        server.createContext(path, ex -> {
            // the 599 answer goes out before the exchange closes (a catch clause of the
            // try-with-resources itself would run after the close)
            try (ex) {
                try {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(),
                            Map.copyOf(ex.getRequestHeaders()), body));
                    h.handle(ex, counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet());
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    reply(ex, 599, "text/plain", e.toString());
                }
            }
        });
        return this;
    }

    /** @return {@code http://127.0.0.1:<port>} or {@code https://...} */
    public String base() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the bound port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return every request received so far, in arrival order (thread-safe) */
    public List<Seen> seen() {
        return seen;
    }

    /**
     * Sends a complete response.
     *
     * @param ex the exchange
     * @param status the status code
     * @param contentType the Content-Type, or null for none
     * @param body the body (UTF-8); empty sends no body
     * @throws IOException when the client went away
     */
    public static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
