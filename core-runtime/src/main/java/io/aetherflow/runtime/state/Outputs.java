package io.aetherflow.runtime.state;

import io.aetherflow.api.support.Json;
import io.aetherflow.runtime.LazyMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Copies and (de)serialises output maps; values may be null, so {@code Map.copyOf} does not fit. */
final class Outputs {

    private Outputs() {
    }

    /**
     * The status check of {@link JobUpdate} and {@link StepUpdate}.
     *
     * @param what {@code job} or {@code step}
     * @throws NullPointerException when the status is null
     * @throws IllegalArgumentException when it is blank
     */
    static void requireStatus(String status, String what) {
        Objects.requireNonNull(status, "status");
        if (status.isBlank()) {
            throw new IllegalArgumentException(what + " status must not be blank");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, ?> outputs) {
        if (outputs instanceof LazyMap<?, ?>) {
            return (Map<String, Object>) outputs; // immutable already; copying (even isEmpty) would parse it
        }
        if (outputs == null || outputs.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    static String toJson(Map<String, Object> outputs) {
        return outputs == null ? null : Json.writeSpaced(outputs);
    }

    /**
     * Restores a stored output map. Parsing is deferred to the first access: a resume of many steps
     * reads every record, but templates usually touch only a few of their outputs.
     */
    static Map<String, Object> fromJson(String json, String where) {
        if (json == null || json.isEmpty() || "{}".equals(json)) {
            return Map.of();
        }
        return new LazyMap<>(() -> parse(json, where));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json, String where) {
        Object value;
        try {
            value = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new StateStoreException("stored outputs of " + where + " are not valid JSON (invalid JSON: "
                    + e.getMessage() + "): the state store was edited or is damaged; rerun with a new run id", e);
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new StateStoreException("stored outputs of " + where
                    + " are not a JSON object: the state store was edited or is damaged; rerun with a new run id");
        }
        return (Map<String, Object>) value;
    }
}
