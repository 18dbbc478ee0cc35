package io.aetherflow.runtime.validate;

import io.aetherflow.api.support.Json;
import io.aetherflow.runtime.yaml.LoadedYaml;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The validation/diagnostics profiles loader (catalog §6.3): {@code AETHERFLOW_PROFILES_JSON} wins
 * silently over {@code AETHERFLOW_PROFILES_FILE}; a missing file means no profiles; no schema check.
 *
 * @param tree the parsed profiles (a map when well-formed), or null when there are none
 * @param yaml the loaded file (for positions), or null for JSON or no profiles
 */
record ValidationProfiles(Object tree, LoadedYaml yaml) {

    static final String JSON_VAR = "AETHERFLOW_PROFILES_JSON";
    static final String FILE_VAR = "AETHERFLOW_PROFILES_FILE";

    /**
     * @throws IllegalArgumentException when the JSON is invalid
     * @throws io.aetherflow.runtime.yaml.YamlLoadException when the file is invalid
     */
    static ValidationProfiles load(Map<String, String> env) {
        String json = env.get(JSON_VAR);
        if (json != null && !json.isBlank()) {
            try {
                return new ValidationProfiles(Json.parse(json), null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(JSON_VAR + ": invalid JSON: " + e.getMessage(), e);
            }
        }
        String file = env.get(FILE_VAR);
        if (file != null && !file.isBlank()) {
            Path p = Path.of(file.trim());
            if (Files.isRegularFile(p)) {
                LoadedYaml y = YamlLoader.load(p);
                return new ValidationProfiles(y.data(), y);
            }
        }
        return new ValidationProfiles(null, null);
    }
}
