package io.aetherflow.runtime.spec;

import java.util.Map;

/**
 * {@code resources.<name>}.
 *
 * @param kind connector kind
 * @param driver connector driver (may be an alias)
 * @param profile profile name or null
 * @param config configuration mapping (unrendered)
 * @param options options mapping (unrendered)
 * @param decode decode request mapping
 */
public record ResourceSpec(String kind, String driver, String profile, Map<String, Object> config,
        Map<String, Object> options, Map<String, Object> decode) {
}
