package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars an asset bundle ships in its {@code layout.plugins_dir}, on the assembled distribution: the
 * jar (the test vendor's DS bundle providing step type {@code acme.version}, built and signed as in
 * {@link SigningIT}) travels with the bundle and serves the bundle's flow; internal_fast loads it with its
 * verdict in {@code plugins list --bundle-manifest}; enterprise mode loads only a jar that is listed in
 * the bundle's own {@code plugins.lock} and signed by a trusted certificate, and refuses an unsigned, an
 * unlisted, a changed and a tampered jar with exit 3 and one line naming the jar.
 */
class BundlePluginsIT {

    private static final String JAR = "acme-versioned-1.0.0.jar";

    @TempDir
    static Path keys;
    @TempDir
    Path tmp;

    static Path vendor;

    private Path home;
    private Map<String, String> env;

    @BeforeAll
    static void vendorKey() throws Exception {
        vendor = Signing.key(keys, "vendor", null, 365);
    }

    @BeforeEach
    void copyInstallation() throws Exception {
        home = Aetherflow.copyInstallation(tmp);
        env = Aetherflow.installationEnv(tmp);
    }

    private Result af(String... args) throws Exception {
        return Aetherflow.run(home, tmp, env, args);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private Path unsignedJar() throws Exception {
        return Signing.plugin(tmp.resolve("vendor/unsigned/" + JAR), "1.0.0");
    }

    private Path signedJar() throws Exception {
        return Signing.sign(Signing.plugin(tmp.resolve("vendor/signed/" + JAR), "1.0.0"), vendor, "vendor");
    }

    /**
     * A bundle source whose entry flow uses {@code acme.version} (and writes its output to {@code out.txt}),
     * with the jar in {@code plugins/} and, when given, {@code plugins/plugins.lock}.
     *
     * @return the manifest
     */
    private Path bundle(String mode, Path jar, String lock) throws Exception {
        Path src = tmp.resolve("src");
        Aetherflow.write(src.resolve("profiles.yaml"), "{}\n");
        Aetherflow.write(src.resolve("flows/main.yaml"), flow("shipped", "  - id: j\n    steps:\n"
                + "      - id: ask\n        type: acme.version\n"
                + Flows.sh("report", "printf '%s' '{{steps.ask.served}}' > " + tmp.resolve("out.txt"), null)));
        Files.createDirectories(src.resolve("plugins"));
        Files.copy(jar, src.resolve("plugins").resolve(JAR));
        if (lock != null) {
            Aetherflow.write(src.resolve("plugins/plugins.lock"), lock);
        }
        return Aetherflow.write(tmp.resolve("manifest.yaml"), "version: 1\nmode: " + mode + "\nbundle:\n  id: shipped\n"
                + "  source: {base_path: src}\n  layout: {profiles_file: profiles.yaml, plugins_dir: plugins}\n"
                + "  entry_flow: flows/main.yaml\n");
    }

    /**
     * A bundle source whose entry flow uses {@code acme.version} but ships no jar; the manifest's extra lines
     * (e.g. {@code paths:}) follow the bundle.
     *
     * @return the manifest
     */
    private Path bundleWithoutJar(String mode, String lock, String extra) throws Exception {
        Path src = tmp.resolve("src");
        Aetherflow.write(src.resolve("profiles.yaml"), "{}\n");
        Aetherflow.write(src.resolve("flows/main.yaml"), flow("shipped", "  - id: j\n    steps:\n"
                + "      - id: ask\n        type: acme.version\n"
                + Flows.sh("report", "printf '%s' '{{steps.ask.served}}' > " + tmp.resolve("out.txt"), null)));
        if (lock != null) {
            Aetherflow.write(src.resolve("plugins.lock"), lock);
        }
        return Aetherflow.write(tmp.resolve("manifest.yaml"), "version: 1\nmode: " + mode + "\nbundle:\n  id: shipped\n"
                + "  source: {base_path: src}\n  layout: {profiles_file: profiles.yaml}\n"
                + "  entry_flow: flows/main.yaml\n" + extra);
    }

    /** Puts the jar in an ambient AETHERFLOW_PLUGIN_PATHS directory and locks it into the installation's set. */
    private Path ambientPlugin(Path jar) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ambient"));
        Files.copy(jar, dir.resolve(JAR));
        env.put("AETHERFLOW_PLUGIN_PATHS", dir.toString());
        Result lock = af("plugins", "lock");
        assertEquals(0, lock.exit(), lock.toString());
        assertTrue(Files.readString(home.resolve("plugins.lock")).contains(" plugin-path:" + JAR), "locked as plugin-path");
        return dir;
    }

    private static String lockLine(Path jar) throws Exception {
        return "com.acme.versioned 1.0.0 " + sha256(jar) + " " + JAR + "\n";
    }

    private void trustVendor() throws Exception {
        Result t = af("trust", "add", keys.resolve("vendor.pem").toString(), "--alias", "acme");
        assertEquals(0, t.exit(), t.toString());
    }

