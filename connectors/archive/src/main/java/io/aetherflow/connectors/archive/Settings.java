package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.ExtractLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads of an archive resource's {@code config} and {@code options}. Messages name the driver
 * and the key, never a value.
 */
final class Settings {

    private final ConnectorConfig cfg;
    private final String prefix;

    Settings(ConnectorConfig cfg) {
        this.cfg = cfg;
        this.prefix = "archive." + cfg.driver();
    }

    /** @return {@code archive.<driver as written>}, the prefix of every message */
    String prefix() {
        return prefix;
    }

    /** A config value, looked up in {@code config} first, then in {@code options}. */
    Object raw(String key) {
        Object v = cfg.config().get(key);
        return v != null ? v : cfg.options().get(key);
    }

    String string(String key, String defaultValue) {
        Object v = raw(key);
        return v == null || v.toString().isBlank() ? defaultValue : v.toString().trim();
    }

    boolean bool(String key, boolean defaultValue) {
        Object v = raw(key);
        if (v == null) {
            return defaultValue;
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
                throw bad(key, "true or false");
        }
    }

    long integer(String key, long defaultValue) {
        Object v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            long n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString().trim());
            if (n <= 0) {
                throw bad(key, "a positive integer");
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, "a positive integer");
        }
    }

    double number(String key, double defaultValue) {
        Object v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = v instanceof Number num ? num.doubleValue() : Double.parseDouble(v.toString().trim());
            if (!(d > 0) || Double.isInfinite(d)) {
                throw bad(key, "a positive number");
            }
            return d;
        } catch (NumberFormatException e) {
            throw bad(key, "a positive number");
        }
    }

    /** A list of strings (a command template); null when absent. */
    List<String> stringList(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l) || l.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            out.add(String.valueOf(o));
        }
        return List.copyOf(out);
    }

    /** The zip bomb limits from {@code max_total_bytes}, {@code max_entries}, {@code max_ratio}, {@code ratio_min_bytes}. */
    ExtractLimits limits() {
        long minBytes = ExtractLimits.DEFAULT_RATIO_MIN_BYTES;
        Object rm = raw("ratio_min_bytes");
        if (rm != null) {
            try {
                minBytes = rm instanceof Number n ? n.longValue() : Long.parseLong(rm.toString().trim());
            } catch (NumberFormatException e) {
                throw bad("ratio_min_bytes", "an integer >= 0");
            }
            if (minBytes < 0) {
                throw bad("ratio_min_bytes", "an integer >= 0");
            }
        }
        return new ExtractLimits(integer("max_total_bytes", ExtractLimits.DEFAULT_MAX_TOTAL_BYTES),
                integer("max_entries", ExtractLimits.DEFAULT_MAX_ENTRIES),
                number("max_ratio", ExtractLimits.DEFAULT_MAX_RATIO), minBytes);
    }

    ConnectorException bad(String key, String expected) {
        return new ConnectorException(prefix + " config." + key + " of resource " + cfg.name() + " must be " + expected);
    }
}
