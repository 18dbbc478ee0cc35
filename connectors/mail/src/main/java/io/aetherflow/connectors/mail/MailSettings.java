package io.aetherflow.connectors.mail;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.support.ConfigValues;
import io.aetherflow.api.support.RetrySettings;
import io.aetherflow.api.support.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code mail} resource's settings (catalog 9.1.2 plus our additions), validated once when the
 * connector is created.
 *
 * @param resource resource name (for messages)
 * @param host {@code config.host} (required)
 * @param port {@code config.port}: default 465 with implicit TLS, else 587
 * @param username {@code config.username} (alias {@code user}), or null: no authentication
 * @param password {@code config.password}, or null (a secret: never printed)
 * @param security how the connection is protected
 * @param from default sender: {@code config.from_addr} (alias {@code from}), else the username, or null
 * @param heloName {@code config.helo_name}: the name sent in EHLO, or null for the local host name
 * @param timeout read/write timeout ({@code options.timeout} / {@code timeouts.total}, default 30 s)
 * @param connectTimeout {@code options.connect_timeout} / {@code timeouts.connect}, default = timeout
 * @param verify {@code options.verify_ssl} (default true): check certificate and host name
 * @param caFile PEM CA file to trust ({@code options.ca_file}, or {@code verify_ssl: <path>}), or null
 * @param retry {@code options.retry.max_attempts}: total attempts (default 1, as the reference);
 *        {@code retry.backoff} first wait (default 1 s), doubling up to {@code retry.backoff_max} (5 s)
 * @param headers {@code config.headers}: headers added to every message
 */
record MailSettings(String resource, String host, int port, String username, String password, Security security,
        String from, String heloName, Duration timeout, Duration connectTimeout, boolean verify, Path caFile,
        RetrySettings retry, Map<String, String> headers) {

    /** Connection protection. */
    enum Security {
        /** plain SMTP (no TLS) */
        NONE,
        /** plain connect, then STARTTLS (required: no fallback to plain text) */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465) */
        SSL
    }

    static final double DEFAULT_TIMEOUT_SECONDS = 30;

    static MailSettings from(ConnectorConfig cfg) {
        ConfigValues config = ConfigValues.of(cfg.name(), "config", cfg.config());
        ConfigValues options = ConfigValues.of(cfg.name(), "options", cfg.options());

        String host = config.string("host");
        if (host == null || host.isBlank()) {
            throw new io.aetherflow.api.connector.ConnectorException("mail.smtp requires config.host (resource "
                    + cfg.name() + ": set config.host to the SMTP server's name)");
        }
        boolean ssl = config.bool(false, "ssl", "use_ssl", "implicit_tls");
        int port = config.port(ssl ? 465 : 587, "port");
        boolean starttls = config.bool(!ssl && port == 587, "starttls", "use_tls");
        Security security;
        if (ssl) {
            if (config.first("starttls", "use_tls") != null && starttls) {
                throw new io.aetherflow.api.connector.ConnectorException("resource " + cfg.name()
                        + " sets both config.ssl and config.starttls: use ssl (implicit TLS, port 465) or starttls "
                        + "(port 587), not both");
            }
            security = Security.SSL;
        } else {
            security = starttls ? Security.STARTTLS : Security.NONE;
        }
        String username = config.string("username", "user");
        String password = config.string("password");
        String from = config.string("from_addr", "from");
        if (from == null) {
            from = username;
        }

        double total = options.seconds(DEFAULT_TIMEOUT_SECONDS, "timeout", "timeouts.total");
        Duration connect = options.duration(total, "connect_timeout", "timeouts.connect");
        TlsSettings tls = options.tls();
        // retry.max_attempts counts all attempts (default 1, as the reference)
        RetrySettings retry = options.retry(1, 1, null, "retry.max_attempts", "retries.max_attempts");

        return new MailSettings(cfg.name(), host.trim(), port, username, password, security, from,
                config.string("helo_name", "local_hostname"), ConfigValues.millis(total), connect, tls.verify(),
                tls.caFile(), retry, config.stringMap("headers"));
    }

    /** @return {@code host:port} for messages */
    String address() {
        return host + ":" + port;
    }

    /** @return the wait before attempt {@code attempt + 1} (attempt counts from 1) */
    Duration waitAfter(int attempt) {
        return retry.waitAfter(attempt);
    }

    /** @return total attempts */
    int maxAttempts() {
        return retry.attempts();
    }

    @Override
    public String toString() {
        return "MailSettings[" + resource + " " + address() + " " + security.name().toLowerCase(Locale.ROOT) + " user="
                + username + " password=" + (password == null ? "none" : "***") + " from=" + from + " timeout="
                + timeout + " attempts=" + retry.attempts() + "]";
    }
}
