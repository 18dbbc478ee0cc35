package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launch.PluginLoadException;
import io.aetherflow.launcher.testapp.ServiceActivator;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

class LazyPluginsTest {

    @TempDir
    Path home;
    @TempDir
    Path storage;
    @TempDir
    Path cache;

    private final List<LockedBundle> entries = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> debug = new ArrayList<>();

    private static String component(String kind, String extra) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"c." + kind + "\"" + extra + ">\n"
                + "  <property name=\"kind\" type=\"String\" value=\"" + kind + "\"/>\n"
                + "  <property name=\"rank\" type=\"Integer\" value=\"7\"/>\n"
                + "  <property name=\"aliases\" type=\"String\">\n    x-" + kind + "\n    y-" + kind + "\n  </property>\n"
                + "  <service><provide interface=\"java.lang.Runnable\"/></service>\n"
                + "  <implementation class=\"c.Impl\"/>\n</scr:component>\n";
    }

    /** A bundle jar with manifest headers, resource entries and classes; locked. */
    private void add(String bsn, Map<String, String> resources, String... headers) throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            a.putValue(headers[i], headers[i + 1]);
        }
        String path = "bundles/" + bsn + ".jar";
        Path file = home.resolve(path);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, mf)) {
            for (Map.Entry<String, String> r : resources.entrySet()) {
                jar.putNextEntry(new JarEntry(r.getKey()));
                jar.write(r.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
            if (a.getValue("Bundle-Activator") != null) {
                String name = ServiceActivator.class.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(name));
                try (InputStream in = ServiceActivator.class.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        entries.add(new LockedBundle(bsn, "1.0.0", Sha256.ofFile(file), path, null));
    }

    private void standardSet() throws Exception {
        add("io.scr", Map.of(), "Provide-Capability", "osgi.extender;osgi.extender=\"osgi.component\";version:Version=\"1.5\"");
        add("io.aetherflow.core.runtime", Map.of(), "Import-Package", "p.core");
        add("io.core.lib", Map.of(), "Export-Package", "p.core");
        add("io.plugin.a", Map.of("OSGI-INF/a.xml", component("a", "")),
                "Service-Component", "OSGI-INF/*.xml", "Import-Package", "p.liba, org.osgi.framework",
                "DynamicImport-Package", "p.dyn", "Bundle-Activator", ServiceActivator.class.getName(), "X-Kind", "a",
                "Private-Package", "io.aetherflow.launcher.testapp");
        add("io.lib.a", Map.of(), "Export-Package", "p.liba");
        add("io.dyn", Map.of(), "Export-Package", "p.dyn");
        add("io.plugin.b", Map.of(), "Provide-Capability", "osgi.service;objectClass:List<String>=\"java.lang.Runnable\";kind=b",
                "Import-Package", "org.osgi.framework", "Bundle-Activator", ServiceActivator.class.getName(), "X-Kind", "b");
        add("io.broken", Map.of("OSGI-INF/b.xml", component("broken", "")), "Service-Component", "OSGI-INF/b.xml",
                "Import-Package", "p.missing");
        add("io.disabled", Map.of("OSGI-INF/d.xml", component("off", " enabled=\"false\"")),
                "Service-Component", "OSGI-INF/d.xml");
        add("io.unused", Map.of());
    }

    /** The installed bundles by symbolic name (null: not installed). */
    private interface Bundles {
        Bundle get(String symbolicName);
    }

    private interface Check {
        void run(LazyPlugins plugins, Bundles byName) throws Exception;
    }

    private VerifiedPluginSet set() throws Exception {
        Path lockFile = Files.writeString(home.resolve("plugins.lock"), PluginLock.format(entries, "test"));
        return LockVerifier.verify(home, PluginLock.read(lockFile), List.of(), JarHashes.uncached());
    }

    private void withHost(Check check) throws Exception {
        withHost(true, check);
    }

    /** As the launcher does: the storage's bundles kept, the index built from the jars, nothing else installed. */
    private void withHost(boolean clean, Check check) throws Exception {
        VerifiedPluginSet set = set();
        try (PluginHost host = PluginHost.boot(storage, clean, new PrintStream(log, true))) {
            Map<String, Bundle> cached = host.prepare(set);
            PluginIndex index = PluginIndex.build(set, cache.resolve("index.txt"), debug::add);
            check.run(new LazyPlugins(host, set, cached, index, JarHashes.uncached(), warnings::add, debug::add, Duration.ofMillis(500)), bsn -> {
                for (Bundle b : host.context().getBundles()) {
                    if (bsn.equals(b.getSymbolicName())) {
                        return b;
                    }
                }
                return null;
            });
        }
    }

    private static void assertState(int state, Bundle b) {
        assertEquals(state, b.getState(), b.getSymbolicName());
    }

    @Test
    void startsOnlyTheCoreBundlesUpFront() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            assertEquals(3, plugins.startCore(), "the extender, the engine and the library it is wired to");
            assertState(Bundle.ACTIVE, b.get("io.scr"));
            assertState(Bundle.ACTIVE, b.get("io.aetherflow.core.runtime"));
            assertState(Bundle.ACTIVE, b.get("io.core.lib"));
            assertEquals(Set.of("io.scr", "io.aetherflow.core.runtime", "io.core.lib"), Set.copyOf(plugins.installedNames()),
                    "the plugin bundles are not even installed");
            for (String plugin : List.of("io.plugin.a", "io.lib.a", "io.dyn", "io.plugin.b", "io.broken", "io.unused")) {
                assertNull(b.get(plugin), plugin);
            }
            assertEquals(List.of(), plugins.startedPlugins());
        });
    }

    @Test
    void aDeclaredServiceStartsItsBundleAndTheBundlesItIsWiredToButNotItsDynamicImportExporters() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            plugins.startCore();
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=a)"));
            assertState(Bundle.ACTIVE, b.get("io.plugin.a"));
            assertState(Bundle.ACTIVE, b.get("io.lib.a"));
            // a dynamic import's exporter (a JDBC driver) is installed with the importer, wired on first use, not started
            assertState(Bundle.INSTALLED, b.get("io.dyn"));
            assertNull(b.get("io.plugin.b"));
            assertNull(b.get("io.unused"));
            assertTrue(debug.stream().anyMatch(l -> l.startsWith("installed 3 bundles (io.dyn, io.lib.a, io.plugin.a) in ")),
                    debug.toString());
            assertEquals(Set.of("io.plugin.a", "io.lib.a"), Set.copyOf(plugins.startedPlugins()));
            assertTrue(debug.stream().anyMatch(l -> l.startsWith("started 2 bundles for (&(objectClass=java.lang.Runnable)(kind=a))")),
                    debug.toString());
            // a capability header declares too; a declared array property matches element-wise
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=b)"));
            assertState(Bundle.ACTIVE, b.get("io.plugin.b"));
            assertTrue(plugins.load(Runnable.class.getName(), "(&(aliases=y-a)(rank=7))"), "typed and array properties");
        });
    }

    @Test
    void withABundleWithheldTheDynamicImportExportersAreResolvedSoTheFrameworkPrefersThemButNotStarted() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            plugins.startCore();
            plugins.withhold(Map.of(home.resolve("bundles/io.unused.jar").toUri().toString().replaceFirst("^", "reference:"),
                    "is withheld for the test"));
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=a)"));
            assertState(Bundle.ACTIVE, b.get("io.plugin.a"));
            assertState(Bundle.RESOLVED, b.get("io.dyn"));
            assertEquals(Set.of("io.plugin.a", "io.lib.a"), Set.copyOf(plugins.startedPlugins()));
        });
    }

    @Test
    void nothingDeclaredStartsNothingAndSaysSo() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            plugins.startCore();
            assertFalse(plugins.load(Runnable.class.getName(), "(kind=nobody)"));
            assertFalse(plugins.load(Runnable.class.getName(), "(kind=off)"), "a disabled component declares nothing");
            assertEquals(List.of(), plugins.startedPlugins());
            assertEquals(Set.of("a", "b", "broken"), plugins.declared(Runnable.class.getName(), "kind"));
            assertEquals(Set.of("x-a", "y-a", "x-broken", "y-broken"), plugins.declared(Runnable.class.getName(), "aliases"));
        });
    }

    @Test
    void aNeededBundleThatDoesNotResolveIsOneLineNamingItsRequirement() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            plugins.startCore();
            String msg = assertThrows(PluginLoadException.class,
                    () -> plugins.load(Runnable.class.getName(), "(kind=broken)")).getMessage();
            assertTrue(msg.startsWith("plugin set does not resolve: io.broken 1.0.0 (io.broken.jar): missing requirement"
                    + " osgi.wiring.package; (osgi.wiring.package=p.missing)"), msg);
            assertFalse(msg.contains("\n"), msg);
        });
    }

    @Test
    void theEagerStartInstallsEverythingAndRefusesASetThatDoesNotResolve() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            String msg = assertThrows(PluginSetException.class, plugins::startAllStrictly).getMessage();
            assertTrue(msg.startsWith("plugin set does not resolve: io.broken 1.0.0 (io.broken.jar): missing requirement"), msg);
            assertEquals(10, plugins.installedNames().size(), plugins.installedNames().toString());
            assertState(Bundle.RESOLVED, b.get("io.unused"));
        });
    }

    @Test
    void bundlesInstalledOnDemandStayInTheStorageForTheNextLaunch() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            plugins.startCore();
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=b)"));
        });
        debug.clear();
        withHost(false, (plugins, b) -> {
            assertEquals(Set.of("io.scr", "io.aetherflow.core.runtime", "io.core.lib", "io.plugin.b"),
                    Set.copyOf(plugins.installedNames()));
            plugins.startCore();
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=b)"));
            assertTrue(debug.stream().noneMatch(l -> l.startsWith("installed ")), "nothing to install: " + debug);
            assertEquals(List.of("io.plugin.b"), plugins.startedPlugins());
        });
    }

    @Test
    void aJarChangedAfterTheLaunchVerifiedItIsNotInstalled() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            plugins.startCore();
            Files.write(home.resolve("bundles/io.plugin.b.jar"), new byte[] {'P', 'K', 5, 6}, java.nio.file.StandardOpenOption.APPEND);
            String msg = assertThrows(PluginLoadException.class, () -> plugins.load(Runnable.class.getName(), "(kind=b)"))
                    .getMessage();
            assertTrue(msg.startsWith("bundle io.plugin.b 1.0.0 (bundles/io.plugin.b.jar) changed since the launch verified it"
                    + " (sha256 "), msg);
            assertNull(b.get("io.plugin.b"));
        });
    }

    @Test
    void aFragmentIsInstalledWithItsHost() throws Exception {
        standardSet();
        add("io.frag", Map.of(), "Fragment-Host", "io.plugin.b", "Export-Package", "p.frag");
        withHost((plugins, b) -> {
            plugins.startCore();
            assertNull(b.get("io.frag"));
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=b)"));
            assertState(Bundle.RESOLVED, b.get("io.frag"));
            assertState(Bundle.ACTIVE, b.get("io.plugin.b"));
        });
    }

    @Test
    void whenTheIndexMissesAProviderTheWholeSetIsInstalledAndTheBundleStillStarts() throws Exception {
        standardSet();
        withHost((plugins, b) -> { });
        // an index that names no provider for anything (as if it were incomplete)
        Path file = cache.resolve("index.txt");
        Files.writeString(file, Files.readString(file).replaceAll("(?m)^N .*$", "N"));
        debug.clear();
        withHost((plugins, b) -> {
            plugins.startCore();
            assertTrue(plugins.load(Runnable.class.getName(), "(kind=a)"));
            assertState(Bundle.ACTIVE, b.get("io.lib.a"));
            assertTrue(debug.stream().anyMatch(l -> l.startsWith("installed the whole set to resolve")), debug.toString());
        });
    }

    @Test
    void startingEverythingSkipsAndReportsABundleThatDoesNotResolveOnce() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            plugins.startCore();
            plugins.load(Runnable.class.getName(), "(kind=b)");
            plugins.loadAll();
            plugins.loadAll();
            assertEquals(10, plugins.installedNames().size(), "everything is installed");
            assertState(Bundle.ACTIVE, b.get("io.unused"));
            assertState(Bundle.ACTIVE, b.get("io.plugin.b"));
            assertState(Bundle.INSTALLED, b.get("io.broken"));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("plugin bundle io.broken 1.0.0 (io.broken.jar) does not resolve and is"
                    + " not used: missing requirement osgi.wiring.package; (osgi.wiring.package=p.missing)"), warnings.get(0));
            // at the end, what only the whole-set install brought in leaves the storage; what a lookup needed stays
            assertEquals(6, plugins.trim());
            assertEquals(Set.of("io.scr", "io.aetherflow.core.runtime", "io.core.lib", "io.plugin.b"),
                    Set.copyOf(plugins.installedNames()));
        });
    }

    @Test
    void theIndexIsCachedPerJarDigestAndReadBackTyped() throws Exception {
        standardSet();
        withHost((plugins, b) -> {
            assertTrue(debug.stream().anyMatch(l -> l.startsWith("read the manifests and component descriptors of 10 bundles")),
                    debug.toString());
        });
        Map<String, PluginIndex.Entry> cached = PluginIndex.read(cache.resolve("index.txt"));
        PluginIndex.Declared a = cached.get(entries.get(3).sha256()).declared().get(0);
        assertEquals(List.of("java.lang.Runnable"), a.objectClass());
        assertEquals("a", a.properties().get("kind"));
        assertEquals(7, a.properties().get("rank"));
        assertEquals(List.of("x-a", "y-a"), List.of((String[]) a.properties().get("aliases")));
        assertEquals(Set.of(entries.get(4).sha256()), cached.get(entries.get(3).sha256()).needs(), "io.plugin.a needs io.lib.a");
        assertEquals(Set.of(entries.get(5).sha256()), cached.get(entries.get(3).sha256()).dynamic(), "and may import from io.dyn");
        assertTrue(cached.get(entries.get(0).sha256()).extender());
        assertEquals(List.of(), cached.get(entries.get(8).sha256()).declared(), "the disabled component is not cached either");
        debug.clear();
        withHost((plugins, b) -> {
            assertTrue(debug.stream().noneMatch(l -> l.startsWith("read the manifests")), debug.toString());
            plugins.startCore();
            assertTrue(plugins.load(Runnable.class.getName(), "(&(kind=a)(rank=7))"), "typed from the cache");
        });
    }
}
