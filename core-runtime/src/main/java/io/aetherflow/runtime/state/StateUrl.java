package io.aetherflow.runtime.state;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL state URL ({@code state.url} or {@code AETHERFLOW_STATE_URL}), in libpq form
 * {@code postgresql://user:pass@host:port/db?param=value} ({@code postgres://} too) or JDBC form
 * {@code jdbc:postgresql://host:port/db?user=u&password=p}. User and password are percent-decoded;
 * {@link #toString()} and {@link #masked()} never show the password, and {@link #jdbcUrl()}
 * carries no credentials (they go to the driver as properties).
 *
 * @param host host name (default {@code localhost})
 * @param port port (default 5432)
 * @param database database name (default: the user name, as libpq)
 * @param user user name (may be null: the driver's default)
 * @param password password (may be null)
 * @param params other query parameters, passed to the driver (e.g. {@code sslmode})
 */
public record StateUrl(String host, int port, String database, String user, String password,
        Map<String, String> params) {

    private static final Pattern FORM = Pattern.compile(
            "(?:jdbc:postgresql|postgres(?:ql)?)://(?:([^:@/]*)(?::([^@/]*))?@)?(\\[[^\\]]+\\]|[^:/?]*)(?::(\\d+))?"
                    + "(?:/([^?]*))?(?:\\?(.*))?");

    /** Copies the parameters. */
    public StateUrl {
        params = Map.copyOf(params);
    }

    /**
     * @param text the URL
     * @param where where it came from, for the error ({@code flow.yaml:12 state.url},
     *     {@code AETHERFLOW_STATE_URL})
     * @return the parsed URL
     * @throws IllegalArgumentException with a one-line message (without the password)
     */
    public static StateUrl parse(String text, String where) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(where + ": not a PostgreSQL URL (" + maskText(text)
                    + "): use postgresql://user:password@host:port/database or jdbc:postgresql://host:port/database");
        }
        String user = decode(m.group(1));
        String password = decode(m.group(2));
        Map<String, String> params = new LinkedHashMap<>();
        if (m.group(6) != null && !m.group(6).isEmpty()) {
            for (String pair : m.group(6).split("&")) {
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (k) {
                    case "user" -> user = v;
                    case "password" -> password = v;
                    default -> params.put(k, v);
                }
            }
        }
        String host = m.group(3).isEmpty() ? "localhost" : m.group(3);
        int port = m.group(4) == null ? 5432 : Integer.parseInt(m.group(4));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(where + ": port " + port + " out of range in " + maskText(text));
        }
        String db = m.group(5) == null || m.group(5).isEmpty() ? (user == null ? "postgres" : user) : decode(m.group(5));
        return new StateUrl(host, port, db, emptyToNull(user), emptyToNull(password), params);
    }

    /** @return the JDBC URL without credentials */
    public String jdbcUrl() {
        StringBuilder b = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/')
                .append(database);
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = "&";
        }
        return b.toString();
    }

    /** @return the URL for messages: {@code postgresql://user:***@host:port/db} */
    public String masked() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@") + host + ":" + port
                + "/" + database;
    }

    /**
     * @return driver properties in the form of {@code org.osgi.service.jdbc.DataSourceFactory}:
     *     {@code url}, {@code user}, {@code password}
     */
    public Properties driverProperties() {
        Properties p = new Properties();
        p.setProperty("url", jdbcUrl());
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    /**
     * @param message a driver message
     * @return the message with the password (raw and percent-encoded) replaced by {@code ***}
     */
    public String scrub(String message) {
        if (message == null || password == null || password.isEmpty()) {
            return message;
        }
        return message.replace(password, "***")
                .replace(java.net.URLEncoder.encode(password, StandardCharsets.UTF_8), "***");
    }

    @Override
    public String toString() {
        return masked();
    }

    /** @return a URL text with anything between {@code ://user:} and {@code @} (and password=) masked */
    static String maskText(String text) {
        if (text == null) {
            return "null";
        }
        return text.replaceAll("(://[^:@/]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String decode(String s) {
        return s == null ? null : URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
