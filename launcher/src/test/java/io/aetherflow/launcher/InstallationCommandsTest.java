package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plugins add|remove|lock|diff|verify against a real installation directory and a real Felix resolve. */
class InstallationCommandsTest {

    @TempDir
    static Path keys;
    @TempDir
    Path home;
    @TempDir
    Path cache;
    @TempDir
    Path work;

    static Path vendor;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void keys() throws Exception {
        vendor = TestSigning.key(keys, "vendor", null, 365);
    }

    @BeforeEach
    void installation() throws Exception {
        Path core = TestBundles.bundle(home.resolve("bundles/core-lib-1.0.0.jar"), "com.example.corelib", "1.0.0",
                "Export-Package", "com.example.corelib;version=1.0.0");
        LockedBundle c = LockTool.describe(core, "bundles/core-lib-1.0.0.jar");
        Files.writeString(home.resolve("plugins.lock"), PluginLock.format(List.of(c), "test"));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/core-bundles"), TrustPolicy.formatCore(List.of(c)));
        env.put("AETHERFLOW_HOME", home.toString());
        env.put("AETHERFLOW_CACHE_HOME", cache.toString());
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        Installation inst = Installation.locate(env);
        return new InstallationCommands(env, inst, new CacheDirs(cache), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Instant.now()).run(List.of(args));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String lockText() throws Exception {
        return Files.readString(home.resolve("plugins.lock"));
    }

    private Path jar(String file, String bsn, String version, String... headers) throws Exception {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("Bundle-SymbolicName", bsn);
        h.put("Bundle-Version", version);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return TestBundles.jar(work.resolve(file), h, LockDiff.class);
    }

    @Test
    void addCopiesTheJarAndRewritesTheLock() throws Exception {
        Path j = jar("demo-1.0.0.jar", "com.acme.demo", "1.0.0", "Import-Package", "com.example.corelib");
        assertEquals(0, run("plugins", "add", j.toString()), stderr());
        assertTrue(Files.isRegularFile(home.resolve("bundles/demo-1.0.0.jar")));
        assertTrue(lockText().contains("com.acme.demo") && lockText().contains(Sha256.ofFile(j)), lockText());
        assertTrue(stdout().contains("added com.acme.demo 1.0.0 (bundles/demo-1.0.0.jar, unsigned)"), stdout());
        assertEquals(0, run("plugins", "verify"), stderr());
        // the same jar again is a no-op
        assertEquals(0, run("plugins", "add", j.toString()), stderr());
        assertTrue(stdout().contains("already locked"), stdout());
    }

    @Test
    void addRefusesTheSameNameAndVersionWithOtherBytes() throws Exception {
        assertEquals(0, run("plugins", "add", jar("demo-1.0.0.jar", "com.acme.demo", "1.0.0").toString()), stderr());
        String before = lockText();
        Path other = TestBundles.jar(work.resolve("other/demo-1.0.0.jar"), Map.of("Bundle-SymbolicName", "com.acme.demo",
                "Bundle-Version", "1.0.0", "X-Rebuilt", "yes"), LockDiff.class);
        assertEquals(3, run("plugins", "add", other.toString()));
        assertTrue(stderr().contains("com.acme.demo 1.0.0 is already locked with other bytes")
                && stderr().contains("nothing was changed"), stderr());
        assertEquals(before, lockText());
    }

    @Test
    void addRefusesASetThatDoesNotResolveAndChangesNothing() throws Exception {
        String before = lockText();
        Path j = jar("needy-1.0.0.jar", "com.acme.needy", "1.0.0", "Import-Package", "com.example.nowhere");
        assertEquals(3, run("plugins", "add", j.toString()));
        assertTrue(stderr().contains("plugin set does not resolve: com.acme.needy 1.0.0")
                && stderr().contains("com.example.nowhere") && stderr().contains("nothing was changed"), stderr());
        assertEquals(before, lockText());
        assertFalse(Files.exists(home.resolve("bundles/needy-1.0.0.jar")));
    }

    @Test
    void addRefusesAnUnsignedJarInEnterpriseMode() throws Exception {
        env.put("AETHERFLOW_MODE", "enterprise");
        String before = lockText();
        assertEquals(3, run("plugins", "add", jar("demo-1.0.0.jar", "com.acme.demo", "1.0.0").toString()));
        assertTrue(stderr().contains("refused: not signed"), stderr());
        assertEquals(before, lockText());
    }

    @Test
    void addOfANewVersionReplacesTheOldOneAndRecordsTheSigner() throws Exception {
        assertEquals(0, run("plugins", "add", jar("demo-1.0.0.jar", "com.acme.demo", "1.0.0").toString()), stderr());
        assertEquals(0, run("trust", "add", keys.resolve("vendor.pem").toString()), stderr());
        env.put("AETHERFLOW_MODE", "enterprise");
        Path v2 = TestSigning.sign(jar("demo-2.0.0.jar", "com.acme.demo", "2.0.0"), vendor, "vendor");
        assertEquals(0, run("plugins", "add", v2.toString()), stderr());
        assertTrue(stdout().contains("replaced com.acme.demo 1.0.0"), stdout());
        assertFalse(Files.exists(home.resolve("bundles/demo-1.0.0.jar")));
        PluginLock lock = PluginLock.read(home.resolve("plugins.lock"));
        LockedBundle b = lock.bundles().stream().filter(x -> x.symbolicName().equals("com.acme.demo")).findFirst()
                .orElseThrow();
        assertEquals("2.0.0", b.version());
        assertEquals(TrustStore.load(env, home).entries().get(0).sha256(), b.signerSha256());
        assertEquals(0, run("plugins", "verify"), stderr());
    }

    @Test
    void removeIsRefusedWhileAnotherBundleNeedsIt() throws Exception {
        Path lib = jar("lib-1.0.0.jar", "com.acme.lib", "1.0.0", "Export-Package", "com.acme.lib;version=1.0.0");
        Path app = jar("app-1.0.0.jar", "com.acme.app", "1.0.0", "Import-Package", "com.acme.lib;version=\"[1,2)\"");
        assertEquals(0, run("plugins", "add", lib.toString(), app.toString()), stderr());
        String before = lockText();
        assertEquals(3, run("plugins", "remove", "com.acme.lib"));
        assertTrue(stderr().contains("bundle com.acme.lib 1.0.0 refused: it is needed by com.acme.app 1.0.0 (package"
                + " com.acme.lib)"), stderr());
        assertEquals(before, lockText());
        assertEquals(0, run("plugins", "remove", "com.acme.app@1.0.0"), stderr());
        assertFalse(Files.exists(home.resolve("bundles/app-1.0.0.jar")));
        assertEquals(0, run("plugins", "remove", "com.acme.lib"), stderr());
        assertFalse(lockText().contains("com.acme"), lockText());
        assertEquals(3, run("plugins", "remove", "com.example.corelib"));
        assertTrue(stderr().contains("part of the core distribution"), stderr());
        assertEquals(2, run("plugins", "remove", "com.acme.nothing"));
    }

    @Test
    void lockRegeneratesFromBundlesWithSignersAndRefusesATamperedJar() throws Exception {
        Path signed = TestSigning.sign(jar("demo-1.0.0.jar", "com.acme.demo", "1.0.0"), vendor, "vendor");
        Files.copy(signed, home.resolve("bundles/demo-1.0.0.jar"));
        assertEquals(0, run("plugins", "lock"), stderr());
        assertTrue(stdout().contains("added          com.acme.demo 1.0.0"), stdout());
        PluginLock lock = PluginLock.read(home.resolve("plugins.lock"));
        assertEquals(2, lock.bundles().size());
        assertTrue(lock.bundles().stream().anyMatch(b -> b.signerSha256() != null), lockText());
        String before = lockText();
        TestSigning.tamper(home.resolve("bundles/demo-1.0.0.jar"), LockDiff.class.getName().replace('.', '/') + ".class",
                new byte[] {1, 2, 3});
        assertEquals(3, run("plugins", "lock"));
        assertTrue(stderr().contains("refused: tampered") && stderr().contains("plugins.lock was not changed"), stderr());
        assertEquals(before, lockText());
    }

    @Test
    void lockRepairsABrokenLock() throws Exception {
        Files.writeString(home.resolve("plugins.lock"), "this is not a lock\n");
        assertEquals(0, run("plugins", "lock"), stderr());
        assertEquals(1, PluginLock.read(home.resolve("plugins.lock")).bundles().size());
    }

    @Test
    void diffNamesAddedRemovedUpgradedAndChangedBytes() throws Exception {
        String sha = "a".repeat(64);
        Path a = Files.writeString(work.resolve("a.lock"), "x.one 1.0.0 " + sha + " bundles/one.jar\n"
                + "x.two 1.0.0 " + sha + " bundles/two.jar\n" + "x.three 1.0.0 " + sha + " bundles/three.jar\n");
        Path b = Files.writeString(work.resolve("b.lock"), "x.one 1.1.0 " + sha + " bundles/one2.jar\n"
                + "x.two 1.0.0 " + "b".repeat(64) + " bundles/two.jar\n" + "x.four 2.0.0 " + sha + " bundles/four.jar\n");
        assertEquals(0, run("plugins", "diff", a.toString(), b.toString()), stderr());
        String text = stdout();
        assertTrue(text.contains("added          x.four 2.0.0 (bundles/four.jar)"), text);
        assertTrue(text.contains("upgraded       x.one 1.0.0 -> 1.1.0"), text);
        assertTrue(text.contains("removed        x.three 1.0.0"), text);
        assertTrue(text.contains("changed-bytes  x.two 1.0.0"), text);
        assertTrue(text.contains("4 changes"), text);
        assertEquals(0, run("plugins", "diff", b.toString(), a.toString(), "--json"), stderr());
        assertTrue(stdout().startsWith("{") && stdout().contains("\"change\": \"downgraded\""), stdout());
        assertEquals(2, run("plugins", "diff", a.toString()));
    }

    @Test
    void verifyFailsOnAMissingJar() throws Exception {
        assertEquals(0, run("plugins", "add", jar("demo-1.0.0.jar", "com.acme.demo", "1.0.0").toString()), stderr());
        Files.delete(home.resolve("bundles/demo-1.0.0.jar"));
        assertEquals(3, run("plugins", "verify"));
        assertTrue(stderr().contains("bundle com.acme.demo 1.0.0 is missing"), stderr());
    }
}
