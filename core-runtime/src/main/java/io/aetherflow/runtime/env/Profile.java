package io.aetherflow.runtime.env;

import java.util.Map;

/**
 * One named profile: plain config fragments merged under a resource's own values.
 *
 * @param config merged under the resource's {@code config}
 * @param options merged under the resource's {@code options}
 * @param decode merged with the resource's {@code decode}
 */
public record Profile(Map<String, Object> config, Map<String, Object> options, Map<String, Object> decode) {

    /** An empty profile. */
    public static final Profile EMPTY = new Profile(Map.of(), Map.of(), Map.of());

    /** Freezes the maps (deeply). */
    public Profile {
        config = Trees.freeze(config);
        options = Trees.freeze(options);
        decode = Trees.freeze(decode);
    }
}
