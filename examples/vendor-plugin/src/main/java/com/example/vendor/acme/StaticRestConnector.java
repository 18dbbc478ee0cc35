package com.example.vendor.acme;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.http.HttpCall;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.connector.http.HttpReply;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link HttpConnector} that never touches the network: it answers {@code GET} and {@code HEAD}
 * from the resource's {@code config.replies} (path → reply), 404 for other paths and 405 for other
 * methods. Immutable, hence thread-safe.
 */
final class StaticRestConnector implements HttpConnector {

    private final ConnectorConfig config;
    private final String baseUrl;
    private final Map<String, CannedReply> replies;

    StaticRestConnector(ConnectorConfig config, String baseUrl, Map<String, CannedReply> replies) {
        this.config = config;
        this.baseUrl = baseUrl;
        this.replies = Map.copyOf(replies);
    }

    /**
     * Validates the resource's configuration: {@code config.replies} (required, a non-empty mapping)
     * and {@code config.base_url} (optional, default {@code acme-static://<resource>}).
     *
     * @param config the resolved resource
     * @return the connector
     * @throws ConnectorException naming the resource and key when the configuration is invalid
     */
    static StaticRestConnector from(ConnectorConfig config) {
        Object base = config.config().get("base_url");
        if (base != null && !(base instanceof String)) {
            throw new ConnectorException("resource " + config.name() + ": config.base_url must be a text; fix the"
                    + " resource in the flow");
        }
        String baseUrl = base == null || ((String) base).isBlank() ? "acme-static://" + config.name()
                : stripSlashes((String) base);
        Object r = config.config().get("replies");
        if (!(r instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new ConnectorException("resource " + config.name() + ": config.replies is required: a mapping of"
                    + " path to reply (a text, or status/body/content_type); fix the resource in the flow");
        }
        Map<String, CannedReply> replies = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String path = stripSlashes(String.valueOf(e.getKey()));
            replies.put(path, CannedReply.from(config.name(), path, e.getValue()));
        }
        return new StaticRestConnector(config, baseUrl, replies);
    }

    private static String stripSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }

    @Override
    public ConnectorConfig config() {
        return config;
    }

    @Override
    public HttpReply request(HttpCall call) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("acme-static request interrupted");
        }
        String target = call.target();
        int q = indexOfAny(target, '?', '#');
        String noQuery = q < 0 ? target : target.substring(0, q);
        String path;
        if (noQuery.contains("://")) {
            if (!noQuery.equals(baseUrl) && !noQuery.startsWith(baseUrl + "/")) {
                throw new ConnectorException("resource " + config.name() + ": " + call.method() + " " + noQuery
                        + " is outside its base_url " + baseUrl + "; rest:acme-static serves only its own replies:"
                        + " use a path relative to base_url");
            }
            path = stripSlashes(noQuery.substring(baseUrl.length()));
        } else {
            path = stripSlashes(noQuery);
        }
        String uri = baseUrl + "/" + path;
        boolean head = call.method().equals("HEAD");
        if (!head && !call.method().equals("GET")) {
            return reply(405, uri, "text/plain; charset=UTF-8", Map.of("allow", List.of("GET, HEAD")),
                    ("rest:acme-static answers GET and HEAD only, not " + call.method() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        CannedReply canned = replies.get(path);
        if (canned == null) {
            return reply(404, uri, "text/plain; charset=UTF-8", Map.of(),
                    head ? new byte[0] : ("no canned reply for " + path + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (canned.body().length > call.maxBodyBytes()) {
            throw new ConnectorException("resource " + config.name() + ": GET " + uri + ": the body has "
                    + canned.body().length + " bytes, more than the call's limit of " + call.maxBodyBytes()
                    + "; raise the limit or shorten the reply");
        }
        return reply(canned.status(), uri, canned.contentType(), Map.of(), head ? new byte[0] : canned.body());
    }

    private static HttpReply reply(int status, String uri, String contentType, Map<String, List<String>> extra,
            byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>(extra);
        headers.put("content-type", List.of(contentType));
        headers.put("content-length", List.of(String.valueOf(body.length)));
        return new HttpReply(status, uri, headers, body, 1);
    }

    private static int indexOfAny(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }
}
