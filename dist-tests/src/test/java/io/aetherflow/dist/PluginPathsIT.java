package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AETHERFLOW_PLUGIN_PATHS naming a missing directory stops the launcher, as in the reference, unless PLUGIN_STRICT=false. */
class PluginPathsIT {

    @TempDir
    Path tmp;

    @Test
    void aMissingPluginPathIsExit3OneLine() throws Exception {
        Path missing = tmp.resolve("no-such-plugins");
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_PLUGIN_PATHS", missing.toString());
        Result r = Aetherflow.run(tmp, env, "version");
        assertEquals(3, r.exit(), r.toString());
        List<String> lines = r.stderr().strip().lines().toList();
        assertEquals(List.of("aetherflow: Plugin path not found: " + missing + " (AETHERFLOW_PLUGIN_PATHS); create it,"
                + " remove it from the variable, or set AETHERFLOW_PLUGIN_STRICT=false to skip missing plugin paths"),
                lines, r.toString());

        Result verify = Aetherflow.run(tmp, env, "plugins", "verify");
        assertEquals(3, verify.exit(), verify.toString());
        assertTrue(verify.stderr().contains("Plugin path not found: " + missing), verify.stderr());
    }

    @Test
    void withPluginStrictFalseItIsAWarning() throws Exception {
        Path missing = tmp.resolve("no-such-plugins");
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_PLUGIN_PATHS", missing.toString());
        env.put("AETHERFLOW_PLUGIN_STRICT", "false");
        Result r = Aetherflow.run(tmp, env, "version");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("aetherflow: warning: Plugin path not found: " + missing
                + " (AETHERFLOW_PLUGIN_PATHS); skipped because AETHERFLOW_PLUGIN_STRICT=false"), r.stderr());
    }
}
