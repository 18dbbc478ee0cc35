package io.aetherflow.runtime.env;

import io.aetherflow.api.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The named profiles of a run, from {@code AETHERFLOW_PROFILES_JSON} (JSON text) or
 * {@code AETHERFLOW_PROFILES_FILE} (YAML file): a mapping profile name to
 * {@code {config: map, options: map, decode: map}}, no other keys.
 */
public final class Profiles {

    /** The JSON variable. */
    public static final String PROFILES_JSON = "AETHERFLOW_PROFILES_JSON";
    /** The file variable. */
    public static final String PROFILES_FILE = "AETHERFLOW_PROFILES_FILE";
    /** No profiles. */
    public static final Profiles NONE = new Profiles(Map.of());

    private static final String INVALID = "Invalid profile configuration: ";
    private static final Set<String> KEYS = Set.of("config", "options", "decode");

    private final Map<String, Profile> byName;

    private Profiles(Map<String, Profile> byName) {
        this.byName = byName;
    }

    /**
     * The run's loader: at most one of the two variables may be set; any read, parse or schema error
     * fails. Neither set (or both blank) means no profiles.
     *
     * @param env the environment snapshot
     * @return the profiles
     * @throws ProfilesException {@code Set only one of AETHERFLOW_PROFILES_JSON or
     *     AETHERFLOW_PROFILES_FILE}, or {@code Invalid profile configuration: <detail>}
     */
    public static Profiles load(Map<String, String> env) {
        String json = blankToNull(env.get(PROFILES_JSON));
        String file = blankToNull(env.get(PROFILES_FILE));
        if (json != null && file != null) {
            throw new ProfilesException("Set only one of AETHERFLOW_PROFILES_JSON or AETHERFLOW_PROFILES_FILE");
        }
        if (json != null) {
            Object tree;
            try {
                tree = Json.parse(json);
            } catch (IllegalArgumentException e) {
                throw new ProfilesException(INVALID + PROFILES_JSON + ": invalid JSON: " + e.getMessage(), e);
            }
            return fromTree(tree, PROFILES_JSON);
        }
        if (file != null) {
            Path path = Path.of(file).toAbsolutePath().normalize();
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ProfilesException(INVALID + PROFILES_FILE + "=" + path + ": file not found", e);
            } catch (IOException e) {
                throw new ProfilesException(INVALID + PROFILES_FILE + "=" + path + ": cannot read: " + e, e);
            }
            LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(50).setLabel(path.toString()).build();
            Object tree;
            try {
                tree = new Load(settings).loadFromString(text);
            } catch (RuntimeException e) {
                throw new ProfilesException(INVALID + oneLine(e.getMessage()), e);
            }
            return fromTree(tree, path.toString());
        }
        return NONE;
    }

    /**
     * Validates a parsed profiles tree.
     *
     * @param tree the parsed JSON/YAML (null means no profiles)
     * @param source where it came from, for messages
     * @return the profiles
     * @throws ProfilesException {@code Invalid profile configuration: <detail>}
     */
    @SuppressWarnings("unchecked")
    public static Profiles fromTree(Object tree, String source) {
        if (tree == null) {
            return NONE;
        }
        if (!(tree instanceof Map<?, ?> top)) {
            throw new ProfilesException(INVALID + source
                    + ": the top level must be a mapping of profile name to {config, options, decode}");
        }
        Map<String, Profile> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new ProfilesException(INVALID + source + ": profile name " + e.getKey() + " must be a string");
            }
            if (!(e.getValue() instanceof Map<?, ?> body)) {
                throw new ProfilesException(INVALID + source + ": profile '" + name
                        + "' must be a mapping with keys config, options, decode");
            }
            for (Object k : body.keySet()) {
                if (!(k instanceof String key) || !KEYS.contains(key)) {
                    throw new ProfilesException(INVALID + source + ": profile '" + name + "': unknown key '" + k
                            + "' (allowed: config, options, decode)");
                }
            }
            Map<String, Object>[] parts = new Map[3];
            String[] names = {"config", "options", "decode"};
            for (int i = 0; i < 3; i++) {
                Object v = body.get(names[i]);
                if (v == null && !body.containsKey(names[i])) {
                    parts[i] = Map.of();
                } else if (v instanceof Map<?, ?> m && stringKeys(m)) {
                    parts[i] = (Map<String, Object>) m;
                } else {
                    throw new ProfilesException(INVALID + source + ": profile '" + name + "'." + names[i]
                            + " must be a mapping with string keys");
                }
            }
            out.put(name, new Profile(parts[0], parts[1], parts[2]));
        }
        return new Profiles(Collections.unmodifiableMap(out));
    }

    private static boolean stringKeys(Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                return false;
            }
            if (e.getValue() instanceof Map<?, ?> inner && !stringKeys(inner)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param name a profile name
     * @return the profile, if declared
     */
    public Optional<Profile> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @return declared profile names in declaration order */
    public Set<String> names() {
        return byName.keySet();
    }

    /** @return all profiles by name, unmodifiable, in declaration order */
    public Map<String, Profile> asMap() {
        return byName;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
