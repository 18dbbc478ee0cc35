package io.aetherflow.api.connector.http;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request.
 *
 * @param method the method in upper case, e.g. {@code GET}
 * @param target an absolute {@code http(s)} URL, or a path (with optional query) relative to the
 *               resource's {@code base_url}
 * @param headers request headers (override configured headers with the same name, case-insensitively)
 * @param body the request body, or null for none (never retained beyond the call)
 * @param timeout the per-request timeout, or null for the resource's {@code options.timeout}
 * @param maxBodyBytes the largest response body accepted; a longer body fails the call
 */
public record HttpCall(String method, String target, Map<String, String> headers, byte[] body, Duration timeout,
        long maxBodyBytes) {

    /** Default {@link #maxBodyBytes()}: 64 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    /** Canonical constructor: upper-cases the method and copies the headers. */
    public HttpCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        method = method.trim().toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
    }

    /**
     * A request without a body, with the resource's timeout and the default body limit.
     *
     * @param method the method
     * @param target URL or path relative to {@code base_url}
     * @return the call
     */
    public static HttpCall of(String method, String target) {
        return new HttpCall(method, target, Map.of(), null, null, DEFAULT_MAX_BODY_BYTES);
    }

    @Override
    public String toString() {
        // header values may be credentials: names only
        return "HttpCall[" + method + " " + target + " headers=" + headers.keySet() + " body="
                + (body == null ? "none" : body.length + " bytes") + " timeout=" + timeout + "]";
    }
}
