package io.aetherflow.api.connector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A resolved resource: templates rendered, profile merged, secrets decoded.
 *
 * @param name the resource name under {@code resources:}
 * @param kind the connector kind, e.g. {@code sftp}
 * @param driver the driver as written in the flow (may be an alias)
 * @param config connection configuration (unmodifiable)
 * @param options behaviour options (unmodifiable)
 */
public record ConnectorConfig(String name, String kind, String driver, Map<String, Object> config,
        Map<String, Object> options) {

    /** Canonical constructor: copies the maps. */
    public ConnectorConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(driver, "driver");
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public String toString() {
        // never print config values: they may hold decoded secrets
        return "ConnectorConfig[" + name + " " + kind + ":" + driver + " config keys=" + config.keySet()
                + " options keys=" + options.keySet() + "]";
    }
}
