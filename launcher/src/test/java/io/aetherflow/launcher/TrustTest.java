package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launcher.support.Json;
import io.aetherflow.launcher.testapp.TestApplication;
import io.aetherflow.launcher.testapp.TestApplicationActivator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signature verification before install, end to end in-process: real keys (keytool), real
 * signatures (jarsigner), a real installation, lock, trust store and Felix.
 */
class TrustTest {

    @TempDir
    static Path keys;
    @TempDir
    Path home;
    @TempDir
    Path cache;
    @TempDir
    Path work;

    static Path vendor;
    static Path stranger;
    static Path expired;

    private final List<LockedBundle> entries = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void keys() throws Exception {
        vendor = TestSigning.key(keys, "vendor", null, 365);
        stranger = TestSigning.key(keys, "stranger", null, 365);
        expired = TestSigning.key(keys, "expired", "-30d", 10);
    }

    @BeforeEach
    void installation() throws Exception {
        Path app = TestBundles.jar(home.resolve("bundles/engine.jar"), Map.of(
                "Bundle-SymbolicName", "io.aetherflow.core.runtime",
                "Bundle-Version", "0.1.0",
                "Bundle-Activator", TestApplicationActivator.class.getName(),
                "Import-Package", "io.aetherflow.launch;version=\"[2.3,2.4)\", org.osgi.framework"),
                TestApplication.class, TestApplicationActivator.class);
        LockedBundle engine = new LockedBundle("io.aetherflow.core.runtime", "0.1.0", Sha256.ofFile(app),
                "bundles/engine.jar", null);
        entries.add(engine);
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/core-bundles"), TrustPolicy.formatCore(List.of(engine)));
    }

    /** A plugin jar with one class entry, so that a signature covers real content. */
    private Path plugin(String name, String version) throws Exception {
        return TestBundles.jar(work.resolve(name + "-" + version + ".jar"), Map.of("Bundle-SymbolicName", name,
                "Bundle-Version", version), LockDiff.class);
    }

    private void lock(Path jar, String signer) throws Exception {
        Path target = home.resolve("bundles").resolve(jar.getFileName());
        Files.copy(jar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        LockedBundle d = LockTool.describe(target, "bundles/" + jar.getFileName());
        entries.add(new LockedBundle(d.symbolicName(), d.version(), d.sha256(), d.fileName(), signer));
        Files.writeString(home.resolve("plugins.lock"), PluginLock.format(entries, "test"));
    }

    private Map<String, String> env(String mode) {
        Map<String, String> env = new HashMap<>();
        env.put("AETHERFLOW_HOME", home.toString());
        env.put("AETHERFLOW_CACHE_HOME", cache.toString());
        if (mode != null) {
            env.put("AETHERFLOW_MODE", mode);
        }
        return env;
    }

    private int launch(Map<String, String> env, String... args) {
        err.reset();
        out.reset();
        SignalRelay signals = new SignalRelay(new PrintStream(err, true), Duration.ofSeconds(5), code -> { });
        return new Main(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), System.nanoTime(), Duration.ofSeconds(5))
                .launch(engine(args), signals);
    }

    /**
     * The test engine's instructions ({@code exit}, {@code info}, {@code wait}, {@code throw}) as a real
     * command line: {@code exit 7} is {@code run --flow-yaml exit:7}; other command lines stay as they are.
     */
    static List<String> engine(String... args) {
        return List.of("exit", "info", "wait", "throw").contains(args[0])
                ? List.of("run", "--flow-yaml", String.join(":", args)) : List.of(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void trust(Path keyStore) throws Exception {
        String pem = keyStore.toString().replace(".p12", ".pem");
        assertEquals(0, launch(env(null), "trust", "add", pem), stderr());
    }

    @Test
    void trustedSignedPluginIsAcceptedInEnterpriseMode() throws Exception {
        lock(TestSigning.sign(plugin("com.acme.demo", "1.0.0"), vendor, "vendor"), null);
        trust(vendor);
        assertEquals(0, launch(env("enterprise"), "exit", "0"), stderr());
        assertTrue(Files.exists(home.resolve("conf/truststore.p12")));
        assertEquals(0, launch(env("enterprise"), "plugins", "verify"), stderr());
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("com.acme.demo") && report.contains("trusted") && report.contains("CN=vendor"), report);
    }

    @Test
    void unsignedPluginIsRefusedInEnterpriseModeButRunsInInternalFast() throws Exception {
        lock(plugin("com.acme.demo", "1.0.0"), null);
        assertEquals(3, launch(env("enterprise"), "exit", "0"), stderr());
        assertTrue(stderr().contains("aetherflow: bundle com.acme.demo 1.0.0 (bundles/com.acme.demo-1.0.0.jar) refused:"
                + " not signed; enterprise mode requires every plugin to be signed"), stderr());
        assertEquals(1, stderr().strip().lines().count(), stderr());
        assertEquals(0, launch(env(null), "exit", "0"), stderr());
        assertEquals(0, launch(env("internal_fast"), "plugins", "verify"), stderr());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("unsigned"));
    }

