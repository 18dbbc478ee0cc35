package io.aetherflow.steps.process;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders values the way the reference stringifies argv items and env values ({@code str()}), so
 * {@code command: [echo, true]} passes {@code True} exactly as before.
 */
final class PyText {

    private PyText() {
    }

    /**
     * @param v any YAML value
     * @return its Python {@code str()} text
     */
    static String str(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof List<?> || v instanceof Map<?, ?>) {
            return repr(v);
        }
        return v.toString();
    }

    private static String repr(Object v) {
        if (v instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (Iterator<?> it = l.iterator(); it.hasNext();) {
                b.append(repr(it.next()));
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            return b.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            for (Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator(); it.hasNext();) {
                Map.Entry<?, ?> e = it.next();
                b.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            return b.append('}').toString();
        }
        return str(v);
    }
}
