package io.aetherflow.api.support;

import io.aetherflow.api.connector.ConnectorException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Typed, strict reads of a resource's {@code config}/{@code options} maps, so that connectors do not
 * each carry their own parser. Keys may be nested ({@code retry: {max_attempts: 2}}) or dotted
 * ({@code retry.max_attempts: 2}); templated values arrive as strings and are converted strictly; an
 * empty string counts as not set. Every error is a {@link ConnectorException} whose text the caller's
 * {@link Messages} builds from the key and what was expected: it names the key, never the value (a
 * value may be a secret).
 */
public final class ConfigValues {

    /** Builds the text of a bad-value error. */
    @FunctionalInterface
    public interface Messages {
        /**
         * @param key the key as the caller passed it (the first one where there are aliases)
         * @param expected what the value must be, e.g. {@code "an integer"}
         * @return the whole message, e.g. {@code "options.port of resource api must be an integer"}
         */
        String mustBe(String key, String expected);
    }

    private final Map<String, ?> map;
    private final Map<String, ?> fallback;
    private final Messages messages;

    private ConfigValues(Map<String, ?> map, Map<String, ?> fallback, Messages messages) {
        this.map = map == null ? Map.of() : map;
        this.fallback = fallback == null ? Map.of() : fallback;
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /**
     * @param resource the resource name
     * @param section {@code config} or {@code options}
     * @param map the section's values (null is empty)
     * @return values whose errors read {@code <section>.<key> of resource <resource> must be <expected>}
     */
    public static ConfigValues of(String resource, String section, Map<String, ?> map) {
        return new ConfigValues(map, null, (k, e) -> section + "." + k + " of resource " + resource + " must be " + e);
    }

    /**
     * @param map the values (null is empty)
     * @param messages builds the error texts
     * @return the values
     */
    public static ConfigValues of(Map<String, ?> map, Messages messages) {
        return new ConfigValues(map, null, messages);
    }

    /**
     * @param fallback values consulted for a key this map does not have (e.g. {@code options} behind
     *        {@code config})
     * @return a view that looks here first, then in {@code fallback}
     */
    public ConfigValues orElse(Map<String, ?> fallback) {
        return new ConfigValues(map, fallback, messages);
    }

    /**
     * @param dotted a key, possibly dotted
     * @return the value (the flat key first, then nested maps; this map, then the fallback), or null
     */
    public Object get(String dotted) {
        Object v = lookup(map, dotted);
        return v != null ? v : lookup(fallback, dotted);
    }

    private static Object lookup(Map<String, ?> m, String dotted) {
        Object flat = m.get(dotted);
        if (flat != null) {
            return flat;
        }
        Object cur = m;
        for (String part : dotted.split("\\.")) {
            if (!(cur instanceof Map<?, ?> sub)) {
                return null;
            }
            cur = sub.get(part);
        }
        return cur;
    }

    /**
     * @param keys a key and its aliases
     * @return the value of the first key that is set (not null, not empty text), or null
     */
    public Object first(String... keys) {
        for (String k : keys) {
            Object v = get(k);
            if (v != null && !(v instanceof String s && s.isEmpty())) {
                return v;
            }
        }
        return null;
    }

    /**
     * @param keys a key and its aliases
     * @return the first set value as text, or null
     */
    public String string(String... keys) {
        Object v = first(keys);
        return v == null ? null : v.toString();
    }

    /**
     * @param defaultValue when no key is set
     * @param keys a key and its aliases
     * @return a positive, finite number of seconds
     * @throws ConnectorException "a number of seconds" / "a positive number of seconds"
     */
    public double seconds(double defaultValue, String... keys) {
        Object v = first(keys);
        return v == null ? defaultValue : positive(v, keys[0], "a number of seconds", "a positive number of seconds");
    }

    private double positive(Object v, String key, String notANumber, String notPositive) {
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw bad(key, notANumber);
        }
        if (!(d > 0) || Double.isInfinite(d)) {
            throw bad(key, notPositive);
        }
        return d;
    }

    /**
     * @param defaultSeconds when no key is set
     * @param keys a key and its aliases
     * @return {@link #seconds} as a duration (see {@link #millis(double)})
     */
    public Duration duration(double defaultSeconds, String... keys) {
        return millis(seconds(defaultSeconds, keys));
    }

    /**
     * @param seconds a number of seconds
     * @return the duration rounded to milliseconds, at least 1 ms
     */
    public static Duration millis(double seconds) {
        return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
    }

    /**
     * @param defaultValue when no key is set
     * @param min the smallest value allowed
     * @param keys a key and its aliases
     * @return the integer
     * @throws ConnectorException "an integer" / "an integer >= min"
     */
    public long integer(long defaultValue, long min, String... keys) {
        Object v = first(keys);
        if (v == null) {
            return defaultValue;
        }
        Long n = toLong(v);
        if (n == null) {
            throw bad(keys[0], "an integer");
        }
        if (n < min) {
            throw bad(keys[0], "an integer >= " + min);
        }
        return n;
    }

