package io.aetherflow.connectors.smb;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import java.time.Duration;
import java.util.Map;

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
        Map<String, Object> c = cfg.config();
        Map<String, Object> o = cfg.options();
        String name = cfg.name();
        String host = str(c, "server", "host");
        if (host == null) {
            throw new ConnectorException("resource " + name + ": config.server (or config.host) is required (the SMB"
                    + " server's host name)");
        }
        long port = integer(name, "config.port", first(c, "port"), 445);
        if (port < 1 || port > 65535) {
            throw new ConnectorException("resource " + name + ": config.port must be between 1 and 65535");
        }
        String share = str(c, "share");
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
        double timeout = seconds(name, "options.timeout", first(o, "timeout"), DEFAULT_TIMEOUT_SECONDS);
        double connect = seconds(name, "options.connect_timeout", first(o, "connect_timeout"), timeout);
        return new SmbSettings(name, host, (int) port, share, str(c, "username", "user"), str(c, "password"),
                str(c, "domain"), millis(timeout), millis(connect));
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

    private static Object first(Map<String, Object> m, String... keys) {
        for (String k : keys) {
            Object v = m.get(k);
            if (v != null && !(v instanceof String s && s.isEmpty())) {
                return v;
            }
        }
        return null;
    }

    private static String str(Map<String, Object> m, String... keys) {
        Object v = first(m, keys);
        return v == null ? null : v.toString();
    }

    private static long integer(String res, String key, Object v, long d) {
        if (v == null) {
            return d;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConnectorException("resource " + res + ": " + key + " must be an integer");
        }
    }

    private static double seconds(String res, String key, Object v, double d) {
        if (v == null) {
            return d;
        }
        double s;
        try {
            s = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConnectorException("resource " + res + ": " + key + " must be a number of seconds");
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new ConnectorException("resource " + res + ": " + key + " must be a positive number of seconds");
        }
        return s;
    }

    private static Duration millis(double seconds) {
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }
}
