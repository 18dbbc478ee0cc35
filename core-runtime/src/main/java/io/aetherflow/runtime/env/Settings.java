package io.aetherflow.runtime.env;

import io.aetherflow.runtime.observe.LogLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Engine settings read from the environment snapshot. An unset or blank variable takes the default.
 *
 * @param workRoot {@code AETHERFLOW_WORK_ROOT} (default {@code /tmp/work}); inside a run the flow's
 *     workspace root replaces it ({@link #withWorkRoot(String)})
 * @param stateRoot {@code AETHERFLOW_STATE_ROOT} (default {@code /tmp/state}); the default state file is
 *     {@code <stateRoot>/aetherflow.sqlite} ({@link #defaultStatePath(Map)})
 * @param pluginPaths {@code AETHERFLOW_PLUGIN_PATHS} split on {@code ,}, empty parts dropped
 * @param pluginStrict {@code AETHERFLOW_PLUGIN_STRICT} (default true; {@code true} case-insensitive)
 * @param strictTemplates {@code AETHERFLOW_STRICT_TEMPLATES} (default true; templating is always
 *     strict, kept for compatibility)
 * @param logLevel {@code AETHERFLOW_LOG_LEVEL} (default INFO; unknown names give INFO)
 * @param logFormat {@code AETHERFLOW_LOG_FORMAT}: {@code json} (case-insensitive) or {@code text}
 * @param metricsModule {@code AETHERFLOW_METRICS_MODULE} or null
 * @param connectorCacheDefault {@code AETHERFLOW_CONNECTOR_CACHE_DEFAULT} (default {@code run},
 *     trimmed, lower-cased)
 * @param connectorCacheDisabled {@code AETHERFLOW_CONNECTOR_CACHE_DISABLED} ({@code true}
 *     case-insensitive)
 * @param secretsModule {@code AETHERFLOW_SECRETS_MODULE}: name of a secrets provider service, or null
 * @param secretsPath {@code AETHERFLOW_SECRETS_PATH}: secrets program path as written, or null
 * @param mode {@code AETHERFLOW_MODE} trimmed, lower-cased (default {@code internal_fast})
 * @param modeEnterprise {@code AETHERFLOW_MODE_ENTERPRISE} truthy (1, true, yes, y, on)
 * @param strictSandbox {@code AETHERFLOW_STRICT_SANDBOX} truthy (default true)
 * @param validateEnvStrict {@code AETHERFLOW_VALIDATE_ENV_STRICT} ({@code true} case-insensitive)
 * @param validateStrict {@code AETHERFLOW_VALIDATE_STRICT} truthy: unknown keys become errors
 */
public record Settings(String workRoot, String stateRoot, List<String> pluginPaths, boolean pluginStrict,
        boolean strictTemplates, LogLevel logLevel, String logFormat, String metricsModule,
        String connectorCacheDefault, boolean connectorCacheDisabled, String secretsModule, String secretsPath,
        String mode, boolean modeEnterprise, boolean strictSandbox, boolean validateEnvStrict,
        boolean validateStrict) {

    /** Default work root. */
    public static final String DEFAULT_WORK_ROOT = "/tmp/work";
    /** Default state root. */
    public static final String DEFAULT_STATE_ROOT = "/tmp/state";
    /** File name of the default state store under the state root. */
    public static final String STATE_FILE_NAME = "aetherflow.sqlite";
    /** Default mode. */
    public static final String MODE_INTERNAL_FAST = "internal_fast";
    /** The enterprise mode name. */
    public static final String MODE_ENTERPRISE = "enterprise";

    private static final Set<String> TRUTHY = Set.of("1", "true", "yes", "y", "on");

    /** Copies the plugin path list. */
    public Settings {
        pluginPaths = List.copyOf(pluginPaths);
    }

    /**
     * The state file of a flow without {@code flow.state.path} and of {@code aetherflow runs} without
     * {@code --state}/{@code --flow-yaml}: {@code $AETHERFLOW_STATE_ROOT/aetherflow.sqlite}, by default
     * {@code /tmp/state/aetherflow.sqlite} (the reference's default).
     *
     * @param env the environment snapshot
     * @return the path as written (a relative state root stays relative)
     */
    public static String defaultStatePath(Map<String, String> env) {
        String root = text(env, "AETHERFLOW_STATE_ROOT", DEFAULT_STATE_ROOT);
        return root.endsWith("/") ? root + STATE_FILE_NAME : root + "/" + STATE_FILE_NAME;
    }

    /**
     * Reads settings from an environment snapshot.
     *
     * @param env the snapshot
     * @return the settings
     */
    public static Settings from(Map<String, String> env) {
        return new Settings(
                text(env, "AETHERFLOW_WORK_ROOT", DEFAULT_WORK_ROOT),
                text(env, "AETHERFLOW_STATE_ROOT", DEFAULT_STATE_ROOT),
                splitPaths(env.get("AETHERFLOW_PLUGIN_PATHS")),
                isTrue(env, "AETHERFLOW_PLUGIN_STRICT", true),
                isTrue(env, "AETHERFLOW_STRICT_TEMPLATES", true),
                LogLevel.parse(env.get("AETHERFLOW_LOG_LEVEL")),
                "json".equalsIgnoreCase(trimmed(env.get("AETHERFLOW_LOG_FORMAT"))) ? "json" : "text",
                text(env, "AETHERFLOW_METRICS_MODULE", null),
                text(env, "AETHERFLOW_CONNECTOR_CACHE_DEFAULT", "run").toLowerCase(Locale.ROOT),
                isTrue(env, "AETHERFLOW_CONNECTOR_CACHE_DISABLED", false),
                text(env, "AETHERFLOW_SECRETS_MODULE", null),
                text(env, "AETHERFLOW_SECRETS_PATH", null),
                text(env, "AETHERFLOW_MODE", MODE_INTERNAL_FAST).toLowerCase(Locale.ROOT),
                truthy(env, "AETHERFLOW_MODE_ENTERPRISE", false),
                truthy(env, "AETHERFLOW_STRICT_SANDBOX", true),
                isTrue(env, "AETHERFLOW_VALIDATE_ENV_STRICT", false),
                truthy(env, "AETHERFLOW_VALIDATE_STRICT", false));
    }

    /**
     * The reference's truthy test for {@code AETHERFLOW_MODE_ENTERPRISE} and
     * {@code AETHERFLOW_STRICT_SANDBOX}: 1, true, yes, y, on (trimmed, case-insensitive).
     *
     * @param value the text, may be null
     * @return whether it is truthy
     */
    public static boolean isTruthy(String value) {
        return value != null && TRUTHY.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * @param newWorkRoot the flow's workspace root
     * @return a copy with another work root
     */
    public Settings withWorkRoot(String newWorkRoot) {
        return new Settings(newWorkRoot, stateRoot, pluginPaths, pluginStrict, strictTemplates, logLevel, logFormat,
                metricsModule, connectorCacheDefault, connectorCacheDisabled, secretsModule, secretsPath, mode,
                modeEnterprise, strictSandbox, validateEnvStrict, validateStrict);
    }

    /** @return whether {@code AETHERFLOW_MODE} is {@code enterprise} */
    public boolean enterpriseMode() {
        return MODE_ENTERPRISE.equals(mode);
    }

    /** @return whether log lines and events are JSON */
    public boolean jsonLogs() {
        return "json".equals(logFormat);
    }

    private static String trimmed(String v) {
        return v == null ? null : v.trim();
    }

    private static String text(Map<String, String> env, String key, String def) {
        String v = trimmed(env.get(key));
        return v == null || v.isEmpty() ? def : v;
    }

    private static boolean isTrue(Map<String, String> env, String key, boolean def) {
        String v = trimmed(env.get(key));
        return v == null || v.isEmpty() ? def : v.equalsIgnoreCase("true");
    }

    private static boolean truthy(Map<String, String> env, String key, boolean def) {
        String v = trimmed(env.get(key));
        return v == null || v.isEmpty() ? def : isTruthy(v);
    }

    private static List<String> splitPaths(String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split(",", -1)) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }
}
