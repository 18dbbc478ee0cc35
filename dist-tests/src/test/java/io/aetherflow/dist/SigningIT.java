package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The vendor and ops path through the assembled distribution: keytool, jarsigner, trust add,
 * plugins add/verify/list/diff, enterprise mode refusals (exit 3, one line naming the bundle),
 * and an upgrade then rollback whose served-by versions the state store records.
 */
class SigningIT {

    @TempDir
    static Path keys;
    @TempDir
    Path tmp;

    static Path vendor;
    static Path stranger;
    static Path expired;

    private Path home;
    private Map<String, String> env;

    @BeforeAll
    static void vendorKeys() throws Exception {
        vendor = Signing.key(keys, "vendor", null, 365);
        stranger = Signing.key(keys, "stranger", null, 365);
        expired = Signing.key(keys, "expired", "-60d", 30);
    }

    @BeforeEach
    void copyInstallation() throws Exception {
        home = Aetherflow.copyInstallation(tmp);
        env = Aetherflow.installationEnv(tmp);
        env.put("AETHERFLOW_MODE", "enterprise");
    }

    private Result af(String... args) throws Exception {
        return Aetherflow.run(home, tmp, env, args);
    }

    private Path signedPlugin(String version, Path keyStore, String alias) throws Exception {
        return Signing.sign(Signing.plugin(tmp.resolve("vendor/acme-versioned-" + version + ".jar"), version), keyStore,
                alias);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Puts a jar into bundles/ and appends a lock line by hand (what an attacker or a careless admin would do). */
    private void lockByHand(Path jar) throws Exception {
        Path target = home.resolve("bundles").resolve(jar.getFileName());
        Files.copy(jar, target);
        Files.writeString(home.resolve("plugins.lock"), "com.acme.versioned 1.0.0 " + sha256(target) + " bundles/"
                + jar.getFileName() + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    private void assertRefused(Result r, String... parts) {
        assertEquals(3, r.exit(), r.toString());
        for (String p : parts) {
            assertTrue(r.stderr().contains(p), "expected '" + p + "' in:\n" + r.stderr());
        }
    }

    private String run(Path flow, String runId) throws Exception {
        Result r = af("run", "--flow-yaml", flow.toString(), "--run-id", runId);
        assertEquals(0, r.exit(), r.toString());
        Result show = af("runs", "show", runId, "--state", env.get("AF_STATE"));
        assertEquals(0, show.exit(), show.toString());
        return show.stdout();
    }

    @Test
    void trustedPluginIsAddedUpgradedAndRolledBackAndEachRunRecordsItsVersion() throws Exception {
        Result t = af("trust", "add", keys.resolve("vendor.pem").toString(), "--alias", "acme");
        assertEquals(0, t.exit(), t.toString());
        assertTrue(t.stdout().contains("trusted 'acme': CN=vendor,O=Acme Plugins"), t.stdout());
        Path flow = Aetherflow.write(tmp.resolve("flow.yaml"), flow("versioned",
                "  - id: j\n    steps:\n      - id: ask\n        type: acme.version\n"));

        Result add1 = af("plugins", "add", signedPlugin("1.0.0", vendor, "vendor").toString());
        assertEquals(0, add1.exit(), add1.toString());
        Files.copy(home.resolve("plugins.lock"), tmp.resolve("v1.lock"));
        String r1 = run(flow, "r1");
        assertTrue(r1.contains("step ask [acme.version] SUCCESS") && r1.contains("by com.acme.versioned 1.0.0"), r1);

        Result list = af("plugins", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().lines().anyMatch(l -> l.startsWith("com.acme.versioned") && l.contains("trusted")
                && l.contains("CN=vendor,O=Acme Plugins") && l.contains("step:acme.version")), list.stdout());
        assertTrue(list.stdout().contains("Signing mode: enterprise"), list.stdout());

        Result add2 = af("plugins", "add", signedPlugin("2.0.0", vendor, "vendor").toString());
        assertEquals(0, add2.exit(), add2.toString());
        assertTrue(add2.stdout().contains("replaced com.acme.versioned 1.0.0"), add2.stdout());
        assertTrue(run(flow, "r2").contains("by com.acme.versioned 2.0.0"));

        Result diff = af("plugins", "diff", tmp.resolve("v1.lock").toString(), home.resolve("plugins.lock").toString());
        assertEquals(0, diff.exit(), diff.toString());
        assertTrue(diff.stdout().contains("upgraded       com.acme.versioned 1.0.0 -> 2.0.0"), diff.stdout());

        Result rollback = af("plugins", "add", tmp.resolve("vendor/acme-versioned-1.0.0.jar").toString());
        assertEquals(0, rollback.exit(), rollback.toString());
        assertTrue(run(flow, "r3").contains("by com.acme.versioned 1.0.0"));
        // the earlier runs still say what served them
        Result r2 = af("runs", "show", "r2", "--state", env.get("AF_STATE"), "--json");
        assertTrue(r2.stdout().contains("\"served_by\": \"com.acme.versioned 2.0.0\""), r2.stdout());

        Result verify = af("plugins", "verify");
        assertEquals(0, verify.exit(), verify.toString());

        Result remove = af("plugins", "remove", "com.acme.versioned");
        assertEquals(0, remove.exit(), remove.toString());
        Result gone = af("run", "--flow-yaml", flow.toString());
        assertEquals(3, gone.exit(), gone.toString());
    }

    @Test
    void unsignedPluginIsRefusedInEnterpriseModeOnAddAndOnStart() throws Exception {
        Path jar = Signing.plugin(tmp.resolve("vendor/acme-versioned-1.0.0.jar"), "1.0.0");
        assertRefused(af("plugins", "add", jar.toString()), "com.acme.versioned 1.0.0", "refused: not signed",
                "nothing was changed");
        lockByHand(jar);
        assertRefused(af("version"), "aetherflow: bundle com.acme.versioned 1.0.0 (bundles/acme-versioned-1.0.0.jar)"
                + " refused: not signed");
        env.remove("AETHERFLOW_MODE");
        Result fast = af("plugins", "list");
        assertEquals(0, fast.exit(), fast.toString());
        assertTrue(fast.stdout().lines().anyMatch(l -> l.startsWith("com.acme.versioned") && l.contains("unsigned")),
                fast.stdout());
    }

    @Test
    void tamperedJarIsRefused() throws Exception {
        assertEquals(0, af("trust", "add", keys.resolve("vendor.pem").toString()).exit());
        Path jar = Signing.tamper(signedPlugin("1.0.0", vendor, "vendor"), Signing.STEP_CLASS,
                "changed after signing".getBytes(StandardCharsets.UTF_8));
        assertRefused(af("plugins", "add", jar.toString()), "refused: tampered", "digest error for " + Signing.STEP_CLASS);
        lockByHand(jar);
        env.remove("AETHERFLOW_MODE"); // refused in every mode
        assertRefused(af("version"), "bundle com.acme.versioned 1.0.0 (bundles/acme-versioned-1.0.0.jar) refused:"
                + " tampered");
    }

    @Test
    void jarSignedByAnUntrustedKeyIsRefused() throws Exception {
        assertEquals(0, af("trust", "add", keys.resolve("vendor.pem").toString()).exit());
        Path jar = signedPlugin("1.0.0", stranger, "stranger");
        assertRefused(af("plugins", "add", jar.toString()), "refused: untrusted: signed by 'CN=stranger,O=Acme Plugins'");
        lockByHand(jar);
        assertRefused(af("run", "--flow-yaml", "/nonexistent.yaml"), "refused: untrusted");
        Result verify = af("plugins", "verify", "--json");
        assertEquals(3, verify.exit(), verify.toString());
        assertTrue(verify.stdout().contains("\"verdict\": \"untrusted\""), verify.stdout());
    }

    @Test
    void expiredSigningCertificateIsRefused() throws Exception {
        Path jar = signedPlugin("1.0.0", expired, "expired");
        Result t = af("trust", "add", keys.resolve("expired.pem").toString());
        assertRefused(t, "is not valid now");
        // an administrator who trusted it while it was valid: the store still has it
        TrustStoreFiles.add(home.resolve("conf/truststore.p12"), keys.resolve("expired.pem"));
        lockByHand(jar);
        assertRefused(af("version"), "refused: expired: signing certificate 'CN=expired,O=Acme Plugins'");
    }

    @Test
    void wrongSha256InTheLockIsRefused() throws Exception {
        String lock = Files.readString(home.resolve("plugins.lock"));
        String line = lock.lines().filter(l -> l.startsWith("org.snakeyaml.engine")).findFirst().orElseThrow();
        String sha = line.split("\\s+")[2];
        Files.writeString(home.resolve("plugins.lock"), lock.replace(sha, "0".repeat(64)));
        assertRefused(af("version"), "bundle org.snakeyaml.engine 3.2.0 changed", "expects " + "0".repeat(64));
        assertRefused(af("plugins", "verify"), "org.snakeyaml.engine 3.2.0 changed");
    }
}