    private void assertRefused(Result r, String... parts) {
        assertEquals(3, r.exit(), r.toString());
        String err = r.stderr().strip();
        assertTrue(err.lines().filter(l -> l.startsWith("aetherflow: error: ")).count() == 1
                && err.lines().reduce((a, b) -> b).orElse("").startsWith("aetherflow: error: asset bundle shipped ("),
                "one error line naming the bundle: " + r);
        for (String p : parts) {
            assertTrue(err.contains(p), "expected '" + p + "' in:\n" + err);
        }
        assertFalse(Files.exists(tmp.resolve("out.txt")), "the flow ran");
    }

    @Test
    void internalFastLoadsTheShippedJarAndListsItsVerdict() throws Exception {
        Path m = bundle("internal_fast", unsignedJar(), null);
        Result plain = af("run", "--flow-yaml", tmp.resolve("src/flows/main.yaml").toString());
        assertEquals(3, plain.exit(), "without the bundle the step type is unknown: " + plain);
        assertTrue(plain.stderr().contains("acme.version"), plain.toString());

        Result validate = af("validate", "--bundle-manifest", m.toString());
        assertEquals(0, validate.exit(), validate.toString());
        Result run = af("run", "--bundle-manifest", m.toString());
        assertEquals(0, run.exit(), run.toString());
        assertEquals("acme", Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8));

