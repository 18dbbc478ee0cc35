package com.example.vendor.acme;

import io.aetherflow.api.connector.ConnectorException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One canned reply of a {@code rest:acme-static} resource, read from {@code config.replies.<path>}.
 *
 * @param status the HTTP status code (100 to 599)
 * @param contentType the {@code Content-Type} header
 * @param body the body bytes (UTF-8)
 */
record CannedReply(int status, String contentType, byte[] body) {

    static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=UTF-8";

    /**
     * Reads one entry: a string is a 200 reply with that body; a mapping may set {@code status},
     * {@code body} and {@code content_type}.
     *
     * @param resource the resource name, for messages
     * @param path the reply's path, for messages
     * @param value the configured value
     * @return the reply
     * @throws ConnectorException naming the resource and the configuration key when the value is invalid
     */
    static CannedReply from(String resource, String path, Object value) {
        String where = "resource " + resource + ": config.replies." + path;
        if (value instanceof String s) {
            return new CannedReply(200, DEFAULT_CONTENT_TYPE, s.getBytes(StandardCharsets.UTF_8));
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new ConnectorException(where + " must be a text (the body) or a mapping with status, body and"
                    + " content_type; fix the resource in the flow");
        }
        for (Object key : m.keySet()) {
            if (!"status".equals(key) && !"body".equals(key) && !"content_type".equals(key)) {
                throw new ConnectorException(where + " has an unknown key '" + key + "' (known: status, body,"
                        + " content_type); fix the resource in the flow");
            }
        }
        int status = 200;
        Object st = m.get("status");
        if (st != null) {
            long n;
            if (st instanceof Integer || st instanceof Long) {
                n = ((Number) st).longValue();
            } else if (st instanceof String s && s.trim().matches("[0-9]{3}")) {
                n = Long.parseLong(s.trim());
            } else {
                throw new ConnectorException(where + ".status must be an integer from 100 to 599 (found a "
                        + st.getClass().getSimpleName() + "); fix the resource in the flow");
            }
            if (n < 100 || n > 599) {
                throw new ConnectorException(where + ".status must be an integer from 100 to 599; fix the resource"
                        + " in the flow");
            }
            status = (int) n;
        }
        Object body = m.get("body");
        if (body != null && !(body instanceof String)) {
            throw new ConnectorException(where + ".body must be a text; fix the resource in the flow");
        }
        Object ct = m.get("content_type");
        if (ct != null && !(ct instanceof String)) {
            throw new ConnectorException(where + ".content_type must be a text; fix the resource in the flow");
        }
        return new CannedReply(status, ct == null ? DEFAULT_CONTENT_TYPE : (String) ct,
                body == null ? new byte[0] : ((String) body).getBytes(StandardCharsets.UTF_8));
    }
}
