package io.aetherflow.api.support;

import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Strict typed view over rendered step inputs, with the semantics {@link StepInputs} documents; the engine
 * gives every step one, and the plugin test kit uses the same class, so a unit test sees exactly the rules
 * and messages a step meets in a run. Error messages name the step and the input path
 * ({@code log.max_capture_kb}), say what was expected and show what was found.
 */
public final class StrictInputs implements StepInputs {

    private final String owner;
    private final String prefix;
    private final Map<String, Object> values;

    /**
     * @param owner who the inputs belong to, for messages, e.g. {@code job 'j' step 's'}
     * @param values the rendered inputs
     */
    public StrictInputs(String owner, Map<String, Object> values) {
        this(owner, "", values);
    }

    private StrictInputs(String owner, String prefix, Map<String, Object> values) {
        this.owner = owner;
        this.prefix = prefix;
        this.values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    private StepInputException wrong(String name, String expected, Object found) {
        return new StepInputException(owner + ": input '" + prefix + name + "' must be " + expected + ", got "
                + describe(found));
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "'";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return v.toString();
    }

    @Override
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean has(String name) {
        return values.containsKey(name);
    }

    @Override
    public Object raw(String name) {
        return values.get(name);
    }

    @Override
    public void require(String... names) {
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            if (!values.containsKey(n)) {
                missing.add(prefix + n);
            }
        }
        if (!missing.isEmpty()) {
            throw new StepInputException(owner + ": missing required input(s) " + missing);
        }
    }

    @Override
    public String string(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new StepInputException(owner + ": missing required input '" + prefix + name + "'");
        }
        return scalarText(name, v);
    }

    private String scalarText(String name, Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw wrong(name, "a string", v);
    }

    @Override
    public String optString(String name, String defaultValue) {
        return valueOr(name, defaultValue, v -> scalarText(name, v));
    }

    /** @return {@code defaultValue} when the input is not set (or null), else the value converted */
    private <T> T valueOr(String name, T defaultValue, Function<Object, T> convert) {
        Object v = values.get(name);
        return v == null ? defaultValue : convert.apply(v);
    }

    /**
     * Parses a strict boolean: YAML booleans, or {@code true/false/yes/no/1/0} in any case.
     *
     * @param v a value
     * @return the boolean, or null when {@code v} is not a boolean form
     */
    public static Boolean parseBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n && n.doubleValue() == n.longValue()) {
            long l = n.longValue();
            return l == 1 ? Boolean.TRUE : l == 0 ? Boolean.FALSE : null;
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                case "yes":
                case "1":
                    return Boolean.TRUE;
                case "false":
                case "no":
                case "0":
                    return Boolean.FALSE;
                default:
                    return null;
            }
        }
        return null;
    }

    @Override
    public boolean bool(String name, boolean defaultValue) {
        return valueOr(name, defaultValue, v -> {
            Boolean b = parseBoolean(v);
            if (b == null) {
                throw wrong(name, "a boolean (true/false/yes/no/1/0)", v);
            }
            return b;
        });
    }

    @Override
    public long integer(String name, long defaultValue) {
        return valueOr(name, defaultValue, v -> {
            if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
                return n.longValue();
            }
            if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
                return d.longValue();
            }
            return parsed(name, "an integer", v, Long::parseLong);
        });
    }

    @Override
    public double number(String name, double defaultValue) {
        return valueOr(name, defaultValue,
                v -> v instanceof Number n ? n.doubleValue() : parsed(name, "a number", v, Double::parseDouble));
    }

    /** @return a string value parsed (trimmed), else the "must be" error */
    private <T> T parsed(String name, String expected, Object v, Function<String, T> parse) {
        if (v instanceof String s) {
            try {
                return parse.apply(s.trim());
            } catch (NumberFormatException e) {
                throw wrong(name, expected, v);
            }
        }
        throw wrong(name, expected, v);
    }

    @Override
    public List<Object> list(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return Collections.unmodifiableList(new ArrayList<>(l));
        }
        if (v instanceof Map) {
            throw wrong(name, "a list", v);
        }
        return List.of(v);
    }

    @Override
    public StepInputs section(String name) {
        Object v = values.get(name);
        if (v == null) {
            return new StrictInputs(owner, prefix + name + ".", Map.of());
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, val) -> copy.put(String.valueOf(k), val));
            return new StrictInputs(owner, prefix + name + ".", copy);
        }
        throw wrong(name, "a mapping", v);
    }
}
