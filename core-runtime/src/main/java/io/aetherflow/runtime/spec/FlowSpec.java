package io.aetherflow.runtime.spec;

import java.util.List;
import java.util.Map;

/**
 * A schema-valid flow file.
 *
 * @param version the {@code version} key (default 1)
 * @param flow the {@code flow} block as parsed (unrendered)
 * @param rawFlow the {@code flow} mapping as loaded, for rendering with the flow-meta phase
 * @param resources resources by name, in YAML order
 * @param jobs jobs in YAML order
 */
public record FlowSpec(int version, FlowMeta flow, Map<String, Object> rawFlow,
        Map<String, ResourceSpec> resources, List<JobSpec> jobs) {
}