    /**
     * @param defaultValue when the key is not set
     * @param key the key
     * @return an integer above zero
     * @throws ConnectorException "a positive integer"
     */
    public long positiveInteger(long defaultValue, String key) {
        Object v = first(key);
        if (v == null) {
            return defaultValue;
        }
        Long n = toLong(v);
        if (n == null || n <= 0) {
            throw bad(key, "a positive integer");
        }
        return n;
    }

    /**
     * @param defaultValue when the key is not set
     * @param key the key
     * @return a positive, finite number
     * @throws ConnectorException "a positive number"
     */
    public double positiveNumber(double defaultValue, String key) {
        Object v = first(key);
        return v == null ? defaultValue : positive(v, key, "a positive number", "a positive number");
    }

    /**
     * @param defaultValue when no key is set
     * @param keys a key and its aliases
     * @return a TCP port
     * @throws ConnectorException "an integer" / "a TCP port between 1 and 65535"
     */
    public int port(int defaultValue, String... keys) {
        long p = integer(defaultValue, Long.MIN_VALUE, keys);
        if (p < 1 || p > 65535) {
            throw bad(keys[0], "a TCP port between 1 and 65535");
        }
        return (int) p;
    }

    /** What {@link #size} says a bad value must be. */
    static final String SIZE_EXPECTED = "a size in bytes (a whole number, optionally with a unit: 512, 64k, 10MB, 1GiB)";

    /**
     * @param defaultValue when no key is set
     * @param keys a key and its aliases
     * @return the size in bytes, 0 or more (the forms are {@link #sizeBytes(Object)}'s)
     * @throws ConnectorException "a size in bytes (...)"
     */
    public long size(long defaultValue, String... keys) {
        Object v = first(keys);
        if (v == null) {
            return defaultValue;
        }
        Long n = sizeBytes(v);
        if (n == null) {
            throw bad(keys[0], SIZE_EXPECTED);
        }
        return n;
    }

    /**
     * The strict size forms: a whole number of bytes (a number, or its text), or its text followed by
     * a unit, blanks allowed between them and around:
     * <ul>
     * <li>{@code B}: bytes ({@code 512B});</li>
     * <li>{@code KiB}, {@code MiB}, {@code GiB}, {@code TiB} (IEC): powers of 1024;</li>
     * <li>{@code kB}/{@code KB}, {@code MB}, {@code GB}, {@code TB} (SI): powers of 1000;</li>
     * <li>{@code k}/{@code K}, {@code m}/{@code M}, {@code g}/{@code G}, {@code t}/{@code T} (as in
     * the JVM's {@code -Xmx512m}): powers of 1024.</li>
     * </ul>
     * Units are case-sensitive as written above (so {@code mb}, {@code Mib} or {@code 10 bytes} are
     * refused rather than guessed); fractions, signs and sizes above {@link Long#MAX_VALUE} are refused.
     *
     * @param v a value
     * @return the size in bytes, or null when {@code v} is not one of the forms
     */
    public static Long sizeBytes(Object v) {
        if (v == null || v instanceof Boolean) {
            return null;
        }
        if (v instanceof Number) {
            Long n = toLong(v);
            return n == null || n < 0 ? null : n;
        }
        String text = v.toString().strip();
        int end = 0;
        while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9') {
            end++;
        }
        if (end == 0) {
            return null;
        }
        Long multiplier = SIZE_UNITS.get(text.substring(end).strip());
        if (multiplier == null) {
            return null;
        }
        try {
            return Math.multiplyExact(Long.parseLong(text.substring(0, end)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            return null; // above Long.MAX_VALUE
        }
    }

    private static final Map<String, Long> SIZE_UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("B", 1L),
            Map.entry("KiB", 1L << 10), Map.entry("MiB", 1L << 20), Map.entry("GiB", 1L << 30), Map.entry("TiB", 1L << 40),
            Map.entry("kB", 1_000L), Map.entry("KB", 1_000L), Map.entry("MB", 1_000_000L),
            Map.entry("GB", 1_000_000_000L), Map.entry("TB", 1_000_000_000_000L),
            Map.entry("k", 1L << 10), Map.entry("K", 1L << 10), Map.entry("m", 1L << 20), Map.entry("M", 1L << 20),
            Map.entry("g", 1L << 30), Map.entry("G", 1L << 30), Map.entry("t", 1L << 40), Map.entry("T", 1L << 40));

