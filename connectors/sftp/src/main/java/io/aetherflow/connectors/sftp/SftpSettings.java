package io.aetherflow.connectors.sftp;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.support.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;

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
        String name = cfg.name();
        ConfigValues c = ConfigValues.of(cfg.config(), (k, e) -> "resource " + name + ": config." + k + " must be " + e);
        ConfigValues o = ConfigValues.of(cfg.options(), (k, e) -> "resource " + name + ": options." + k + " must be " + e);
        String host = c.string("host");
        if (host == null) {
            throw new ConnectorException("resource " + name + ": config.host is required (the SFTP server's host name)");
        }
        String user = c.string("user", "username");
        if (user == null) {
            throw new ConnectorException("resource " + name + ": config.user is required (the SFTP login name)");
        }
        int port = c.port(22, "port");
        String password = c.string("password");
        String key = c.string("pkey_path", "private_key", "key_path");
        String passphrase = c.string("passphrase", "pkey_passphrase", "key_passphrase");
        String knownHosts = c.string("known_hosts", "known_hosts_file");
        if (knownHosts == null) {
            knownHosts = o.string("known_hosts", "known_hosts_file");
        }
        Object check = c.first("host_key_check", "strict_host_key_checking");
        if (check == null) {
            check = o.first("host_key_check", "strict_host_key_checking");
        }
        Boolean hostKeyCheck = check == null ? Boolean.TRUE : ConfigValues.strictBoolean(check);
        if (hostKeyCheck == null) {
            throw new ConnectorException("resource " + name + ": host_key_check must be true or false");
        }
        double timeout = o.seconds(DEFAULT_TIMEOUT_SECONDS, "timeout");
        Duration connect = o.duration(timeout, "connect_timeout");
        Path kh = knownHosts != null ? Path.of(expandHome(knownHosts))
                : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        return new SftpSettings(name, host, port, user, password,
                key == null ? null : Path.of(expandHome(key)), passphrase, kh, hostKeyCheck, ConfigValues.millis(timeout),
                connect);
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
}
