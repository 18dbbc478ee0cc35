package io.aetherflow.steps.excel;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.support.Json;
import io.aetherflow.api.support.StrictInputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One entry of a fill step's {@code targets}: typed access to its keys with the reference's
 * defaults (an empty or false value counts as absent where the reference writes {@code t.get(k) or
 * default}), and the messages prefixed {@code <step> target=<name>:}.
 */
final class Target {

    final String step;
    final String name;
    final Map<String, Object> raw;

    private Target(String step, String name, Map<String, Object> raw) {
        this.step = step;
        this.name = name;
        this.raw = raw;
    }

    /**
     * The step's {@code targets} input as targets.
     *
     * @param step the step type
     * @param value the rendered {@code targets} value (a list of mappings, or JSON text of one)
     */
    static List<Target> list(String step, Object value) {
        Object v = jsonish(value);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new StepInputException(step + ": targets must be a list of mappings, got " + kind(v));
        }
        List<Target> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Map<?, ?> m)) {
                throw new StepInputException(step + ": targets[" + i + "] must be a mapping, got " + kind(l.get(i)));
            }
            Map<String, Object> map = new LinkedHashMap<>();
            m.forEach((k, x) -> map.put(String.valueOf(k), x));
            Object n = map.get("name");
            out.add(new Target(step, truthy(n) ? n.toString() : "target", map));
        }
        return out;
    }

    private static String kind(Object v) {
        return v instanceof Map ? "a mapping" : v instanceof List ? "a list" : "'" + v + "'";
    }

    /** Python truthiness of an input value. */
    static boolean truthy(Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return !(v instanceof Map<?, ?> m) || !m.isEmpty();
    }

    /** The reference's {@code _maybe_json_load}: text that looks like a JSON array or object is parsed. */
    static Object jsonish(Object x) {
        if (!(x instanceof String s)) {
            return x;
        }
        String t = s.strip();
        if (t.length() >= 2 && (t.startsWith("[") && t.endsWith("]") || t.startsWith("{") && t.endsWith("}"))) {
            try {
                return Json.parse(t);
            } catch (IllegalArgumentException e) {
                return x;
            }
        }
        return x;
    }

    /** @return a failure {@code <step> target=<name>: <what>} */
    StepFailedException fail(String what) {
        return new StepFailedException(step + " target=" + name + ": " + what);
    }

    /** @return the label {@code <step> target=<name>} */
    String label() {
        return step + " target=" + name;
    }

    boolean has(String key) {
        return raw.containsKey(key);
    }

    Object get(String key) {
        return raw.get(key);
    }

    /** {@code str(t.get(key) or default)}, lower-cased when asked. */
    String text(String key, String def) {
        Object v = raw.get(key);
        return truthy(v) ? v.toString() : def;
    }

    /** A lower-cased choice that must be one of {@code allowed}; {@code <step> target=n: invalid key=v}. */
    String choice(String key, String def, Set<String> allowed) {
        String v = text(key, def).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw fail("invalid " + key + "=" + v);
        }
        return v;
    }

    /** A strict boolean; absent or null gives the default. */
    boolean bool(String key, boolean def) {
        Object v = raw.get(key);
        if (v == null) {
            return def;
        }
        Boolean b = StrictInputs.parseBoolean(v);
        if (b == null) {
            throw fail(key + " must be true or false, got '" + v + "'");
        }
        return b;
    }

    /** An integer; absent or null gives the default. */
    Long integer(String key, Long def) {
        Object v = raw.get(key);
        if (v == null) {
            return def;
        }
        Long n = asLong(v);
        if (n == null) {
            throw fail(key + " must be an integer, got '" + v + "'");
        }
        return n;
    }

    /** An integer, or null when the value is no integer (the reference's {@code try: int(v) except: default}). */
    static Long asLong(Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        if (v instanceof String s && s.strip().matches("[+-]?\\d{1,18}")) {
            return Long.parseLong(s.strip().replace("+", ""));
        }
        return null;
    }

    /** The {@code dtypes} / {@code dtypes_json} mapping (column name to dtype). */
    Map<String, String> dtypes() {
        Object d = jsonish(raw.get("dtypes"));
        if (!truthy(d)) {
            d = jsonish(raw.get("dtypes_json"));
        }
        if (!truthy(d)) {
            return Map.of();
        }
        if (!(d instanceof Map<?, ?> m)) {
            throw fail("dtypes must be a dict");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    /** {@code type_cast}: schema when dtypes are given, else none. */
    String typeCast(Map<String, String> dtypes) {
        return choice("type_cast", dtypes.isEmpty() ? "none" : "schema", Casting.MODES);
    }

    /** A list of strings from a native list (the caller parsed JSON text already). */
    static List<String> strings(List<?> l) {
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(o == null ? null : io.aetherflow.api.support.PyRepr.str(o));
        }
        return out;
    }
}