        Result list = af("plugins", "list", "--bundle-manifest", m.toString());
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().contains("Asset bundle plugins: 1 jar (no lock), signing mode internal_fast"), list.stdout());
        assertTrue(list.stdout().lines().anyMatch(l -> l.startsWith("com.acme.versioned") && l.contains("1.0.0")
                && l.contains("unsigned") && l.contains("step:acme.version")), list.stdout());
        Result json = af("plugins", "list", "--bundle-manifest", m.toString(), "--json");
        assertTrue(json.stdout().contains("\"origin\": \"asset-bundle\"") && json.stdout().contains("\"trust\": \"unsigned\"")
                && json.stdout().contains("\"asset_bundle_plugins\": {\"lock_file\": null, "), json.stdout());
        Result installed = af("plugins", "list");
        assertFalse(installed.stdout().contains("com.acme.versioned"), "only with --bundle-manifest: " + installed.stdout());
    }

    @Test
    void internalFastVerifiesAShippedLock() throws Exception {
        Path jar = unsignedJar();
        Path m = bundle("internal_fast", jar, "com.acme.versioned 1.0.0 " + "0".repeat(64) + " " + JAR + "\n");
        assertRefused(af("run", "--bundle-manifest", m.toString()), "bundle com.acme.versioned 1.0.0 changed: ",
                "/plugins/" + JAR + " has sha256 " + sha256(jar) + " but plugins.lock expects " + "0".repeat(64),
                "restore the locked jar or re-lock the plugin set");
    }

    @Test
    void enterpriseLoadsASignedLockedJar() throws Exception {
        trustVendor();
        Path jar = signedJar();
        Path m = bundle("enterprise", jar, lockLine(jar));
        Result run = af("run", "--bundle-manifest", m.toString());
        assertEquals(0, run.exit(), run.toString());
        assertEquals("acme", Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8));
        Result list = af("plugins", "list", "--bundle-manifest", m.toString());
        assertTrue(list.stdout().contains("Asset bundle plugins: 1 jar (lock "), list.stdout());
        assertTrue(list.stdout().contains("plugins/plugins.lock), signing mode enterprise"), list.stdout());
        assertTrue(list.stdout().lines().anyMatch(l -> l.startsWith("com.acme.versioned") && l.contains("trusted")
                && l.contains("CN=vendor,O=Acme Plugins") && l.contains("step:acme.version")), list.stdout());
    }

    @Test
    void enterpriseRefusesAnUnsignedJarEvenWhenLocked() throws Exception {
        trustVendor();
        Path jar = unsignedJar();
        assertRefused(af("run", "--bundle-manifest", bundle("enterprise", jar, lockLine(jar)).toString()),
                "bundle com.acme.versioned 1.0.0 (", "/plugins/" + JAR + ") refused: not signed;",
                "(enterprise mode, from bundle manifest ", "get a signed jar from its vendor");
    }

    @Test
    void enterpriseRefusesASignedJarTheLockDoesNotList() throws Exception {
        trustVendor();
        Path m = bundle("enterprise", signedJar(), "# nothing locked\n");
        assertRefused(af("run", "--bundle-manifest", m.toString()), "/plugins/" + JAR + " is not in the bundle's lock ",
                "enterprise mode (from bundle manifest ", "loads only locked jars");
    }

    @Test
    void enterpriseRefusesAJarWithoutABundleLock() throws Exception {
        trustVendor();
        Path m = bundle("enterprise", signedJar(), null);
        assertRefused(af("run", "--bundle-manifest", m.toString()), "/plugins/" + JAR + " refused: enterprise mode",
                "plugins/plugins.lock does not exist; ship a plugins.lock that lists the jar");
    }

    @Test
    void enterpriseRefusesATamperedJar() throws Exception {
        trustVendor();
        Path jar = Signing.tamper(signedJar(), Signing.STEP_CLASS, "not the vendor's class".getBytes(StandardCharsets.UTF_8));
        // locked with the tampered bytes: the hash matches, the signature does not
        assertRefused(af("run", "--bundle-manifest", bundle("enterprise", jar, lockLine(jar)).toString()),
                "/plugins/" + JAR + ") refused: tampered", "restore the jar from its vendor");
    }

    @Test
    void enterpriseRefusesAJarChangedAfterLocking() throws Exception {
        trustVendor();
        Path jar = signedJar();
        String lock = lockLine(jar);
        Signing.tamper(jar, Signing.STEP_CLASS, "not the vendor's class".getBytes(StandardCharsets.UTF_8));
        assertRefused(af("run", "--bundle-manifest", bundle("enterprise", jar, lock).toString()),
                "bundle com.acme.versioned 1.0.0 changed: ", "but plugins.lock expects " + sha256Of(lock));
    }

    private static String sha256Of(String lockLine) {
        return lockLine.split(" ")[2];
    }

    @Test
    void enterpriseDoesNotServeABundleFromAmbientPluginPaths() throws Exception {
        Path dir = ambientPlugin(unsignedJar());
        Result fast = af("run", "--bundle-manifest", bundleWithoutJar("internal_fast", null, "").toString());
        assertEquals(0, fast.exit(), "internal_fast inherits the ambient plugin paths: " + fast);
        assertEquals("acme", Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8));
        Files.delete(tmp.resolve("out.txt"));

        Result run = af("run", "--bundle-manifest", bundleWithoutJar("enterprise", null, "").toString());
        assertEquals(3, run.exit(), run.toString());
        String err = run.stderr().strip();
        assertEquals(1, err.lines().filter(l -> l.startsWith("aetherflow: ")).count(), "one line: " + run);
        for (String p : new String[] {"the service io.aetherflow.api.step.Step (aetherflow.step.type=acme.version) is"
                + " declared only by plugin bundle com.acme.versioned 1.0.0, which",
                "comes from the ambient AETHERFLOW_PLUGIN_PATHS (" + dir.resolve(JAR) + ")",
                "does not serve asset bundle shipped in enterprise mode (" + tmp.resolve("manifest.yaml"),
                "list it in the bundle's plugins.lock"}) {
            assertTrue(err.contains(p), "expected '" + p + "' in:\n" + err);
        }
        assertFalse(Files.exists(tmp.resolve("out.txt")), "the flow ran");
        Result validate = af("validate", "--bundle-manifest", tmp.resolve("manifest.yaml").toString());
        assertEquals(3, validate.exit(), "validate sees the same plugin set: " + validate);
    }

    @Test
    void enterpriseServesAnAmbientJarThroughPathsPluginsAndTheBundleLock() throws Exception {
        trustVendor();
        Path jar = signedJar();
        Path dir = ambientPlugin(jar);
        String lock = "com.acme.versioned 1.0.0 " + sha256(jar) + " plugin-path:" + JAR + "\n";
        Path m = bundleWithoutJar("enterprise", lock, "paths:\n  plugins: [" + dir + "]\n");
        Result run = af("run", "--bundle-manifest", m.toString());
        assertEquals(0, run.exit(), run.toString());
        assertEquals("acme", Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void aMissingPluginPathEntryOfTheBundleLockNamesTheBundlesPluginDirs() throws Exception {
        Path m = bundle("internal_fast", unsignedJar(), "com.acme.other 1.0.0 " + "0".repeat(64) + " plugin-path:other.jar\n");
        assertRefused(af("run", "--bundle-manifest", m.toString()), "bundle com.acme.other 1.0.0 is missing: none of the"
                + " asset bundle's plugin directories (layout.plugins_dir of " + m + ") holds other.jar (searched: [",
                "ship the jar there or remove the bundle from the bundle's plugins.lock");
        assertFalse(af("run", "--bundle-manifest", m.toString()).stderr().contains("AETHERFLOW_PLUGIN_PATHS"));
    }

    @Test
    void aMissingPathsPluginsDirectoryIsAnErrorUnlessPluginStrictIsFalse() throws Exception {
        trustVendor();
        Path jar = signedJar();
        Path missing = tmp.resolve("no-such-plugins");
        Path m = bundle("enterprise", jar, lockLine(jar));
        Files.writeString(m, Files.readString(m) + "paths:\n  plugins: [" + missing + "]\n");
        assertRefused(af("run", "--bundle-manifest", m.toString()), "Plugin path not found: " + missing
                + " (paths.plugins of " + m + "); create it, remove it from paths.plugins, or set"
                + " AETHERFLOW_PLUGIN_STRICT=false to skip missing plugin paths");

        env.put("AETHERFLOW_PLUGIN_STRICT", "false");
        Result run = af("run", "--bundle-manifest", m.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.stderr().contains("Plugin path not found: " + missing + " (paths.plugins of " + m
                + "); skipped because AETHERFLOW_PLUGIN_STRICT=false"), run.stderr());
        assertEquals("acme", Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8));
    }
}