    /**
     * @param v a value
     * @return the value as a long when it is an integer (a whole number or its text), else null
     */
    static Long toLong(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 0x1p63 ? (Long) n.longValue() : null;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The strict boolean forms: {@code true/false/yes/no/1/0} (and {@code on/off}, which connectors
     * have always accepted), in any case, surrounding blanks ignored.
     *
     * @param v a value
     * @return TRUE or FALSE, or null when {@code v} is not one of the forms
     */
    public static Boolean strictBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null) {
            return null;
        }
        switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on":
                return Boolean.TRUE;
            case "false", "no", "0", "off":
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /**
     * @param defaultValue when no key is set
     * @param keys a key and its aliases
     * @return the boolean
     * @throws ConnectorException "true or false"
     */
    public boolean bool(boolean defaultValue, String... keys) {
        if (!(boolOrString(defaultValue, keys) instanceof Boolean b)) {
            throw bad(keys[0], "true or false");
        }
        return b;
    }

    /**
     * @param defaultValue when no key is set
     * @param keys a key and its aliases
     * @return a Boolean for the strict forms, else the trimmed text (e.g. {@code verify_ssl: ca.pem})
     */
    public Object boolOrString(Object defaultValue, String... keys) {
        Object v = first(keys);
        if (v == null) {
            return defaultValue;
        }
        Boolean b = strictBoolean(v);
        return b != null ? b : v.toString().trim();
    }

    /**
     * @param key the key
     * @return a mapping of names to texts (null values dropped), empty when not set
     * @throws ConnectorException "a mapping of names to values"
     */
    public Map<String, String> stringMap(String key) {
        Object v = get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw bad(key, "a mapping of names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, val) -> {
            if (val != null) {
                out.put(String.valueOf(k), String.valueOf(val));
            }
        });
        return out;
    }

    /**
     * @param key the key
     * @return a non-empty list's items as texts, or null when not set, not a list or empty
     */
    public List<String> stringList(String key) {
        if (!(get(key) instanceof List<?> l) || l.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            out.add(String.valueOf(o));
        }
        return List.copyOf(out);
    }

    /**
     * @param defaultValue when the key is not set
     * @param key the key: a list or comma-separated text
     * @return HTTP status codes
     * @throws ConnectorException "a list of HTTP status codes" / "HTTP status codes between 100 and 599"
     */
    public List<Integer> statusCodes(List<Integer> defaultValue, String key) {
        Object v = get(key);
        if (v == null) {
            return defaultValue;
        }
        List<Object> raw = new ArrayList<>();
        if (v instanceof List<?> l) {
            raw.addAll(l);
        } else {
            for (String p : v.toString().split(",")) {
                if (!p.isBlank()) {
                    raw.add(p.trim());
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : raw) {
            int code;
            try {
                code = o instanceof Number n ? n.intValue() : Integer.parseInt(o.toString().trim());
            } catch (NumberFormatException e) {
                throw bad(key, "a list of HTTP status codes");
            }
            if (code < 100 || code > 599) {
                throw bad(key, "HTTP status codes between 100 and 599");
            }
            out.add(code);
        }
        return List.copyOf(out);
    }

    /**
     * TLS settings: {@code verify_ssl} (alias {@code verify}) is a strict boolean or the path of a PEM
     * CA file; {@code ca_file} names a CA file too (and wins).
     *
     * @return the settings (verification on by default)
     */
    public TlsSettings tls() {
        Object verify = boolOrString(Boolean.TRUE, "verify_ssl", "verify");
        Path ca = verify instanceof Boolean ? null : Path.of(verify.toString());
        String caOption = string("ca_file");
        if (caOption != null) {
            ca = Path.of(caOption);
        }
        return new TlsSettings(!(verify instanceof Boolean b) || b, ca);
    }

    /**
     * Retry settings: an attempt count from {@code attemptKeys} (capped at 100), {@code retry.backoff}
     * (default 1 s) and {@code retry.backoff_max} (default 5 s), and, when {@code defaultStatuses} is
     * not null, {@code retry.statuses}.
     *
     * @param defaultAttempts when no attempt key is set
     * @param minAttempts the smallest count allowed
     * @param defaultStatuses status codes answered by a retry, or null when the connector has none
     * @param attemptKeys the attempt count's key and aliases
     * @return the settings
     */
    public RetrySettings retry(long defaultAttempts, long minAttempts, List<Integer> defaultStatuses,
            String... attemptKeys) {
        long attempts = integer(defaultAttempts, minAttempts, attemptKeys);
        Duration backoff = duration(1, "retry.backoff");
        Duration backoffMax = duration(5, "retry.backoff_max");
        List<Integer> statuses = defaultStatuses == null ? List.of() : statusCodes(defaultStatuses, "retry.statuses");
        return new RetrySettings((int) Math.min(attempts, 100), backoff, backoffMax, statuses);
    }

    /**
     * @param key the key
     * @param expected what the value must be
     * @return the error to throw
     */
    public ConnectorException bad(String key, String expected) {
        return new ConnectorException(messages.mustBe(key, expected));
    }
}
