package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drop-in plugin directories: honoured in internal_fast, ignored (and reported) in enterprise mode. */
class PluginPathsPolicyTest {

    @TempDir
    Path home;

    @Test
    void internalFastHonoursThePluginPaths() throws Exception {
        List<String> warnings = new ArrayList<>();
        List<Path> paths = TrustPolicy.load(Map.of(), home).pluginPaths("/opt/a,/opt/b", warnings);
        assertEquals(List.of(Path.of("/opt/a"), Path.of("/opt/b")), paths);
        assertTrue(warnings.isEmpty());
    }

    @Test
    void enterpriseModeIgnoresAmbientPluginPaths() throws Exception {
        List<String> warnings = new ArrayList<>();
        List<Path> paths = TrustPolicy.load(Map.of("AETHERFLOW_MODE", "Enterprise"), home)
                .pluginPaths("/tmp/evil", warnings);
        assertEquals(List.of(), paths);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("AETHERFLOW_PLUGIN_PATHS is ignored in enterprise mode"), warnings.get(0));
        List<String> none = new ArrayList<>();
        TrustPolicy.load(Map.of("AETHERFLOW_MODE", "enterprise"), home).pluginPaths(null, none);
        assertTrue(none.isEmpty());
    }
}
