package io.aetherflow.connectors.http;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.http.HttpCall;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.connector.http.HttpReply;
import io.aetherflow.api.support.ConfiguredConnector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * {@link HttpConnector} over the JDK's {@link HttpClient} (HTTP/1.1 and HTTP/2). The client is
 * created on first use and shared by all requests of this connector.
 */
final class JdkHttpConnector extends ConfiguredConnector<HttpSettings> implements HttpConnector {

    static final String USER_AGENT = "aetherflow-http/1.0";

    private HttpClient client;

    JdkHttpConnector(ConnectorConfig config, HttpSettings settings) {
        super(config, settings);
    }

    private synchronized HttpClient client() {
        if (client == null) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                    .followRedirects(settings.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
            SSLContext tls = Tls.context(settings);
            if (tls != null) {
                b.sslContext(tls);
            }
            client = b.build();
        }
        return client;
    }

    @Override
    public HttpReply request(HttpCall call) throws InterruptedException {
        URI uri = resolve(call.target());
        HttpRequest request = build(call, uri);
        int attempts = 1 + settings.retry().attempts();
        Duration timeout = call.timeout() != null ? call.timeout() : settings.timeout();
        for (int attempt = 1;; attempt++) {
            HttpReply reply;
            try {
                HttpResponse<InputStream> resp = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
                byte[] body = read(resp.body(), call.maxBodyBytes(), call.method(), uri);
                reply = new HttpReply(resp.statusCode(), display(resp.uri()), resp.headers().map(), body, attempt);
            } catch (IOException e) {
                if (attempt >= attempts || !retryable(e)) {
                    throw new ConnectorException("REST request failed after " + attempt + " attempt(s): " + call.method()
                            + " " + display(uri) + ": " + reason(e, timeout), e);
                }
                Thread.sleep(settings.retry().waitAfter(attempt).toMillis());
                continue;
            }
            if (attempt < attempts && settings.retry().statuses().contains(reply.status())) {
                Thread.sleep(retryAfter(reply, settings.retry().waitAfter(attempt)).toMillis());
                continue;
            }
            return reply;
        }
    }

    /** Absolute targets as given; others appended to {@code base_url}. */
    URI resolve(String target) {
        String t = target.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        String url;
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            url = t;
        } else if (settings.baseUrl() == null) {
            throw new ConnectorException("resource " + settings.resource() + " has no config.base_url, so '" + path(t)
                    + "' cannot be resolved: give an absolute http(s) URL or set base_url");
        } else if (t.isEmpty()) {
            url = settings.baseUrl();
        } else {
            url = settings.baseUrl() + (t.startsWith("/") || t.startsWith("?") ? "" : "/") + t;
        }
        try {
            URI u = new URI(url);
            if (u.getHost() == null) {
                throw new URISyntaxException(path(url), "no host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConnectorException("invalid request URL " + path(url) + " for resource " + settings.resource()
                    + ": " + e.getReason() + " (percent-encode spaces and special characters)");
        }
    }

    private HttpRequest build(HttpCall call, URI uri) {
        Map<String, String> headers = new LinkedHashMap<>();
        putAll(headers, settings.headers());
        putAll(headers, call.headers());
        if (settings.bearerToken() != null && !settings.bearerToken().isBlank() && !has(headers, "authorization")) {
            headers.put("Authorization", "Bearer " + settings.bearerToken().trim());
        }
        if (!has(headers, "user-agent")) {
            headers.put("User-Agent", USER_AGENT);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(call.timeout() != null ? call.timeout() : settings.timeout());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                // the JDK message quotes the value: name the header only
                throw new ConnectorException("header '" + h.getKey() + "' cannot be set on " + call.method() + " "
                        + display(uri) + " (restricted or invalid header name/value; remove it from the headers)");
            }
        }
        HttpRequest.BodyPublisher body = call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.body());
        try {
            b.method(call.method(), body);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException("invalid HTTP method '" + call.method() + "' for " + display(uri));
        }
        return b.build();
    }

    private static void putAll(Map<String, String> target, Map<String, String> add) {
        for (Map.Entry<String, String> e : add.entrySet()) {
            target.keySet().removeIf(k -> k.equalsIgnoreCase(e.getKey()));
            target.put(e.getKey(), e.getValue());
        }
    }

    private static boolean has(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
    }

    private static byte[] read(InputStream in, long limit, String method, URI uri) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > limit) {
                    throw new ConnectorException("response body of " + method + " " + display(uri) + " exceeds the limit of "
                            + limit + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static boolean retryable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return false; // an untrusted certificate stays untrusted
            }
        }
        return true;
    }

    private Duration retryAfter(HttpReply reply, Duration backoff) {
        String ra = reply.header("retry-after");
        if (ra != null) {
            try {
                long s = Long.parseLong(ra.trim());
                if (s >= 0) {
                    return Duration.ofMillis(Math.min(s * 1000, settings.retry().backoffMax().toMillis()));
                }
            } catch (NumberFormatException e) {
                // an HTTP date: fall back to the backoff
            }
        }
        return backoff;
    }

    /** One-line reason for a transport failure, with a hint. */
    static String reason(IOException e, Duration timeout) {
        String secs = seconds(timeout);
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out (options.connect_timeout) - is the host reachable?";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out: no response within " + secs + " s (raise the timeout if the server is slow)";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "host not found (check the URL's host name and DNS)";
            }
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return "connection refused (is the server running and the port right?)";
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLException) {
            return "TLS failed: " + firstLine(e) + " (untrusted certificate or host name mismatch: trust the server's "
                    + "CA with options.ca_file, or verify_ssl: false for test systems only)";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e));
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }

    private static String path(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /**
     * A URL safe for messages: scheme, host, port and path; user info, query and fragment (which may
     * carry credentials or API keys) are dropped.
     */
    static String display(URI u) {
        StringBuilder sb = new StringBuilder();
        if (u.getScheme() != null) {
            sb.append(u.getScheme()).append("://");
        }
        if (u.getHost() != null) {
            sb.append(u.getHost());
        }
        if (u.getPort() >= 0) {
            sb.append(':').append(u.getPort());
        }
        if (u.getRawPath() != null) {
            sb.append(u.getRawPath());
        }
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        if (client instanceof AutoCloseable c) { // JDK 21+: releases the selector thread now
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        client = null;
    }
}
