package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launch.PluginLoadException;
import io.aetherflow.launch.ShippedPlugins;
import io.aetherflow.launch.TrustMode;
import io.aetherflow.launch.TrustStatus;
import io.aetherflow.launcher.testapp.ServiceActivator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * {@link BundlePlugins} in a real framework: shipped jars join the lazy loader (declared, started when
 * asked for), a second load is a no-op, and every refusal leaves the framework as it was.
 */
class BundlePluginsTest {

    @TempDir
    Path home;
    @TempDir
    Path storage;
    @TempDir
    Path shipped;

    private final List<String> debug = new ArrayList<>();

    private interface Check {
        void run(BundlePlugins loader, LazyPlugins plugins, PluginHost host) throws Exception;
    }

    /** The installation: one locked library bundle, nothing started. */
    private void withHost(Check check) throws Exception {
        Path lib = TestBundles.bundle(home.resolve("bundles/io.lib.jar"), "io.lib", "1.0.0", "Export-Package", "p.lib");
        List<LockedBundle> entries = List.of(new LockedBundle("io.lib", "1.0.0", Sha256.ofFile(lib), "bundles/io.lib.jar", null));
        Path lockFile = Files.writeString(home.resolve("plugins.lock"), PluginLock.format(entries, "test"));
        VerifiedPluginSet set = LockVerifier.verify(home, PluginLock.read(lockFile), List.of(), JarHashes.uncached());
        try (PluginHost host = PluginHost.boot(storage, true, new PrintStream(new ByteArrayOutputStream(), true))) {
            LazyPlugins plugins = new LazyPlugins(host, set, host.prepare(set), PluginIndex.build(set, null, debug::add),
                    JarHashes.uncached(), w -> { }, debug::add, Duration.ofSeconds(2));
            check.run(new BundlePlugins(Map.of(), home, host, plugins, set, debug::add), plugins, host);
        }
    }

