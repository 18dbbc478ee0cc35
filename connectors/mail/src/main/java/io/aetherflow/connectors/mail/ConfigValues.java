package io.aetherflow.connectors.mail;

import io.aetherflow.api.connector.ConnectorException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of a resource's {@code config}/{@code options} maps. Keys may be nested
 * ({@code retry: {max_attempts: 2}}) or dotted ({@code retry.max_attempts: 2}); templated values
 * arrive as strings and are converted strictly. Messages name the key, never the value.
 */
final class ConfigValues {

    private final String resource;
    private final String section;
    private final Map<String, Object> map;

    ConfigValues(String resource, String section, Map<String, Object> map) {
        this.resource = resource;
        this.section = section;
        this.map = map == null ? Map.of() : map;
    }

    /** @return the value at a dotted key (nested maps first, then the flat dotted key), or null */
    Object get(String dotted) {
        Object flat = map.get(dotted);
        if (flat != null) {
            return flat;
        }
        Object cur = map;
        for (String part : dotted.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }

    /** @return the first of the keys that has a value, or null */
    Object first(String... keys) {
        for (String k : keys) {
            Object v = get(k);
            if (v != null && !(v instanceof String s && s.isEmpty())) {
                return v;
            }
        }
        return null;
    }

    String string(String... keys) {
        Object v = first(keys);
        return v == null ? null : v.toString();
    }

    double seconds(double defaultValue, String... keys) {
        Object v = first(keys);
        if (v == null) {
            return defaultValue;
        }
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                throw bad(keys[0], "a number of seconds");
            }
        }
        if (!(d > 0) || Double.isInfinite(d)) {
            throw bad(keys[0], "a positive number of seconds");
        }
        return d;
    }

    long integer(long defaultValue, long min, String... keys) {
        Object v = first(keys);
        if (v == null) {
            return defaultValue;
        }
        long n;
        if (v instanceof Number num && (num instanceof Integer || num instanceof Long || num instanceof Short)) {
            n = num.longValue();
        } else {
            try {
                n = Long.parseLong(v.toString().trim());
            } catch (NumberFormatException e) {
                throw bad(keys[0], "an integer");
            }
        }
        if (n < min) {
            throw bad(keys[0], "an integer >= " + min);
        }
        return n;
    }

    /**
     * @return a strict boolean ({@code true/false/yes/no/1/0}), a string that is not one of those,
     *         or the default
     */
    Object boolOrString(Object defaultValue, String... keys) {
        Object v = first(keys);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean) {
            return v;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "true", "yes", "1", "on":
                return Boolean.TRUE;
            case "false", "no", "0", "off":
                return Boolean.FALSE;
            default:
                return v.toString().trim();
        }
    }

    Map<String, String> stringMap(String key) {
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

    ConnectorException bad(String key, String expected) {
        return new ConnectorException(section + "." + key + " of resource " + resource + " must be " + expected);
    }
}