    @Test
    void enterpriseModeFromTheInstallationsPolicyFileCannotBeLoosenedByTheEnvironment() throws Exception {
        lock(plugin("com.acme.demo", "1.0.0"), null);
        Files.writeString(home.resolve("conf/trust.properties"), "mode=enterprise\n");
        assertEquals(3, launch(env("internal_fast"), "exit", "0"), stderr());
        assertTrue(stderr().contains("not signed") && stderr().contains("trust.properties"), stderr());
    }

    @Test
    void tamperedJarIsRefusedInEveryMode() throws Exception {
        Path jar = TestSigning.sign(plugin("com.acme.demo", "1.0.0"), vendor, "vendor");
        trust(vendor);
        String entry = LockDiff.class.getName().replace('.', '/') + ".class";
        TestSigning.tamper(jar, entry, "not the signed bytes".getBytes(StandardCharsets.UTF_8));
        lock(jar, null); // the lock matches the tampered bytes: only the signature can tell
        assertEquals(3, launch(env(null), "exit", "0"), stderr());
        assertTrue(stderr().contains("bundle com.acme.demo 1.0.0 (bundles/com.acme.demo-1.0.0.jar) refused: tampered:")
                && stderr().contains("digest error for " + entry), stderr());
    }

    @Test
    void anEntryAddedAfterSigningIsTampering() throws Exception {
        Path jar = TestSigning.sign(plugin("com.acme.demo", "1.0.0"), vendor, "vendor");
        Path extra = work.resolve("extra");
        Files.createDirectories(extra.resolve("com/acme"));
        Files.writeString(extra.resolve("com/acme/Evil.txt"), "added later");
        TestSigning.exec(Path.of(System.getProperty("java.home"), "bin", "jar").toString(), "uf", jar.toString(), "-C",
                extra.toString(), "com/acme/Evil.txt");
        lock(jar, null);
        assertEquals(3, launch(env(null), "exit", "0"), stderr());
        assertTrue(stderr().contains("tampered: entry com/acme/Evil.txt is not covered by the signature"), stderr());
    }

