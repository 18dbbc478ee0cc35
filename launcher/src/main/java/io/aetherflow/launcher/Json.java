package io.aetherflow.launcher;

import java.util.List;
import java.util.Map;

/**
 * Minimal JSON writer for the launcher's {@code --json} reports (maps, lists, strings, numbers, booleans, null).
 *
 * <p>A deliberate private copy: the launcher's class path is this jar and the Felix framework only
 * ({@code java -jar lib/aetherflow-launcher.jar}, whose manifest {@code Class-Path} names the Felix
 * jar and nothing else); core-api ({@code io.aetherflow.api.support.Json}) is a
 * bundle installed inside the framework from the locked plugin set, after verification. Putting
 * core-api on the launch class path as well would load it twice (once by the application class
 * loader, once by its bundle) or would force the framework to export it from the system bundle
 * instead of the verified, locked bundle; and the launcher must print {@code --json} reports for
 * commands ({@code plugins verify}, {@code lock}) that run before any bundle is trusted. Output
 * format: as {@code Json.writeSpaced} of the engine (separators {@code ", "} and {@code ": "}).
 */
final class Json {

    private Json() {
    }

    /**
     * @param value a map, list, string, number, boolean or null
     * @return its JSON text (one line)
     */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(sb, l.get(i));
            }
            sb.append(']');
        } else {
            string(sb, String.valueOf(v));
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
