package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.archive.ExtractLimits;
import io.aetherflow.api.support.ConfigValues;
import java.util.List;

/**
 * Typed reads of an archive resource's {@code config} and {@code options}. Messages name the driver
 * and the key, never a value.
 */
final class Settings {

    private final String prefix;
    private final ConfigValues values;

    Settings(ConnectorConfig cfg) {
        this.prefix = "archive." + cfg.driver();
        this.values = ConfigValues.of(cfg.config(),
                (key, expected) -> prefix + " config." + key + " of resource " + cfg.name() + " must be " + expected)
                .orElse(cfg.options());
    }

    /** @return {@code archive.<driver as written>}, the prefix of every message */
    String prefix() {
        return prefix;
    }

    /** Values are looked up in {@code config} first, then in {@code options}. */
    String string(String key, String defaultValue) {
        String v = values.string(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    boolean bool(String key, boolean defaultValue) {
        return values.bool(defaultValue, key);
    }

    long integer(String key, long defaultValue) {
        return values.positiveInteger(defaultValue, key);
    }

    /** A list of strings (a command template); null when absent. */
    List<String> stringList(String key) {
        return values.stringList(key);
    }

    /** The zip bomb limits from {@code max_total_bytes}, {@code max_entries}, {@code max_ratio}, {@code ratio_min_bytes}. */
    ExtractLimits limits() {
        return new ExtractLimits(integer("max_total_bytes", ExtractLimits.DEFAULT_MAX_TOTAL_BYTES),
                integer("max_entries", ExtractLimits.DEFAULT_MAX_ENTRIES),
                values.positiveNumber(ExtractLimits.DEFAULT_MAX_RATIO, "max_ratio"),
                values.integer(ExtractLimits.DEFAULT_RATIO_MIN_BYTES, 0, "ratio_min_bytes"));
    }
}
