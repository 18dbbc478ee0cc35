package io.aetherflow.connectors.smb;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.support.ConfigValues;
import java.time.Duration;

/**
 * The settings of one {@code smb} resource, read from {@code config} (connection) and
 * {@code options} (behaviour). Keys follow both reference drivers ({@code server} or {@code host},
 * {@code share}, {@code username} or {@code user}, {@code password}, {@code domain}, {@code port};
 * {@code options.timeout}) plus {@code options.connect_timeout}. Messages name keys, never values.
 *
 * @param resource the resource name
 * @param host server host name or address
 * @param port server port (445)
 * @param share the default share, or null (then every path names its share)
 * @param user login name; null or empty for an anonymous/guest session
 * @param password password, or null
 * @param domain NTLM domain, or null
 * @param timeout each SMB request (read, write, transact) and the socket read timeout
 * @param connectTimeout TCP connect
 */
record SmbSettings(String resource, String host, int port, String share, String user, String password, String domain,
        Duration timeout, Duration connectTimeout) {

    /** Default {@code options.timeout} in seconds (the reference's). */
    static final double DEFAULT_TIMEOUT_SECONDS = 30;

    /**
     * Reads and checks a resource's settings.
     *
     * @param cfg the resolved resource
     * @return the settings
     * @throws ConnectorException naming the bad key
     */
    static SmbSettings from(ConnectorConfig cfg) {
        String name = cfg.name();
        ConfigValues c = ConfigValues.of(cfg.config(), (k, e) -> "resource " + name + ": config." + k + " must be " + e);
        ConfigValues o = ConfigValues.of(cfg.options(), (k, e) -> "resource " + name + ": options." + k + " must be " + e);
        String host = c.string("server", "host");
        if (host == null) {
            throw new ConnectorException("resource " + name + ": config.server (or config.host) is required (the SMB"
                    + " server's host name)");
        }
        int port = c.port(445, "port");
        String share = c.string("share");
        if (share != null) {
            share = share.replace('/', '\\');
            while (share.startsWith("\\")) {
                share = share.substring(1);
            }
            while (share.endsWith("\\")) {
                share = share.substring(0, share.length() - 1);
            }
            if (share.isEmpty() || share.contains("\\")) {
                throw new ConnectorException("resource " + name + ": config.share must be one share name (e.g. DATA),"
                        + " without server or directories");
            }
        }
        double timeout = o.seconds(DEFAULT_TIMEOUT_SECONDS, "timeout");
        Duration connect = o.duration(timeout, "connect_timeout");
        return new SmbSettings(name, host, port, share, c.string("username", "user"), c.string("password"),
                c.string("domain"), ConfigValues.millis(timeout), connect);
    }

    /** @return {@code user@host:port}, for messages (never the password) */
    String target() {
        return (user == null ? "" : (domain == null ? "" : domain + "\\") + user + "@") + host + ":" + port;
    }

    @Override
    public String toString() {
        return "SmbSettings[" + resource + " " + target() + " share=" + share + " password="
                + (password == null ? "none" : "***") + " timeout=" + timeout + "]";
    }
}
