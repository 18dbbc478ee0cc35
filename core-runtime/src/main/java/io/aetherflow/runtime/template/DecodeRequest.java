package io.aetherflow.runtime.template;

import java.util.List;

/**
 * One leaf of a resource's {@code config} or {@code options} that the secrets provider must decode.
 *
 * @param section {@code config} or {@code options}
 * @param path keys from the section down to the leaf
 */
public record DecodeRequest(String section, List<String> path) {

    /** Copies the path. */
    public DecodeRequest {
        path = List.copyOf(path);
    }

    /** @return {@code <section>.<k1>.<k2>...} */
    public String dotted() {
        return section + "." + String.join(".", path);
    }
}
