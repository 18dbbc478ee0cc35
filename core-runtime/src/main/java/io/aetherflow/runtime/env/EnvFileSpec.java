package io.aetherflow.runtime.env;

import io.aetherflow.api.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One env file to load: {@code {type, path, optional=false, prefix=""}}.
 *
 * @param type {@code dotenv}, {@code json}, or {@code dir} / {@code directory} / {@code dir-of-files}
 *     (checked when the file is loaded, trimmed and case-insensitive)
 * @param path file or directory; relative paths resolve against the loader's base directory
 * @param optional a missing path is skipped instead of failing
 * @param prefix prepended to every key read from this file
 */
public record EnvFileSpec(String type, String path, boolean optional, String prefix) {

    /** The variable that lists env files as JSON. */
    public static final String ENV_FILES_JSON = "AETHERFLOW_ENV_FILES_JSON";

    /** Normalises null prefix to empty; type and path must be present. */
    public EnvFileSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        prefix = prefix == null ? "" : prefix;
    }

    /**
     * Parses the value of {@code AETHERFLOW_ENV_FILES_JSON}.
     *
     * @param json the JSON text
     * @return the specs in list order
     * @throws EnvFileException on invalid JSON, a non-list, a non-object entry or a bad field
     */
    public static List<EnvFileSpec> parseJson(String json) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new EnvFileException(ENV_FILES_JSON + ": invalid JSON: " + e.getMessage() + "; fix the JSON list of env file specs", e);
        }
        if (!(parsed instanceof List<?>)) {
            throw new EnvFileException(ENV_FILES_JSON + " must be a JSON list");
        }
        return fromList(parsed, ENV_FILES_JSON, false);
    }

    /**
     * Builds specs from a parsed list (JSON or YAML).
     *
     * @param value the list
     * @param source where the list came from, for messages (e.g. a manifest path)
     * @param allowStrings accept plain strings as dotenv paths (bundle manifests accept both forms)
     * @return the specs in list order
     * @throws EnvFileException when the value is not a list or an entry is invalid
     */
    public static List<EnvFileSpec> fromList(Object value, String source, boolean allowStrings) {
        if (!(value instanceof List<?> list)) {
            throw new EnvFileException(source + (ENV_FILES_JSON.equals(source) ? " must be a JSON list" : " must be a list"));
        }
        List<EnvFileSpec> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String where = source + "[" + i + "]";
            if (allowStrings && item instanceof String s) {
                if (s.isBlank()) {
                    throw new EnvFileException("env file spec " + where + ": path must not be empty");
                }
                out.add(new EnvFileSpec("dotenv", s, false, ""));
                continue;
            }
            if (!(item instanceof Map<?, ?> m)) {
                throw new EnvFileException("env file spec must be an object: " + where);
            }
            Object type = m.get("type");
            Object path = m.get("path");
            if (type == null) {
                throw new EnvFileException("env file spec " + where + ": missing 'type' (dotenv, json or dir)");
            }
            if (path == null) {
                throw new EnvFileException("env file spec " + where + ": missing 'path'");
            }
            Object prefix = m.get("prefix");
            out.add(new EnvFileSpec(PyText.str(type), PyText.str(path), toBool(m.get("optional"), where),
                    prefix == null ? "" : PyText.str(prefix)));
        }
        return List.copyOf(out);
    }

    private static boolean toBool(Object v, String where) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "y", "on", "1", "t":
                    return true;
                case "false", "no", "n", "off", "0", "f":
                    return false;
                default:
                    break;
            }
        }
        throw new EnvFileException("env file spec " + where + ": 'optional' must be a boolean, got '" + v + "'");
    }
}
