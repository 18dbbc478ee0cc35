package io.aetherflow.connectors.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where to connect, in JDBC terms: the URL (never with credentials when we built it), the dialect,
 * user, password and driver properties. {@link #fromUrl} translates the reference's SQLAlchemy URLs.
 *
 * @param url the JDBC URL
 * @param dialect the product
 * @param user the user, or null
 * @param password the password, or null (a secret: never printed)
 * @param properties further driver properties (query options of the URL, {@code connect_args})
 */
record JdbcTarget(String url, Dialect dialect, String user, String password, Map<String, String> properties) {

    JdbcTarget {
        properties = Map.copyOf(properties);
    }

    /** Thrown for URLs that cannot be translated; the message names no secret. */
    static final class BadUrl extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadUrl(String message) {
            super(message);
        }
    }

    /** @return the URL for messages (credentials masked by {@link Errors} as well) */
    @Override
    public String toString() {
        return url;
    }

    /**
     * Translates a SQLAlchemy URL ({@code postgresql[+psycopg2|+pg8000|+asyncpg]://u:p@h:port/db?opts},
     * {@code mysql[+pymysql|+mysqldb|+mysqlconnector]://...}, {@code mariadb[+...]://...},
     * {@code oracle[+oracledb|+cx_oracle]://u:p@h:port/?service_name=S} or {@code .../SID},
     * {@code sqlite:///path}, {@code sqlite:///:memory:}) or passes a {@code jdbc:} URL through.
     *
     * @param url the URL as configured
     * @return the JDBC target
     * @throws BadUrl for an unknown dialect or a malformed URL
     */
    static JdbcTarget fromUrl(String url) {
        if (url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return new JdbcTarget(url, Dialect.ofUrl(url), null, null, Map.of());
        }
        int sep = url.indexOf("://");
        if (sep <= 0) {
            throw new BadUrl("is not a database URL (expected dialect://user:password@host:port/database or jdbc:...)");
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        String dialect = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        String rest = url.substring(sep + 3);
        if (dialect.equals("sqlite")) {
            // sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory: (SQLAlchemy's forms)
            String path = rest.startsWith("/") ? rest.substring(1) : rest;
            return new JdbcTarget("jdbc:sqlite:" + (path.isEmpty() ? ":memory:" : path), Dialect.SQLITE, null, null, Map.of());
        }
        Map<String, String> props = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (!kv.isEmpty()) {
                    int eq = kv.indexOf('=');
                    props.put(decode(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decode(kv.substring(eq + 1)));
                }
            }
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (authority.isEmpty()) {
            authority = "localhost";
        }
        switch (dialect) {
            case "postgresql", "postgres", "psycopg2", "pgsql":
                return new JdbcTarget("jdbc:postgresql://" + authority + "/" + database, Dialect.POSTGRESQL, user,
                        password, props);
            case "mysql", "mariadb":
                // MariaDB Connector/J (in the plugin set) talks to MySQL and MariaDB servers alike
                return new JdbcTarget("jdbc:mariadb://" + authority + "/" + database, Dialect.MARIADB, user, password,
                        props);
            case "oracle":
                String service = props.remove("service_name");
                String target = service != null ? "//" + authority + "/" + service
                        : authority + (database.isEmpty() ? "" : ":" + database);
                return new JdbcTarget("jdbc:oracle:thin:@" + target, Dialect.ORACLE, user, password, props);
            default:
                throw new BadUrl("names the dialect '" + dialect + "', which has no JDBC translation (supported:"
                        + " postgresql, mysql, mariadb, oracle, sqlite, or a jdbc: URL)");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * @param extra properties to add (connect_args); they win over the URL's
     * @return this target with more properties
     */
    JdbcTarget with(Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>(properties);
        p.putAll(extra);
        return new JdbcTarget(url, dialect, user, password, p);
    }

    /**
     * @param newUser the user, or null to keep this one
     * @param newPassword the password, or null to keep this one
     * @return this target with other credentials
     */
    JdbcTarget withCredentials(String newUser, String newPassword) {
        return new JdbcTarget(url, dialect, newUser != null ? newUser : user, newPassword != null ? newPassword : password,
                properties);
    }
}
