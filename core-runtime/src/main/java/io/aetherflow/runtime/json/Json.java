package io.aetherflow.runtime.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * JSON for reports, events and persisted outputs. Parsing uses SnakeYAML Engine with the JSON
 * schema (JSON is a subset of YAML 1.2), so there is no second parser to trust; writing is a small
 * canonical writer (one line, non-ASCII kept, keys in insertion order).
 */
public final class Json {

    private Json() {
    }

    /**
     * Parses JSON text.
     *
     * @param text JSON text
     * @return maps (LinkedHashMap), lists, String, Long/Integer/BigInteger, Double, Boolean or null
     * @throws IllegalArgumentException when the text is not valid JSON
     */
    public static Object parse(String text) {
        LoadSettings settings = LoadSettings.builder().setSchema(new JsonSchema())
                .setAllowDuplicateKeys(false).setMaxAliasesForCollections(0).setLabel("json").build();
        try {
            return normalise(new Load(settings).loadFromString(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static Object normalise(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalise(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object v : l) {
                out.add(normalise(v));
            }
            return out;
        }
        if (o instanceof Integer i) {
            return i.longValue();
        }
        return o;
    }

    /**
     * Writes a value as one line of JSON. Unknown objects are written as their {@code toString()}.
     *
     * @param value maps, collections, arrays of objects, strings, numbers, booleans, null
     * @return JSON text
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder(64);
        write(sb, value);
        return sb.toString();
    }

    /**
     * Appends a value as JSON.
     *
     * @param sb target
     * @param value the value
     */
    public static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            quote(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (value instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else if (value instanceof Float f) {
            sb.append(f.isNaN() || f.isInfinite() ? "null" : f.toString());
        } else if (value instanceof Number n) {
            sb.append(n instanceof BigDecimal bd ? bd.toPlainString()
                    : n instanceof BigInteger bi ? bi.toString() : Long.toString(n.longValue()));
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object v : c) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                write(sb, v);
            }
            sb.append(']');
        } else if (value instanceof Object[] arr) {
            write(sb, List.of(arr));
        } else {
            quote(sb, value.toString());
        }
    }

    /**
     * Appends a JSON string literal.
     *
     * @param sb target
     * @param s the text
     */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
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
