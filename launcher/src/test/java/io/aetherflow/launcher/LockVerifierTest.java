package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockVerifierTest {

    @TempDir
    Path home;
    @TempDir
    Path plugins;

    private final List<LockedBundle> entries = new ArrayList<>();

    @BeforeEach
    void installation() throws Exception {
        add("io.a", "bundles/a.jar");
        add("io.b", "bundles/b.jar");
    }

    private void add(String bsn, String path) throws Exception {
        Path jar = TestBundles.bundle(home.resolve(path), bsn, "1.0.0");
        entries.add(new LockedBundle(bsn, "1.0.0", Sha256.ofFile(jar), path, null));
    }

    private PluginLock lock() throws Exception {
        Path file = Files.writeString(home.resolve("plugins.lock"), PluginLock.format(entries, "test"));
        return PluginLock.read(file);
    }

    private VerifiedPluginSet verify(List<Path> pluginPaths) throws Exception {
        return LockVerifier.verify(home, lock(), pluginPaths, JarHashes.uncached());
    }

    private String error(List<Path> pluginPaths) {
        return assertThrows(PluginSetException.class, () -> verify(pluginPaths)).getMessage();
    }

    @Test
    void matchingInstallationVerifies() throws Exception {
        VerifiedPluginSet set = verify(List.of());
        assertEquals(List.of(home.resolve("bundles/a.jar"), home.resolve("bundles/b.jar")),
                set.bundles().stream().map(VerifiedBundle::file).toList());
        assertTrue(set.bundles().get(0).location().startsWith("reference:file:/"));
        assertEquals(List.of(), set.warnings());
    }

    @Test
    void missingJar() throws Exception {
        PluginLock lock = lock();
        Files.delete(home.resolve("bundles/b.jar"));
        String msg = assertThrows(PluginSetException.class,
                () -> LockVerifier.verify(home, lock, List.of(), JarHashes.uncached())).getMessage();
        assertEquals("bundle io.b 1.0.0 is missing: " + home.resolve("bundles/b.jar")
                + " does not exist; restore it or remove the bundle from plugins.lock", msg);
    }

    @Test
    void extraJarInBundles() throws Exception {
        lock();
        TestBundles.bundle(home.resolve("bundles/intruder.jar"), "io.x", "1.0.0");
        Files.writeString(home.resolve("bundles/README.txt"), "not a jar: ignored");
        String msg = error(List.of());
        assertEquals("unlocked jar bundles/intruder.jar in " + home + " is not in plugins.lock; remove it, or lock it"
                + " to use it", msg);
    }

    @Test
    void changedJar() throws Exception {
        PluginLock lock = lock();
        TestBundles.bundle(home.resolve("bundles/a.jar"), "io.a", "1.0.1");
        String actual = Sha256.ofFile(home.resolve("bundles/a.jar"));
        String msg = assertThrows(PluginSetException.class,
                () -> LockVerifier.verify(home, lock, List.of(), JarHashes.uncached())).getMessage();
        assertTrue(msg.startsWith("bundle io.a 1.0.0 changed: " + home.resolve("bundles/a.jar") + " has sha256 "
                + actual + " but plugins.lock expects " + entries.get(0).sha256()), msg);
    }

    @Test
    void pluginPathJarsAreFoundByNameAndUnlockedOnesReported() throws Exception {
        Path jar = TestBundles.bundle(plugins.resolve("vendor.jar"), "com.vendor", "2.0.0");
        entries.add(new LockedBundle("com.vendor", "2.0.0", Sha256.ofFile(jar), "plugin-path:vendor.jar", null));
        TestBundles.bundle(plugins.resolve("stray.jar"), "com.stray", "1.0.0");
        Path empty = Files.createDirectories(home.resolve("empty-dir"));
        VerifiedPluginSet set = verify(List.of(empty, plugins));
        assertEquals(jar, set.bundles().stream().filter(b -> b.entry().symbolicName().equals("com.vendor"))
                .findFirst().orElseThrow().file());
        assertEquals(List.of("jar " + plugins.resolve("stray.jar") + " in AETHERFLOW_PLUGIN_PATHS is not in"
                + " plugins.lock; it is not loaded (lock it to use it)"), set.warnings());
        assertTrue(set.bundles().stream().noneMatch(b -> b.file().endsWith("stray.jar")));
    }

    @Test
    void lockedPluginPathJarWithoutThePath() throws Exception {
        Path jar = TestBundles.bundle(plugins.resolve("vendor.jar"), "com.vendor", "2.0.0");
        entries.add(new LockedBundle("com.vendor", "2.0.0", Sha256.ofFile(jar), "plugin-path:vendor.jar", null));
        assertTrue(error(List.of()).startsWith("bundle com.vendor 2.0.0 is missing: no AETHERFLOW_PLUGIN_PATHS"
                + " directory holds vendor.jar (searched: none, the variable is unset)"));
    }

    @Test
    void pluginPathsSplitLikeTheReference() {
        assertEquals(List.of(Path.of("/a"), Path.of("/b c"), Path.of("").toAbsolutePath().resolve(" d")),
                LockVerifier.pluginPaths("/a,,/b c, d"));
        assertEquals(List.of(), LockVerifier.pluginPaths(null));
    }

    @Test
    void storageKeyDependsOnLockAndLocations() throws Exception {
        String k1 = verify(List.of()).storageKey("1.0");
        assertEquals(k1, verify(List.of()).storageKey("1.0"));
        entries.remove(1);
        Files.delete(home.resolve("bundles/b.jar"));
        assertTrue(!k1.equals(verify(List.of()).storageKey("1.0")));
        assertEquals(16, k1.length());
        assertTrue(!verify(List.of()).storageKey("1.0").equals(verify(List.of()).storageKey("1.1")), "per release");
    }

    @Test
    void aMissingPluginPathStopsTheLauncherUnlessPluginStrictIsFalse() throws Exception {
        Path missing = home.resolve("no-such-dir");
        Path file = Files.writeString(home.resolve("a-file"), "x");
        List<String> warnings = new ArrayList<>();
        PluginSetException e = assertThrows(PluginSetException.class,
                () -> LockVerifier.existingPluginPaths(List.of(plugins, missing), java.util.Map.of(), warnings));
        assertEquals("Plugin path not found: " + missing + " (AETHERFLOW_PLUGIN_PATHS); create it, remove it from the"
                + " variable, or set AETHERFLOW_PLUGIN_STRICT=false to skip missing plugin paths", e.getMessage());
        assertTrue(assertThrows(PluginSetException.class, () -> LockVerifier.existingPluginPaths(List.of(file),
                java.util.Map.of("AETHERFLOW_PLUGIN_STRICT", "TRUE"), warnings)).getMessage()
                .startsWith("Plugin path is not a directory: " + file));
        assertEquals(List.of(), warnings);

        assertEquals(List.of(plugins), LockVerifier.existingPluginPaths(List.of(missing, plugins),
                java.util.Map.of("AETHERFLOW_PLUGIN_STRICT", "false"), warnings));
        assertEquals(List.of("Plugin path not found: " + missing
                + " (AETHERFLOW_PLUGIN_PATHS); skipped because AETHERFLOW_PLUGIN_STRICT=false"), warnings);
    }
}
