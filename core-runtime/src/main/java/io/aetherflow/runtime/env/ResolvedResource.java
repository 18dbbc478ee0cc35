package io.aetherflow.runtime.env;

import java.util.Map;

/**
 * A flow resource after profile merge, rendering (phase resource, root {@code env}) and decoding.
 * The maps are deeply unmodifiable.
 *
 * @param name the name under {@code resources:}
 * @param kind connector kind
 * @param driver connector driver as written (may be an alias)
 * @param profile the profile name, or null
 * @param config rendered configuration with decoded leaves
 * @param options rendered options with decoded leaves
 * @param decode the merged decode requests (profile, then resource)
 */
public record ResolvedResource(String name, String kind, String driver, String profile, Map<String, Object> config,
        Map<String, Object> options, Map<String, Object> decode) {

    /** Freezes the maps. */
    public ResolvedResource {
        config = Trees.freeze(config);
        options = Trees.freeze(options);
        decode = Trees.freeze(decode);
    }
}
