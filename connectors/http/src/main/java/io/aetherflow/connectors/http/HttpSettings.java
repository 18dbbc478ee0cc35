package io.aetherflow.connectors.http;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code rest} resource's settings (catalog 9.1.1 plus our additions), validated once when the
 * connector is created.
 *
 * @param resource resource name (for messages)
 * @param baseUrl {@code config.base_url} without trailing {@code /}, or null
 * @param headers {@code config.headers}
 * @param bearerToken {@code config.bearer_token}, or null (a secret: never printed)
 * @param timeout {@code options.timeout} / {@code timeouts.total}, default 30 s
 * @param connectTimeout {@code options.connect_timeout} / {@code timeouts.connect}, default = timeout
 * @param verify {@code options.verify_ssl} (alias {@code verify}): true, false
 * @param caFile PEM CA file to trust ({@code options.ca_file}, or {@code verify_ssl: <path>}), or null
 * @param retry retry policy
 * @param followRedirects {@code options.follow_redirects} (default true: same-protocol and safer redirects)
 */
record HttpSettings(String resource, String baseUrl, Map<String, String> headers, String bearerToken,
        Duration timeout, Duration connectTimeout, boolean verify, Path caFile, RetryPolicy retry,
        boolean followRedirects) {

    /** Reference default: 30 s. */
    static final double DEFAULT_TIMEOUT_SECONDS = 30;

    static HttpSettings from(ConnectorConfig cfg) {
        ConfigValues config = new ConfigValues(cfg.name(), "config", cfg.config());
        ConfigValues options = new ConfigValues(cfg.name(), "options", cfg.options());

        String base = config.string("base_url");
        if (base != null) {
            base = base.trim();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            try {
                URI u = new URI(base);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                    throw config.bad("base_url", "an absolute http:// or https:// URL");
                }
            } catch (URISyntaxException e) {
                throw config.bad("base_url", "an absolute http:// or https:// URL");
            }
        }
        Map<String, String> headers = config.stringMap("headers");
        String token = config.string("bearer_token", "token");

        double total = options.seconds(DEFAULT_TIMEOUT_SECONDS, "timeout", "timeouts.total");
        double connect = options.seconds(total, "connect_timeout", "timeouts.connect");

        Object verify = options.boolOrString(Boolean.TRUE, "verify_ssl", "verify");
        Path ca = null;
        boolean verifyOn = true;
        if (verify instanceof Boolean b) {
            verifyOn = b;
        } else {
            ca = Path.of(verify.toString());
        }
        String caOption = options.string("ca_file");
        if (caOption != null) {
            ca = Path.of(caOption);
        }
        Object follow = options.boolOrString(Boolean.TRUE, "follow_redirects");
        if (!(follow instanceof Boolean)) {
            throw options.bad("follow_redirects", "true or false");
        }

        long extra = options.integer(0, 0, "retry.max_attempts", "retries");
        double backoff = options.seconds(1, "retry.backoff");
        double backoffMax = options.seconds(5, "retry.backoff_max");
        List<Integer> statuses = options.intList(RetryPolicy.DEFAULT_STATUSES, "retry.statuses");
        RetryPolicy retry = new RetryPolicy((int) Math.min(extra, 100), millis(backoff), millis(backoffMax),
                statuses);

        return new HttpSettings(cfg.name(), base, headers, token, millis(total), millis(connect), verifyOn, ca,
                retry, (Boolean) follow);
    }

    private static Duration millis(double seconds) {
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    @Override
    public String toString() {
        return "HttpSettings[" + resource + " base_url=" + baseUrl + " headers=" + headers.keySet() + " bearer_token="
                + (bearerToken == null ? "none" : "***") + " timeout=" + timeout + " verify=" + verify + "]";
    }

    /**
     * @param extraAttempts attempts after the first
     * @param backoff first wait
     * @param backoffMax longest wait (also caps {@code Retry-After})
     * @param statuses status codes answered by a retry
     */
    record RetryPolicy(int extraAttempts, Duration backoff, Duration backoffMax, List<Integer> statuses) {

        static final List<Integer> DEFAULT_STATUSES = List.of(429, 502, 503, 504);

        /** @return the wait before attempt {@code attempt + 1} (attempt counts from 1) */
        Duration waitAfter(int attempt) {
            long ms = backoff.toMillis();
            for (int i = 1; i < attempt && ms < backoffMax.toMillis(); i++) {
                ms *= 2;
            }
            return Duration.ofMillis(Math.min(ms, backoffMax.toMillis()));
        }
    }
}
