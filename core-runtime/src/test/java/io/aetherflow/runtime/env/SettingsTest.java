package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.runtime.observe.LogLevel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaults() {
        Settings s = Settings.from(Map.of());
        assertEquals("/tmp/work", s.workRoot());
        assertEquals("/tmp/state", s.stateRoot());
        assertEquals(List.of(), s.pluginPaths());
        assertTrue(s.pluginStrict());
        assertTrue(s.strictTemplates());
        assertEquals(LogLevel.INFO, s.logLevel());
        assertEquals("text", s.logFormat());
        assertFalse(s.jsonLogs());
        assertNull(s.metricsModule());
        assertEquals("run", s.connectorCacheDefault());
        assertFalse(s.connectorCacheDisabled());
        assertNull(s.secretsModule());
        assertNull(s.secretsPath());
        assertEquals("internal_fast", s.mode());
        assertFalse(s.enterpriseMode());
        assertFalse(s.modeEnterprise());
        assertTrue(s.strictSandbox());
        assertFalse(s.validateEnvStrict());
        assertFalse(s.validateStrict());
    }

    @Test
    void defaultStatePathIsUnderTheStateRoot() {
        assertEquals("/tmp/state/aetherflow.sqlite", Settings.defaultStatePath(Map.of()));
        assertEquals("/tmp/state/aetherflow.sqlite", Settings.defaultStatePath(Map.of("AETHERFLOW_STATE_ROOT", "  ")));
        assertEquals("/srv/af/aetherflow.sqlite", Settings.defaultStatePath(Map.of("AETHERFLOW_STATE_ROOT", "/srv/af")));
        assertEquals("/srv/af/aetherflow.sqlite", Settings.defaultStatePath(Map.of("AETHERFLOW_STATE_ROOT", "/srv/af/")));
        assertEquals("rel/aetherflow.sqlite", Settings.defaultStatePath(Map.of("AETHERFLOW_STATE_ROOT", "rel")));
    }

    @Test
    void parsesEveryVariable() {
        Settings s = Settings.from(Map.ofEntries(
                Map.entry("AETHERFLOW_WORK_ROOT", "/w"),
                Map.entry("AETHERFLOW_STATE_ROOT", "/s"),
                Map.entry("AETHERFLOW_PLUGIN_PATHS", "/a,, /b ,"),
                Map.entry("AETHERFLOW_PLUGIN_STRICT", "no"),
                Map.entry("AETHERFLOW_STRICT_TEMPLATES", "FALSE"),
                Map.entry("AETHERFLOW_LOG_LEVEL", "debug"),
                Map.entry("AETHERFLOW_LOG_FORMAT", "JSON"),
                Map.entry("AETHERFLOW_METRICS_MODULE", "m"),
                Map.entry("AETHERFLOW_CONNECTOR_CACHE_DEFAULT", " Process "),
                Map.entry("AETHERFLOW_CONNECTOR_CACHE_DISABLED", "True"),
                Map.entry("AETHERFLOW_SECRETS_MODULE", "vault"),
                Map.entry("AETHERFLOW_SECRETS_PATH", "~/bin/dec"),
                Map.entry("AETHERFLOW_MODE", "  Enterprise "),
                Map.entry("AETHERFLOW_MODE_ENTERPRISE", "Y"),
                Map.entry("AETHERFLOW_STRICT_SANDBOX", "off"),
                Map.entry("AETHERFLOW_VALIDATE_ENV_STRICT", "true"),
                Map.entry("AETHERFLOW_VALIDATE_STRICT", "1")));
        assertEquals("/w", s.workRoot());
        assertEquals("/s", s.stateRoot());
        assertEquals(List.of("/a", " /b "), s.pluginPaths());
        assertFalse(s.pluginStrict(), "only 'true' enables plugin strictness");
        assertFalse(s.strictTemplates());
        assertEquals(LogLevel.DEBUG, s.logLevel());
        assertTrue(s.jsonLogs());
        assertEquals("m", s.metricsModule());
        assertEquals("process", s.connectorCacheDefault());
        assertTrue(s.connectorCacheDisabled());
        assertEquals("vault", s.secretsModule());
        assertEquals("~/bin/dec", s.secretsPath());
        assertEquals("enterprise", s.mode());
        assertTrue(s.enterpriseMode());
        assertTrue(s.modeEnterprise());
        assertFalse(s.strictSandbox());
        assertTrue(s.validateEnvStrict());
        assertTrue(s.validateStrict());
    }

    @Test
    void truthySetAndUnknownLogLevel() {
        for (String t : List.of("1", "true", "YES", "y", "On", " on ")) {
            assertTrue(Settings.isTruthy(t), t);
        }
        for (String f : List.of("0", "false", "no", "enabled", "")) {
            assertFalse(Settings.isTruthy(f), f);
        }
        assertFalse(Settings.isTruthy(null));
        assertEquals(LogLevel.INFO, Settings.from(Map.of("AETHERFLOW_LOG_LEVEL", "chatty")).logLevel());
        assertTrue(Settings.from(Map.of("AETHERFLOW_STRICT_SANDBOX", "")).strictSandbox(), "blank = default");
        assertTrue(Settings.from(Map.of("AETHERFLOW_STRICT_SANDBOX", "yes")).strictSandbox());
    }

    @Test
    void withWorkRootChangesOnlyTheWorkRoot() {
        Settings s = Settings.from(Map.of("AETHERFLOW_LOG_FORMAT", "json", "AETHERFLOW_MODE", "enterprise"));
        Settings w = s.withWorkRoot("/flow/ws");
        assertEquals("/flow/ws", w.workRoot());
        assertEquals(s, w.withWorkRoot(s.workRoot()));
    }
}
