package io.aetherflow.steps.http;

import io.aetherflow.api.step.StepFailedException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Dotted paths into parsed JSON: {@code data.id}, {@code items.0.name} (numeric segments index
 * arrays, negative ones count from the end). An empty path is the whole document.
 */
final class JsonPath {

    private JsonPath() {
    }

    /**
     * @return the value at the path (may be null when the document holds a JSON null there)
     * @throws StepFailedException naming the output, the path and where it stopped
     */
    static Object get(Object doc, String path, String field) {
        Object cur = doc;
        String at = "";
        if (path.isBlank() || path.equals(".")) {
            return doc;
        }
        for (String seg : path.split("\\.", -1)) {
            if (cur instanceof Map<?, ?> m) {
                if (!m.containsKey(seg)) {
                    throw missing(field, path, "no key '" + seg + "' at " + where(at) + " (keys: "
                            + keys(m) + ")");
                }
                cur = m.get(seg);
            } else if (cur instanceof List<?> l) {
                int idx;
                try {
                    idx = Integer.parseInt(seg);
                } catch (NumberFormatException e) {
                    throw missing(field, path, where(at) + " is an array; use a numeric index instead of '"
                            + seg + "'");
                }
                int real = idx < 0 ? l.size() + idx : idx;
                if (real < 0 || real >= l.size()) {
                    throw missing(field, path, "index " + idx + " out of range at " + where(at) + " (size "
                            + l.size() + ")");
                }
                cur = l.get(real);
            } else {
                throw missing(field, path, where(at) + " is " + (cur == null ? "null" : "a scalar")
                        + ", not an object or array");
            }
            at = at.isEmpty() ? seg : at + "." + seg;
        }
        return cur;
    }

    private static String where(String at) {
        return at.isEmpty() ? "the top level" : "'" + at + "'";
    }

    private static String keys(Map<?, ?> m) {
        TreeSet<String> names = new TreeSet<>();
        for (Object k : m.keySet()) {
            names.add(String.valueOf(k));
        }
        if (names.size() > 10) {
            return String.join(", ", names.stream().limit(10).toList()) + ", ...";
        }
        return String.join(", ", names);
    }

    private static StepFailedException missing(String field, String path, String detail) {
        return new StepFailedException(HttpRequestStep.TYPE + ": json_fields." + field + " path '" + path
                + "' not found in the response: " + detail);
    }
}
