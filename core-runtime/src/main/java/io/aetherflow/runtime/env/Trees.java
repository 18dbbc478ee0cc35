package io.aetherflow.runtime.env;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep copy, deep merge and freezing of YAML-shaped trees (maps, lists, scalars). */
final class Trees {

    private Trees() {
    }

    /** A deep, unmodifiable, order-preserving copy; null becomes an empty map. */
    static Map<String, Object> freeze(Map<String, ?> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, freezeValue(v)));
        return Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Object freezeValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return freeze((Map<String, ?>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(freezeValue(o));
            }
            return Collections.unmodifiableList(out);
        }
        return v;
    }

    /** A deep, mutable copy. */
    @SuppressWarnings("unchecked")
    static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), copy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(copy(o));
            }
            return out;
        }
        return v;
    }

    /**
     * Deep merge: keys of {@code base} first, then new keys of {@code overlay}; where both hold maps
     * they merge recursively, otherwise the overlay value replaces the base value (lists included).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, ?> base, Map<String, ?> overlay) {
        Map<String, Object> out = base == null ? new LinkedHashMap<>() : (Map<String, Object>) copy(base);
        if (overlay != null) {
            overlay.forEach((k, v) -> {
                Object existing = out.get(k);
                if (existing instanceof Map<?, ?> em && v instanceof Map<?, ?> vm) {
                    out.put(k, merge((Map<String, ?>) em, (Map<String, ?>) vm));
                } else {
                    out.put(k, copy(v));
                }
            });
        }
        return out;
    }
}
