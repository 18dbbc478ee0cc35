package io.aetherflow.testkit;

import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Strict inputs over a map with the engine's documented semantics ({@link StepInputs}): strings
 * accept numbers and booleans, booleans only {@code true/false/yes/no/1/0} (any case) and YAML
 * booleans, integers integral numbers or numeric strings, a scalar list input becomes a one-element
 * list, and every mismatch throws {@link StepInputException} naming the owner, the input path, the
 * expected type and what was found.
 */
public final class FakeInputs implements StepInputs {

    private final String owner;
    private final String path;
    private final Map<String, Object> map;

    /**
     * @param owner who the inputs belong to, for messages, e.g. {@code job 'j' step 's'}
     * @param values the inputs (copied; null means none)
     */
    public FakeInputs(String owner, Map<String, ?> values) {
        this(owner, "", values);
    }

    private FakeInputs(String owner, String path, Map<?, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> copy.put(String.valueOf(k), v));
        }
        this.owner = owner;
        this.path = path;
        this.map = Collections.unmodifiableMap(copy);
    }

    private StepInputException mismatch(String name, String expected, Object found) {
        String shown = found instanceof String s ? "'" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "'"
                : found instanceof Map ? "a mapping" : found instanceof List ? "a list" : String.valueOf(found);
        return new StepInputException(owner + ": input '" + path + name + "' must be " + expected + ", got " + shown);
    }

    @Override
    public Map<String, Object> asMap() {
        return map;
    }

    @Override
    public boolean has(String name) {
        return map.containsKey(name);
    }

    @Override
    public Object raw(String name) {
        return map.get(name);
    }

    @Override
    public void require(String... names) {
        List<String> absent = new ArrayList<>();
        for (String n : names) {
            if (!map.containsKey(n)) {
                absent.add(path + n);
            }
        }
        if (!absent.isEmpty()) {
            throw new StepInputException(owner + ": missing required input(s) " + absent);
        }
    }

    @Override
    public String string(String name) {
        String s = optString(name, null);
        if (s == null) {
            throw new StepInputException(owner + ": missing required input '" + path + name + "'");
        }
        return s;
    }

    @Override
    public String optString(String name, String defaultValue) {
        Object v = map.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Map || v instanceof List) {
            throw mismatch(name, "a string", v);
        }
        return v.toString();
    }

    @Override
    public boolean bool(String name, boolean defaultValue) {
        Object v = map.get(name);
        if (v == null) {
            return defaultValue;
        }
        String form = v instanceof Boolean || v instanceof String ? v.toString().trim().toLowerCase(Locale.ROOT)
                : v instanceof Number n && n.doubleValue() == n.longValue() ? Long.toString(n.longValue()) : "";
        return switch (form) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw mismatch(name, "a boolean (true/false/yes/no/1/0)", v);
        };
    }

    @Override
    public long integer(String name, long defaultValue) {
        Object v = map.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d)) {
                return (long) d;
            }
        } else if (v instanceof Number n) {
            return n.longValue();
        } else if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw mismatch(name, "an integer", v);
    }

    @Override
    public double number(String name, double defaultValue) {
        Object v = map.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw mismatch(name, "a number", v);
    }

    @Override
    public List<Object> list(String name) {
        Object v = map.get(name);
        if (v instanceof Map) {
            throw mismatch(name, "a list", v);
        }
        return v == null ? List.of() : v instanceof List<?> l ? copy(l) : List.of(v);
    }

    private static List<Object> copy(List<?> l) {
        // not List.copyOf: YAML lists may hold nulls
        return Collections.unmodifiableList(new ArrayList<>(l));
    }

    @Override
    public StepInputs section(String name) {
        Object v = map.get(name);
        if (v != null && !(v instanceof Map)) {
            throw mismatch(name, "a mapping", v);
        }
        return new FakeInputs(owner, path + name + ".", (Map<?, ?>) v);
    }
}
