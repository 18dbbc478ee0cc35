package io.aetherflow.connectors.http;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.support.ConfigValues;
import io.aetherflow.api.support.RetrySettings;
import io.aetherflow.api.support.TlsSettings;
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
 * @param retry retry settings ({@code attempts}: retries after the first attempt)
 * @param followRedirects {@code options.follow_redirects} (default true: same-protocol and safer redirects)
 */
record HttpSettings(String resource, String baseUrl, Map<String, String> headers, String bearerToken,
        Duration timeout, Duration connectTimeout, boolean verify, Path caFile, RetrySettings retry,
        boolean followRedirects) {

    /** Reference default: 30 s. */
    static final double DEFAULT_TIMEOUT_SECONDS = 30;

    /** Status codes answered by a retry unless {@code options.retry.statuses} says otherwise. */
    static final List<Integer> DEFAULT_RETRY_STATUSES = List.of(429, 502, 503, 504);

    static HttpSettings from(ConnectorConfig cfg) {
        ConfigValues config = ConfigValues.of(cfg.name(), "config", cfg.config());
        ConfigValues options = ConfigValues.of(cfg.name(), "options", cfg.options());

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
        Duration connect = options.duration(total, "connect_timeout", "timeouts.connect");
        TlsSettings tls = options.tls();
        boolean follow = options.bool(true, "follow_redirects");
        // retry.max_attempts counts the attempts after the first one (default 0)
        RetrySettings retry = options.retry(0, 0, DEFAULT_RETRY_STATUSES, "retry.max_attempts", "retries");

        return new HttpSettings(cfg.name(), base, headers, token, ConfigValues.millis(total), connect, tls.verify(),
                tls.caFile(), retry, follow);
    }

    @Override
    public String toString() {
        return "HttpSettings[" + resource + " base_url=" + baseUrl + " headers=" + headers.keySet() + " bearer_token="
                + (bearerToken == null ? "none" : "***") + " timeout=" + timeout + " verify=" + verify + "]";
    }
}