    /** A plugin registering a Runnable of kind {@code kind} (declared by an osgi.service capability). */
    private Path plugin(Path file, String bsn, String kind, String imports) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Bundle-SymbolicName", bsn);
        h.put("Bundle-Version", "1.0.0");
        h.put("Bundle-Activator", ServiceActivator.class.getName());
        h.put("Import-Package", imports);
        h.put("X-Kind", kind);
        h.put("Provide-Capability", "osgi.service;objectClass:List<String>=\"java.lang.Runnable\";kind=" + kind);
        return TestBundles.jar(file, h, ServiceActivator.class);
    }

    private ShippedPlugins.Request request(boolean enterprise) {
        return new ShippedPlugins.Request("b1", Path.of("m.yaml"), List.of(shipped), shipped.resolve("plugins.lock"), enterprise);
    }

    /** @return how many asset-bundle copies the framework holds (locked bundles may be installed on demand meanwhile) */
    private static int count(PluginHost host) {
        return (int) java.util.Arrays.stream(host.context().getBundles())
                .filter(b -> b.getLocation().startsWith(PluginHost.COPY_PREFIX)).count();
    }

    @Test
    void aShippedJarIsDeclaredStartedWhenAskedForAndLoadedOnce() throws Exception {
        plugin(shipped.resolve("p.jar"), "io.shipped", "shipped", "org.osgi.framework, p.lib");
        withHost((loader, plugins, host) -> {
            ShippedPlugins.Loaded loaded = loader.load(request(false));
            assertNull(loaded.lockFile());
            assertEquals(TrustMode.INTERNAL_FAST, loaded.trustMode());
            assertEquals("io.shipped", loaded.bundles().get(0).symbolicName());
            assertEquals(shipped.resolve("p.jar").toString(), loaded.bundles().get(0).fileName());
            assertEquals(TrustStatus.UNSIGNED, loaded.trust().get(0).status());
            assertEquals(Set.of("shipped"), plugins.declared(Runnable.class.getName(), "kind"));
            Bundle b = host.context().getBundle(PluginHost.COPY_PREFIX + shipped.resolve("p.jar").toUri());
            assertEquals(Bundle.RESOLVED, b.getState(), "resolved at once, started only when needed");
            assertEquals(Bundle.RESOLVED, host.context().getBundle(home.resolve("bundles/io.lib.jar").toUri().toString()
                    .replaceFirst("^", "reference:")).getState(), "the locked library it imports was installed for it");
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=shipped)"));
            assertEquals(Bundle.ACTIVE, b.getState());
            int n = count(host);
            loader.load(request(false));
            assertEquals(n, count(host), "loading the same jar again installs nothing");
            assertTrue(debug.get(debug.size() - 1).startsWith("asset bundle b1: 1 plugin jars verified, 0 installed"),
                    debug.toString());
        });
        // the framework holds a copy: the next launch on this storage boots quietly after the tree is gone
        Files.delete(shipped.resolve("p.jar"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        ByteArrayOutputStream felixOut = new ByteArrayOutputStream();
        System.setOut(new PrintStream(felixOut, true));
        try (PluginHost again = PluginHost.boot(storage, false, new PrintStream(log, true))) {
            again.install(LockVerifier.verify(home, PluginLock.read(home.resolve("plugins.lock")), List.of(),
                    JarHashes.uncached()));
            assertEquals(2, again.context().getBundles().length, "the copy is removed like any unlocked bundle");
        } finally {
            System.setOut(stdout);
        }
        assertEquals("", log.toString() + felixOut, "no framework error about a missing file");
    }

    @Test
    void refusalsLeaveTheFrameworkAsItWas() throws Exception {
        withHost((loader, plugins, host) -> {
            int n = count(host);
            Path jar = plugin(shipped.resolve("p.jar"), "io.shipped", "shipped", "org.osgi.framework, p.missing");
            String msg = assertThrows(PluginLoadException.class, () -> loader.load(request(false))).getMessage();
            assertTrue(msg.startsWith("asset bundle b1 (m.yaml): plugin set does not resolve: io.shipped 1.0.0"), msg);
            assertEquals(n, count(host), "the unresolvable jar was uninstalled");

            plugin(jar, "io.shipped", "shipped", "org.osgi.framework");
            msg = assertThrows(PluginLoadException.class, () -> loader.load(request(true))).getMessage();
            assertTrue(msg.contains("/p.jar refused: enterprise mode (from bundle manifest m.yaml) loads only jars listed"
                    + " in the bundle's lock, and " + shipped.resolve("plugins.lock") + " does not exist"), msg);

            TestBundles.bundle(shipped.resolve("p.jar"), "io.lib", "1.0.0", "Export-Package", "p.other");
            msg = assertThrows(PluginLoadException.class, () -> loader.load(request(false))).getMessage();
            assertTrue(msg.contains("refused: io.lib 1.0.0 is already installed with other bytes"), msg);
            assertEquals(n, count(host));
            assertEquals(Set.of(), plugins.declared(Runnable.class.getName(), "kind"));
        });
    }

    @Test
    void anEnterpriseRequestWithholdsAnAmbientPluginThatWasNeverInstalled() throws Exception {
        Path ambientDir = Files.createDirectories(home.resolve("ambient"));
        Path amb = plugin(ambientDir.resolve("amb.jar"), "io.ambient", "amb", "org.osgi.framework");
        List<LockedBundle> entries = List.of(new LockedBundle("io.ambient", "1.0.0", Sha256.ofFile(amb), "plugin-path:amb.jar", null));
        Path lockFile = Files.writeString(home.resolve("plugins.lock"), PluginLock.format(entries, "test"));
        VerifiedPluginSet set = LockVerifier.verify(home, PluginLock.read(lockFile), List.of(ambientDir), JarHashes.uncached());
        try (PluginHost host = PluginHost.boot(storage, true, new PrintStream(new ByteArrayOutputStream(), true))) {
            LazyPlugins plugins = new LazyPlugins(host, set, host.prepare(set), PluginIndex.build(set, null, debug::add),
                    JarHashes.uncached(), w -> { }, debug::add, Duration.ofSeconds(2));
            new BundlePlugins(Map.of(), home, host, plugins, set, debug::add).load(request(true));
            String msg = assertThrows(PluginLoadException.class,
                    () -> plugins.load(Runnable.class.getName(), "(kind=amb)")).getMessage();
            assertTrue(msg.startsWith("the service java.lang.Runnable (kind=amb) is declared only by plugin bundle io.ambient"
                    + " 1.0.0, which comes from the ambient AETHERFLOW_PLUGIN_PATHS"), msg);
            assertNull(host.context().getBundle(set.bundles().get(0).location()), "withheld before it was ever installed");
        }
    }

    @Test
    void anEnterpriseRequestWithholdsTheAmbientPlugins() throws Exception {
        Path ambientDir = Files.createDirectories(home.resolve("ambient"));
        Path amb = plugin(ambientDir.resolve("amb.jar"), "io.ambient", "amb", "org.osgi.framework");
        List<LockedBundle> entries = List.of(new LockedBundle("io.ambient", "1.0.0", Sha256.ofFile(amb), "plugin-path:amb.jar", null));
        Path lockFile = Files.writeString(home.resolve("plugins.lock"), PluginLock.format(entries, "test"));
        VerifiedPluginSet set = LockVerifier.verify(home, PluginLock.read(lockFile), List.of(ambientDir), JarHashes.uncached());
        try (PluginHost host = PluginHost.boot(storage, true, new PrintStream(new ByteArrayOutputStream(), true))) {
            LazyPlugins plugins = new LazyPlugins(host, set, host.prepare(set), PluginIndex.build(set, null, debug::add),
                    JarHashes.uncached(), w -> { }, debug::add, Duration.ofSeconds(2));
            BundlePlugins loader = new BundlePlugins(Map.of(), home, host, plugins, set, debug::add);
            loader.load(request(false));
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=amb)"), "internal_fast: the ambient plugin serves");
            List<Bundle> bundles = List.of(host.context().getBundle(set.bundles().get(0).location()));
            assertEquals(Bundle.ACTIVE, bundles.get(0).getState());

            loader.load(request(true));
            assertEquals(Bundle.RESOLVED, bundles.get(0).getState(), "stopped when an enterprise bundle is loaded");
            assertEquals(Set.of(), plugins.declared(Runnable.class.getName(), "kind"));
            String msg = assertThrows(PluginLoadException.class,
                    () -> plugins.load(Runnable.class.getName(), "(kind=amb)")).getMessage();
            assertEquals("the service java.lang.Runnable (kind=amb) is declared only by plugin bundle io.ambient 1.0.0, which"
                    + " comes from the ambient AETHERFLOW_PLUGIN_PATHS (" + ambientDir.resolve("amb.jar") + ") and does not"
                    + " serve asset bundle b1 in enterprise mode (m.yaml): ship the jar in the bundle's plugins dir or a"
                    + " paths.plugins directory and list it in the bundle's plugins.lock", msg);
            plugins.loadAll();
            assertEquals(Bundle.RESOLVED, bundles.get(0).getState(), "loadAll does not start a withheld bundle");
        }
    }
}
