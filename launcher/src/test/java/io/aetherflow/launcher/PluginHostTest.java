package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

class PluginHostTest {

    @TempDir
    Path home;
    @TempDir
    Path storage;

    private final List<LockedBundle> entries = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private void add(String bsn, String version, String... headers) throws Exception {
        String path = "bundles/" + bsn + ".jar";
        Path jar = TestBundles.bundle(home.resolve(path), bsn, version, headers);
        entries.add(new LockedBundle(bsn, version, Sha256.ofFile(jar), path, null));
    }

    private VerifiedPluginSet set() throws Exception {
        Path file = Files.writeString(home.resolve("plugins.lock"), PluginLock.format(entries, "test"));
        return LockVerifier.verify(home, PluginLock.read(file), List.of(), JarHashes.uncached());
    }

    private PluginHost boot(boolean clean) throws Exception {
        return PluginHost.boot(storage, clean, new PrintStream(log, true));
    }

    @Test
    void resolvesAndStartsAWorkingSet() throws Exception {
        add("io.a", "1.0.0", "Export-Package", "p.a;version=1.0");
        add("io.b", "1.0.0", "Import-Package", "p.a;version=\"[1,2)\", io.aetherflow.launch;version=\"[2.3,2.4)\"");
        add("io.frag", "1.0.0", "Fragment-Host", "io.a");
        VerifiedPluginSet set = set();
        try (PluginHost host = boot(true)) {
            List<Bundle> bundles = host.install(set);
            host.resolve(bundles);
            host.start(bundles);
            assertEquals(Bundle.ACTIVE, bundles.get(0).getState());
            assertEquals(Bundle.ACTIVE, bundles.get(1).getState());
            assertEquals(Bundle.RESOLVED, bundles.get(2).getState(), "fragments are attached, not started");
            assertTrue(bundles.get(0).getLocation().startsWith("reference:file:"));
        }
    }

    @Test
    void resolvesInTheCallingThreadAndKeepsTheCoreJarsOpen() throws Exception {
        add("io.a", "1.0.0", "Export-Package", "p.a;version=1.0");
        add("io.b", "1.0.0", "Import-Package", "p.a");
        VerifiedPluginSet set = set();
        try (PluginHost host = boot(true)) {
            List<Bundle> bundles = host.install(set);
            host.resolve(bundles);
            // no resolver thread pool: its threads would cost every launch their start and hand-offs
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                assertTrue(!t.getName().startsWith("FelixResolver"), t.getName());
            }
        }
        java.util.Map<String, String> config = PluginHost.config(storage, false, new PrintStream(log, true));
        assertEquals("1", config.get("felix.resolver.parallelism"));
        // the core bundles (11) and the plugins of a hello run or a validate stay open while they load
        assertTrue(Integer.parseInt(config.get("felix.cache.filelimit")) >= 13, config.get("felix.cache.filelimit"));
    }

    @Test
    void unresolvableSetNamesTheRootCauseBundleAndRequirement() throws Exception {
        add("io.a", "1.0.0", "Export-Package", "p.a;version=1.0");
        add("io.c", "1.0.0", "Import-Package", "p.b");
        add("io.b", "1.0.0", "Import-Package", "p.a, p.missing;version=\"[2,3)\"", "Export-Package", "p.b");
        VerifiedPluginSet set = set();
        try (PluginHost host = boot(true)) {
            List<Bundle> bundles = host.install(set);
            String msg = assertThrows(PluginSetException.class, () -> host.resolve(bundles)).getMessage();
            assertTrue(msg.startsWith("plugin set does not resolve: io.b 1.0.0 (io.b.jar): missing requirement"
                    + " osgi.wiring.package; (&(osgi.wiring.package=p.missing)(version>=2.0.0)(!(version>=3.0.0)))"),
                    msg);
            assertTrue(msg.contains("(2 bundles unresolved)"), msg);
            assertTrue(!msg.contains("\n"), msg);
        }
    }

    @Test
    void jarThatIsNotTheLockedBundleIsRefused() throws Exception {
        add("io.a", "1.0.0");
        VerifiedPluginSet set = set();
        LockedBundle e = set.bundles().get(0).entry();
        VerifiedPluginSet lying = new VerifiedPluginSet(set.lock(), List.of(new VerifiedBundle(
                new LockedBundle("io.other", "1.0.0", e.sha256(), e.fileName(), null), set.bundles().get(0).file())),
                List.of());
        try (PluginHost host = boot(true)) {
            String msg = assertThrows(PluginSetException.class, () -> host.install(lying)).getMessage();
            assertEquals("bundles/io.a.jar is bundle io.a 1.0.0 but the lock names it io.other 1.0.0; re-lock the"
                    + " plugin set", msg);
        }
    }

    /**
     * A storage whose cached bundles point at each other's jars (as a storage written by two launches
     * at once, or by one killed mid-write, can be) is repaired: each location gets its verified jar
     * again instead of the launch failing with "is bundle X but the lock names it Y".
     */
    @Test
    void aDamagedWarmStorageIsRepairedFromTheVerifiedJars() throws Exception {
        add("io.a", "1.0.0");
        add("io.b", "1.0.0");
        VerifiedPluginSet set = set();
        try (PluginHost host = boot(true)) {
            host.install(set);
        }
        List<Path> revisions;
        try (var s = Files.walk(storage)) {
            revisions = s.filter(p -> p.getFileName().toString().equals("revision.location")).sorted().toList();
        }
        assertEquals(2, revisions.size(), revisions.toString());
        String first = Files.readString(revisions.get(0));
        Files.writeString(revisions.get(0), Files.readString(revisions.get(1)));
        Files.writeString(revisions.get(1), first);
        try (PluginHost host = boot(false)) {
            List<Bundle> bundles = host.install(set);
            assertEquals(List.of("io.a", "io.b"), bundles.stream().map(Bundle::getSymbolicName).toList());
            assertEquals(3, host.context().getBundles().length, "system bundle + the two locked ones");
        }
    }

    @Test
    void warmStorageReusesInstalledBundlesAndDropsStrangers() throws Exception {
        add("io.a", "1.0.0");
        add("io.b", "1.0.0");
        VerifiedPluginSet set = set();
        long idA;
        try (PluginHost host = boot(true)) {
            idA = host.install(set).get(0).getBundleId();
            host.context().installBundle("reference:" + TestBundles.bundle(home.resolve("stranger.jar"), "io.s", "1.0.0")
                    .toUri());
        }
        try (PluginHost host = boot(false)) {
            List<Bundle> again = host.install(set);
            assertEquals(idA, again.get(0).getBundleId(), "same bundle from the warm storage");
            assertEquals(3, host.context().getBundles().length, "system bundle + the two locked ones");
        }
    }

    @Test
    void trimsFelixMessages() {
        assertEquals("missing requirement osgi.wiring.package; (osgi.wiring.package=x)",
                PluginHost.trimResolverMessage("Unable to resolve io.b [2](R 2.0): missing requirement [io.b [2](R 2.0)]"
                        + " osgi.wiring.package; (osgi.wiring.package=x) Unresolved requirements: [[io.b [2](R 2.0)]"
                        + " osgi.wiring.package; (osgi.wiring.package=x)]"));
    }
}
