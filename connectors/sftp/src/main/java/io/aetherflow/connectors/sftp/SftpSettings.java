package io.aetherflow.connectors.sftp;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of one {@code sftp} resource, read from {@code config} (connection) and
 * {@code options} (behaviour). Keys follow the reference ({@code host, port, user, password,
 * pkey_path}; {@code options.timeout}) with a few additions ({@code username}, {@code private_key},
 * {@code passphrase}, {@code known_hosts}, {@code host_key_check}, {@code options.connect_timeout}).
 * Messages name keys, never values.
 *
 * @param resource the resource name
 * @param host server host name or address
 * @param port server port
 * @param user login name
 * @param password password, or null
 * @param keyPath private key file (OpenSSH, PEM or PKCS#8), or null
 * @param passphrase the private key's passphrase, or null
 * @param knownHosts the known_hosts file host keys are checked against
 * @param hostKeyCheck false only when the flow opted out explicitly
 * @param timeout key exchange, authentication, channel open and each SFTP request
 * @param connectTimeout TCP connect
 */
record SftpSettings(String resource, String host, int port, String user, String password, Path keyPath,
        String passphrase, Path knownHosts, boolean hostKeyCheck, Duration timeout, Duration connectTimeout) {

    /** Default {@code options.timeout} in seconds (the reference's). */
    static final double DEFAULT_TIMEOUT_SECONDS = 30;

    /**
     * Reads and checks a resource's settings.
     *
     * @param cfg the resolved resource
     * @return the settings
     * @throws ConnectorException naming the bad key
     */
    static SftpSettings from(ConnectorConfig cfg) {
        Map<String, Object> c = cfg.config();
        Map<String, Object> o = cfg.options();
        String name = cfg.name();
        String host = str(c, "host");
        if (host == null) {
            throw new ConnectorException("resource " + name + ": config.host is required (the SFTP server's host name)");
        }
        String user = str(c, "user", "username");
        if (user == null) {
            throw new ConnectorException("resource " + name + ": config.user is required (the SFTP login name)");
        }
        long port = integer(name, "config.port", first(c, "port"), 22);
        if (port < 1 || port > 65535) {
            throw new ConnectorException("resource " + name + ": config.port must be between 1 and 65535");
        }
        String password = str(c, "password");
        String key = str(c, "pkey_path", "private_key", "key_path");
        String passphrase = str(c, "passphrase", "pkey_passphrase", "key_passphrase");
        String knownHosts = str(c, "known_hosts", "known_hosts_file");
        if (knownHosts == null) {
            knownHosts = str(o, "known_hosts", "known_hosts_file");
        }
        Object check = first(c, "host_key_check", "strict_host_key_checking");
        if (check == null) {
            check = first(o, "host_key_check", "strict_host_key_checking");
        }
        boolean hostKeyCheck = bool(name, "host_key_check", check, true);
        double timeout = seconds(name, "options.timeout", first(o, "timeout"), DEFAULT_TIMEOUT_SECONDS);
        double connect = seconds(name, "options.connect_timeout", first(o, "connect_timeout"), timeout);
        Path kh = knownHosts != null ? Path.of(expandHome(knownHosts))
                : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        return new SftpSettings(name, host, (int) port, user, password,
                key == null ? null : Path.of(expandHome(key)), passphrase, kh, hostKeyCheck, millis(timeout),
                millis(connect));
    }

    /** @return {@code user@host:port}, for messages */
    String target() {
        return user + "@" + host + ":" + port;
    }

    /** @return how the connector authenticates, for messages (never the secret) */
    String authDescription() {
        if (keyPath != null && password != null) {
            return "private key " + keyPath + " or password";
        }
        return keyPath != null ? "private key " + keyPath : password != null ? "password" : "no credentials";
    }

    @Override
    public String toString() {
        return "SftpSettings[" + resource + " " + target() + " password=" + (password == null ? "none" : "***")
                + " key=" + keyPath + " passphrase=" + (passphrase == null ? "none" : "***") + " known_hosts="
                + knownHosts + " host_key_check=" + hostKeyCheck + " timeout=" + timeout + "]";
    }

    private static String expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return System.getProperty("user.home") + p.substring(1);
        }
        return p;
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

    private static boolean bool(String res, String key, Object v, boolean d) {
        if (v == null) {
            return d;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on":
                return true;
            case "false", "no", "0", "off":
                return false;
            default:
                throw new ConnectorException("resource " + res + ": " + key + " must be true or false");
        }
    }

    private static Duration millis(double seconds) {
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }
}