    @Test
    void anEntryRemovedAfterSigningIsTampering() throws Exception {
        Path jar = TestSigning.sign(TestBundles.jar(work.resolve("two.jar"), Map.of("Bundle-SymbolicName", "com.acme.two",
                "Bundle-Version", "1.0.0"), LockDiff.class, Json.class), vendor, "vendor");
        Path copy = work.resolve("copy.jar");
        String removed = Json.class.getName().replace('.', '/') + ".class";
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(jar));
                var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(copy))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null;) {
                if (!e.getName().equals(removed)) {
                    zout.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    in.transferTo(zout);
                    zout.closeEntry();
                }
            }
        }
        Files.move(copy, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        lock(jar, null);
        assertEquals(3, launch(env(null), "exit", "0"), stderr());
        assertTrue(stderr().contains("tampered: entry " + removed + " is in the signed manifest but missing"), stderr());
    }

    @Test
    void jarSignedByAnUntrustedKeyIsRefusedInEnterpriseMode() throws Exception {
        trust(vendor);
        lock(TestSigning.sign(plugin("com.acme.demo", "1.0.0"), stranger, "stranger"), null);
        assertEquals(3, launch(env("enterprise"), "exit", "0"), stderr());
        assertTrue(stderr().contains("refused: untrusted: signed by 'CN=stranger,O=Test Vendor'")
                && stderr().contains("does not chain to a trusted certificate")
                && stderr().contains("aetherflow trust add"), stderr());
    }

    @Test
    void expiredSigningCertificateIsRefusedInEnterpriseMode() throws Exception {
        lock(TestSigning.sign(plugin("com.acme.demo", "1.0.0"), expired, "expired"), null);
        // trust add refuses an expired certificate, so put it in the store directly
        TrustStore store = TrustStore.load(env(null), home);
        store.add("expired", (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
                .getInstance("X.509").generateCertificate(Files.newInputStream(keys.resolve("expired.pem"))));
        store.save();
        assertEquals(3, launch(env("enterprise"), "exit", "0"), stderr());
        assertTrue(stderr().contains("refused: expired: signing certificate 'CN=expired,O=Test Vendor' (or its chain)"
                + " expired on"), stderr());
        assertEquals(3, launch(env(null), "trust", "add", keys.resolve("expired.pem").toString()), stderr());
        assertTrue(stderr().contains("is not valid now"), stderr());
    }

    @Test
    void signerColumnOfTheLockMustMatchInEveryMode() throws Exception {
        Path jar = TestSigning.sign(plugin("com.acme.demo", "1.0.0"), stranger, "stranger");
        String vendorFp = fingerprint(keys.resolve("vendor.pem"));
        lock(jar, vendorFp);
        assertEquals(3, launch(env(null), "exit", "0"), stderr());
        assertTrue(stderr().contains("but the lock expects signer sha256 " + vendorFp), stderr());
    }

    private static String fingerprint(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return JarSignatures.fingerprint((java.security.cert.X509Certificate) java.security.cert.CertificateFactory
                    .getInstance("X.509").generateCertificate(in));
        }
    }

    @Test
    void verdictsAreCachedBySha256AndTrustStoreAndATrustRemovalIsNoticed() throws Exception {
        lock(TestSigning.sign(plugin("com.acme.demo", "1.0.0"), vendor, "vendor"), null);
        trust(vendor);
        assertEquals(0, launch(env("enterprise"), "exit", "0"), stderr());
        Path cacheFile = new CacheDirs(cache).trustVerdicts(home.toRealPath());
        assertTrue(Files.readString(cacheFile).contains(" trusted "), Files.readString(cacheFile));
        // forge nothing: a second start reuses the verdict (same line), a changed trust store re-verifies
        String before = Files.readString(cacheFile);
        assertEquals(0, launch(env("enterprise"), "exit", "0"), stderr());
        assertEquals(before, Files.readString(cacheFile));
        assertEquals(0, launch(env(null), "trust", "remove", "vendor"), stderr());
        assertEquals(3, launch(env("enterprise"), "exit", "0"), stderr());
        assertTrue(stderr().contains("untrusted"), stderr());
        assertFalse(Files.readString(cacheFile).contains(" trusted "));
    }

    @Test
    void trustListShowsTheCertificates() throws Exception {
        trust(vendor);
        assertEquals(0, launch(env(null), "trust", "list", "--json"), stderr());
        String json = out.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"alias\": \"vendor\"") && json.contains(fingerprint(keys.resolve("vendor.pem"))), json);
        assertEquals(3, launch(env(null), "trust", "add", keys.resolve("vendor.pem").toString(), "--alias", "again"));
        assertTrue(stderr().contains("is already trusted as 'vendor'"), stderr());
        assertEquals(0, launch(env(null), "trust", "remove", "vendor"), stderr());
        assertEquals(3, launch(env(null), "trust", "remove", "vendor"));
        assertTrue(stderr().contains("no certificate with alias 'vendor'"), stderr());
        assertEquals(2, launch(env(null), "trust", "frobnicate"));
    }

    @Test
    void wrongTrustStorePasswordIsATrustProblem() throws Exception {
        trust(vendor);
        lock(TestSigning.sign(plugin("com.acme.demo", "1.0.0"), vendor, "vendor"), null);
        Map<String, String> env = env("enterprise");
        env.put("AETHERFLOW_TRUSTSTORE_PASSWORD", "wrong");
        assertEquals(3, launch(env, "exit", "0"), stderr());
        assertTrue(stderr().contains("wrong password (set AETHERFLOW_TRUSTSTORE_PASSWORD)"), stderr());
    }
}
