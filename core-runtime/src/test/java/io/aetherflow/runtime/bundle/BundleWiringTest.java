package io.aetherflow.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a synced bundle wires a run and a check (E37, E39; SPEC §4 row 9; modes of §6.7). */
class BundleWiringTest {

    @TempDir
    Path dir;

    private BundleWiring wiring(String mode) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("flows"));
        Files.createDirectories(src.resolve("conf"));
        Files.writeString(src.resolve("flows/main.yaml"), "version: 1\n");
        Files.writeString(src.resolve("profiles.yaml"), "{}\n");
        Files.writeString(src.resolve("conf/app.env"), "GREETING=hi\nSHARED=from-dotenv\n");
        Files.writeString(src.resolve("conf/extra.json"), "{\"SHARED\": \"from-json\"}");
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, "mode: " + mode + "\npaths: {plugins: [/opt/trusted]}\nzip_drivers: [os]\n"
                + "env_files: [conf/app.env, {type: json, path: conf/extra.json, prefix: X_}, "
                + "{type: dotenv, path: conf/none.env, optional: true}]\n"
                + "bundle:\n  id: w\n  source: {base_path: src}\n"
                + "  layout: {profiles_file: profiles.yaml, plugins_dir: plugins}\n  entry_flow: flows/main.yaml\n");
        BundleManifest bm = ManifestParser.load(m);
        BundleSync.Result r = new BundleService(new StaticPluginCatalog(), new HashMap<>(), w -> { }).sync(bm,
                BundleDirs.of(dir.resolve("work"), "w"), Map.of(), false);
        return BundleWiring.of(bm, r);
    }

    private static Map<String, String> ambient() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AETHERFLOW_PLUGIN_PATHS", "/tmp/evil");
        env.put("AETHERFLOW_STRICT_SANDBOX", "false");
        env.put("AETHERFLOW_PROFILES_JSON", "{}");
        env.put("SHARED", "from-os");
        return env;
    }

    @Test
    void internalFastRun() throws Exception {
        BundleWiring w = wiring("internal_fast");
        Path tree = w.activeTree();
        assertEquals(tree.resolve("flows/main.yaml"), w.entryFlow());
        Map<String, String> env = w.apply(ambient(), true);
        assertEquals("internal_fast", env.get("AETHERFLOW_MODE"));
        assertEquals("False", env.get("AETHERFLOW_MODE_ENTERPRISE"));
        assertEquals("hi", env.get("GREETING"));
        assertEquals("from-dotenv", env.get("SHARED"), "manifest env files override the OS environment");
        assertEquals("from-json", env.get("X_SHARED"));
        assertEquals(tree.resolve("profiles.yaml").toString(), env.get("AETHERFLOW_PROFILES_FILE"));
        assertNull(env.get("AETHERFLOW_PROFILES_JSON"));
        assertEquals(tree.resolve("plugins").toString(), env.get("AETHERFLOW_PLUGIN_PATHS"));
        assertEquals("false", env.get("AETHERFLOW_STRICT_SANDBOX"), "honoured in internal_fast");
        assertEquals(tree.toString(), env.get("AETHERFLOW_ACTIVE_DIR"));
        assertEquals(dir.resolve("work/bundles/w/cache").toString(), env.get("AETHERFLOW_CACHE_DIR"));
        assertEquals(tree.resolve("flows/other.yaml"), w.flowFor("flows/other.yaml"));
        assertEquals(w.entryFlow(), w.flowFor(null));
    }

    @Test
    void enterpriseDropsAmbientPluginPathsAndTheSandboxOptOut() throws Exception {
        BundleWiring w = wiring("enterprise");
        Map<String, String> run = w.apply(ambient(), true);
        assertEquals("enterprise", run.get("AETHERFLOW_MODE"));
        assertEquals("True", run.get("AETHERFLOW_MODE_ENTERPRISE"));
        assertEquals("/opt/trusted", run.get("AETHERFLOW_PLUGIN_PATHS"));
        assertFalse(run.containsKey("AETHERFLOW_STRICT_SANDBOX"));
        assertEquals(Set.of("os"), w.zipDrivers());
        Map<String, String> check = w.apply(ambient(), false);
        assertEquals("/opt/trusted", check.get("AETHERFLOW_PLUGIN_PATHS"));
        assertFalse(check.containsKey("AETHERFLOW_MODE"), "checks get no mode keys (reference variant B)");
        assertEquals("false", check.get("AETHERFLOW_STRICT_SANDBOX"));
    }

    @Test
    void theShippedPluginsAreThePluginsDirAndInEnterpriseModeAlsoThePathsPlugins() throws Exception {
        BundleWiring fast = wiring("internal_fast");
        io.aetherflow.launch.ShippedPlugins.Request r = fast.pluginRequest(dir);
        assertEquals(java.util.List.of(fast.activeTree().resolve("plugins")), r.dirs(), "paths.plugins only in enterprise");
        assertEquals(fast.activeTree().resolve("plugins/plugins.lock"), r.lockFile());
        assertEquals("w", r.bundleId());
        assertFalse(r.enterprise());

        BundleWiring ent = wiring("enterprise");
        io.aetherflow.launch.ShippedPlugins.Request e = ent.pluginRequest(dir);
        assertEquals(java.util.List.of(ent.activeTree().resolve("plugins"), Path.of("/opt/trusted")), e.dirs());
        assertEquals(ent.activeTree().resolve("plugins/plugins.lock"), e.lockFile());
        org.junit.jupiter.api.Assertions.assertTrue(e.enterprise());
    }
}
