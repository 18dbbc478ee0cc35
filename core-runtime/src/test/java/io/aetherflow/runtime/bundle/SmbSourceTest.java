package io.aetherflow.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.connectors.smb.SmbConnectorFactory;
import io.aetherflow.connectors.smb.TestSambaServer;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smb source against a real Samba {@code smbd} on loopback, reached only through the real smb
 * connector (driver alias {@code smbclient}): sync, an unchanged re-sync, a changed file, status, a
 * {@code SHARE:/} base path, and a wrong password (exit 4, the password in no message) (E32, E33).
 * Skipped, as the connector's own tests, when Samba is not installed or the tests do not run as root.
 */
class SmbSourceTest {

    @TempDir
    static Path samba;
    static TestSambaServer server;
    static final String UNAVAILABLE = TestSambaServer.unavailableReason();

    @TempDir
    Path dir;
    Path base;

    private final StaticPluginCatalog catalog = new StaticPluginCatalog()
            .connector("smb", "smbj", List.of("smbclient", "pysmb"), new SmbConnectorFactory());

    // availability is checked per test, not in @BeforeAll: skipped tests are then counted as skipped
    @BeforeAll
    static void startSamba() throws Exception {
        if (UNAVAILABLE == null) {
            server = new TestSambaServer(samba);
        }
    }

    @AfterAll
    static void stopSamba() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(UNAVAILABLE == null, () -> "skipped: " + UNAVAILABLE);
        base = server.shareDir().resolve("bundles/prod-" + System.nanoTime());
        Files.createDirectories(base.resolve("flows/sub"));
        Files.writeString(base.resolve("flows/main.yaml"), "version: 1\n");
        Files.writeString(base.resolve("flows/sub/other.yaml"), "version: 1\n");
        Files.writeString(base.resolve("profiles.yaml"), "{}\n");
    }

    private Path manifest(String basePath) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, "bundle:\n  id: prod\n  source: {type: smb, resource: share, base_path: '" + basePath + "'}\n"
                + "  layout: {profiles_file: profiles.yaml}\n  entry_flow: flows/main.yaml\n"
                + "resources:\n  share:\n    kind: smb\n    driver: smbclient\n    config:\n"
                + "      server: 127.0.0.1\n      port: " + server.port() + "\n      share: " + TestSambaServer.SHARE + "\n"
                + "      username: " + TestSambaServer.USER + "\n      password: '{{env.BUNDLE_SMB_PASSWORD}}'\n"
                + "    options: {timeout: 10}\n");
        return m;
    }

    private BundleSync.Result sync(Path manifest, String password) {
        BundleManifest m = ManifestParser.load(manifest);
        return new BundleService(catalog, new HashMap<>(), w -> { }).sync(m, dirs(m), Map.of("BUNDLE_SMB_PASSWORD",
                password), false);
    }

    private BundleDirs dirs(BundleManifest m) {
        return BundleDirs.of(dir.resolve("work"), m.bundleId());
    }

    @Test
    void syncsChangesAndReportsStatusFromARealShare() throws Exception {
        String rel = server.shareDir().relativize(base).toString();
        Path m = manifest(rel + "/");
        BundleSync.Result first = sync(m, TestSambaServer.PASSWORD);
        assertTrue(first.changed());
        assertEquals(List.of("flows/main.yaml", "flows/sub/other.yaml", "profiles.yaml"), first.fetchedFiles());
        Path active = first.dirs().active();
        assertEquals("version: 1\n", Files.readString(active.resolve("flows/sub/other.yaml")));

        BundleSync.Result again = sync(m, TestSambaServer.PASSWORD);
        assertFalse(again.changed(), "same sizes and mtimes on the share: unchanged, nothing read");
        assertEquals(first.fingerprint(), again.fingerprint());

        Files.writeString(base.resolve("flows/sub/other.yaml"), "version: 1\n# changed on the share\n");
        BundleSync.Result changed = sync(m, TestSambaServer.PASSWORD);
        assertTrue(changed.changed());
        assertNotEquals(first.fingerprint(), changed.fingerprint());
        assertEquals(List.of("flows/sub/other.yaml"), changed.fetchedFiles(), "the others come from the cache");
        assertEquals("version: 1\n# changed on the share\n", Files.readString(active.resolve("flows/sub/other.yaml")));

        BundleManifest bm = ManifestParser.load(m);
        Map<String, Object> status = BundleService.status(bm, dirs(bm));
        assertEquals(changed.fingerprint(), status.get("fingerprint"));
        assertEquals(true, status.get("has_active"));
        assertEquals(dirs(bm).active().toString(), status.get("active_dir"));
    }

    @Test
    void aShareQualifiedBasePathKeepsItsShare() throws Exception {
        String rel = server.shareDir().relativize(base).toString();
        BundleSync.Result r = sync(manifest(TestSambaServer.SHARE + ":/" + rel), TestSambaServer.PASSWORD);
        assertTrue(r.changed());
        assertEquals(List.of("flows/main.yaml", "flows/sub/other.yaml", "profiles.yaml"), r.fetchedFiles());
        assertEquals("{}\n", Files.readString(r.dirs().active().resolve("profiles.yaml")));
    }

    @Test
    void aWrongPasswordFailsWithExit4AndIsNeverShown() throws Exception {
        Path m = manifest(server.shareDir().relativize(base).toString());
        UserError bad = assertThrows(UserError.class, () -> sync(m, "wrong-smb-pass-1"));
        assertEquals(ExitCodes.ENVIRONMENT, bad.exitCode());
        assertFalse(bad.getMessage().contains("wrong-smb-pass-1"), bad.getMessage());
        assertTrue(bad.getMessage().startsWith("bundle prod: sync failed: smb source: listing "), bad.getMessage());
        String lastError = Files.readString(dirs(ManifestParser.load(m)).bundleRoot().resolve("last_error.json"));
        assertFalse(lastError.contains("wrong-smb-pass-1"), lastError);
    }
}
