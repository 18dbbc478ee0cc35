package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.ConnectorException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the connector's one-line error messages: {@code db resource <name> (db:<driver>): <what>:
 * <reason>}, with the password, the URL's user info and {@code password=} properties masked.
 */
final class Errors {

    /** {@code scheme://user:secret@host}: the secret part. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(//[^/:@\\s]*):[^@\\s/]*@");
    /** {@code password=secret} in URLs, property lists and driver messages. */
    private static final Pattern PASSWORD_PROPERTY =
            Pattern.compile("(?i)((?:password|pwd|passwd)\\s*=\\s*)[^&;,\\s)]+");

    private final String prefix;
    private final List<String> secrets;

    /**
     * @param resource the resource name
     * @param driver the driver as the flow names it
     * @param secrets values to mask wherever they appear (null or empty entries ignored)
     */
    Errors(String resource, String driver, String... secrets) {
        this.prefix = "db resource " + resource + " (db:" + driver + ")";
        List<String> s = new ArrayList<>();
        for (String v : secrets) {
            if (v != null && !v.isEmpty()) {
                s.add(v);
            }
        }
        this.secrets = List.copyOf(s);
    }

    /** @return {@code db resource <name> (db:<driver>)} */
    String prefix() {
        return prefix;
    }

    /**
     * @param text any text
     * @return the text with secrets masked, on one line
     */
    String mask(String text) {
        if (text == null) {
            return "";
        }
        String t = text;
        for (String s : secrets) {
            t = t.replace(s, "***");
        }
        t = URL_CREDENTIALS.matcher(t).replaceAll("$1:***@");
        t = PASSWORD_PROPERTY.matcher(t).replaceAll("$1***");
        return t.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /**
     * @param what what was being done, e.g. {@code query failed}
     * @param e the driver's error
     * @return the connector error, cause attached
     */
    ConnectorException failed(String what, Throwable e) {
        return new ConnectorException(prefix + ": " + what + ": " + reason(e), e);
    }

    /**
     * @param message the message after the prefix
     * @return the connector error
     */
    ConnectorException error(String message) {
        return new ConnectorException(prefix + ": " + mask(message));
    }

    /** @return the driver's reason, masked: the SQL state for SQL errors, timeouts named as such */
    String reason(Throwable e) {
        if (e.getClass().getSimpleName().equals("PoolInitializationException") && e.getCause() != null) {
            e = e.getCause(); // the pool's wrapper: the driver's reason is what matters
        }
        Throwable t = e;
        String msg = t.getMessage();
        while ((msg == null || msg.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            msg = t.getMessage();
        }
        if (msg == null || msg.isBlank()) {
            msg = t.getClass().getSimpleName();
        }
        StringBuilder b = new StringBuilder(mask(msg));
        if (e instanceof SQLException s && s.getSQLState() != null && !b.toString().contains(s.getSQLState())) {
            b.append(" (SQL state ").append(s.getSQLState()).append(')');
        }
        return b.toString();
    }
}
