package io.aetherflow.runtime.validate;

import io.aetherflow.api.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@code explain}: resources that name a profile, with the profile's decode map.
 *
 * @param flowYaml the flow path as given
 * @param resources resource name to {@code {kind, driver, profile, decode}}, in declaration order
 */
public record ExplainReport(String flowYaml, Map<String, Map<String, Object>> resources) {

    /** @return {@code {flow_yaml, resources}} */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flow_yaml", flowYaml);
        m.put("resources", resources);
        return m;
    }

    /**
     * @return {@code Flow: <path>}, then per resource a blank line,
     *     {@code Resource: <name> (<kind>/<driver>) profile=<profile>} and, when the decode map is not
     *     empty, {@code   decode:} and {@code     <decode as JSON>}
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("Flow: ").append(flowYaml).append('\n');
        resources.forEach((name, r) -> {
            sb.append('\n').append("Resource: ").append(name).append(" (").append(r.get("kind")).append('/')
                    .append(r.get("driver")).append(") profile=").append(r.get("profile")).append('\n');
            if (r.get("decode") instanceof Map<?, ?> d && !d.isEmpty()) {
                sb.append("  decode:\n    ").append(Json.writeSpaced(d)).append('\n');
            }
        });
        return sb.toString();
    }
}
