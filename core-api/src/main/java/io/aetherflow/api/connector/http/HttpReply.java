package io.aetherflow.api.connector.http;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The answer to an {@link HttpCall}.
 *
 * @param status the HTTP status code
 * @param uri the URL that answered (after redirects), without credentials
 * @param headers response headers; names in lower case, values in received order (unmodifiable)
 * @param body the response body; never null (empty when there was none)
 * @param attempts how many attempts were made (1 without retries)
 */
public record HttpReply(int status, String uri, Map<String, List<String>> headers, byte[] body, int attempts) {

    /** Canonical constructor: lower-cases and copies the headers. */
    public HttpReply {
        Objects.requireNonNull(uri, "uri");
        Map<String, List<String>> h = new TreeMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> h.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new java.util.ArrayList<>())
                    .addAll(v));
        }
        h.replaceAll((k, v) -> List.copyOf(v));
        headers = Collections.unmodifiableMap(h);
        body = body == null ? new byte[0] : body;
    }

    /**
     * @param name header name, any case
     * @return the first value of the header, or null
     */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** @return the body decoded with the {@code Content-Type} charset (UTF-8 when absent or unknown) */
    public String text() {
        Charset cs = StandardCharsets.UTF_8;
        String ct = header("content-type");
        if (ct != null) {
            for (String part : ct.split(";")) {
                String p = part.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                    try {
                        cs = Charset.forName(p.substring(8).replace("\"", "").trim());
                    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                        cs = StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return new String(body, cs);
    }

    @Override
    public String toString() {
        return "HttpReply[" + status + " " + uri + " " + body.length + " bytes, attempts=" + attempts + "]";
    }
}
