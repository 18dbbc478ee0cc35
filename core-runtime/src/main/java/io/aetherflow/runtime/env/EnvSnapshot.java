package io.aetherflow.runtime.env;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment snapshot: the only configuration source of a run. Built from a copy of the OS
 * environment; the OS environment itself is never modified.
 */
public final class EnvSnapshot {

    private EnvSnapshot() {
    }

    /**
     * Builds the run snapshot (variant A, first two layers): all OS variables, then the env files
     * listed in {@code AETHERFLOW_ENV_FILES_JSON} (taken from {@code osEnv}) in list order, later
     * entries overriding earlier ones. Bundle wiring and runner keys are layered on by the caller.
     *
     * @param osEnv the process environment (e.g. {@code System.getenv()})
     * @param cwd directory relative env file paths resolve against
     * @return a new unmodifiable map, OS keys first
     * @throws EnvFileException when the env files list or an env file is invalid
     */
    public static Map<String, String> build(Map<String, String> osEnv, Path cwd) {
        Map<String, String> snapshot = new LinkedHashMap<>(osEnv);
        String json = osEnv.get(EnvFileSpec.ENV_FILES_JSON);
        if (json != null && !json.isBlank()) {
            List<EnvFileSpec> specs = EnvFileSpec.parseJson(json);
            snapshot.putAll(EnvFiles.load(specs, cwd));
        }
        return Collections.unmodifiableMap(snapshot);
    }

    /**
     * Returns a copy of {@code base} with {@code overlay} applied (overlay wins).
     *
     * @param base the snapshot so far
     * @param overlay variables to add or replace
     * @return a new unmodifiable map
     */
    public static Map<String, String> overlay(Map<String, String> base, Map<String, String> overlay) {
        Map<String, String> out = new LinkedHashMap<>(base);
        out.putAll(overlay);
        return Collections.unmodifiableMap(out);
    }
}
