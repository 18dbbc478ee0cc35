package io.aetherflow.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.connectors.http.HttpConnectorFactory;
import io.aetherflow.connectors.sftp.SftpConnectorFactory;
import io.aetherflow.connectors.sftp.TestSshServer;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import io.aetherflow.testkit.LoopbackServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sftp and rest sources against real peers on loopback (a MINA SSHD server with the SFTP
 * subsystem, the test kit's HTTP server), reached only through the real connectors, with the
 * manifest's resources templated and secrets masked (E31, E33, E35, E40, E21).
 */
class RemoteSourcesTest {

    @TempDir
    Path dir;

    private final StaticPluginCatalog catalog = new StaticPluginCatalog()
            .connector("sftp", "mina", List.of("paramiko"), new SftpConnectorFactory())
            .connector("rest", "http", List.of("httpx"), new HttpConnectorFactory());

    private BundleSync.Result sync(Path manifest, Map<String, String> env) {
        BundleManifest m = ManifestParser.load(manifest);
        return new BundleService(catalog, new HashMap<>(), w -> { }).sync(m, BundleDirs.of(dir.resolve("work"),
                m.bundleId()), env, false);
    }

    @Test
    void sftpSourceListsRecursivelyAndReadsBaseSlashRel() throws Exception {
        Path served = dir.resolve("served");
        Path base = served.resolve("bundles/prod");
        Files.createDirectories(base.resolve("flows/sub"));
        Files.writeString(base.resolve("flows/main.yaml"), "version: 1\n");
        Files.writeString(base.resolve("flows/sub/other.yaml"), "version: 1\n");
        Files.writeString(base.resolve("profiles.yaml"), "{}\n");
        try (TestSshServer server = TestSshServer.start(served, "deploy", "s3cret-pw", null)) {
            Path known = server.writeKnownHosts(dir.resolve("known_hosts"));
            Path m = dir.resolve("m.yaml");
            Files.writeString(m, "bundle:\n  id: prod\n  source: {type: sftp, resource: sftp_main, base_path: /bundles/prod/}\n"
                    + "  layout: {profiles_file: profiles.yaml}\n  entry_flow: flows/main.yaml\n"
                    + "resources:\n  sftp_main:\n    kind: sftp\n    driver: paramiko\n    config:\n"
                    + "      host: 127.0.0.1\n      port: " + server.port() + "\n      user: deploy\n"
                    + "      password: '{{env.BUNDLE_SFTP_PASSWORD}}'\n      known_hosts: " + known + "\n");
            Map<String, String> env = Map.of("BUNDLE_SFTP_PASSWORD", "s3cret-pw");
            BundleSync.Result r = sync(m, env);
            assertTrue(r.changed());
            assertEquals(List.of("flows/main.yaml", "flows/sub/other.yaml", "profiles.yaml"), r.fetchedFiles());
            Path active = r.dirs().active();
            assertEquals("version: 1\n", Files.readString(active.resolve("flows/sub/other.yaml")));
            assertFalse(sync(m, env).changed());
            Files.writeString(base.resolve("profiles.yaml"), "{changed: true}\n");
            assertEquals(List.of("profiles.yaml"), sync(m, env).fetchedFiles());

            UserError bad = assertThrows(UserError.class, () -> sync(m, Map.of("BUNDLE_SFTP_PASSWORD", "wrong-pass-1")));
            assertEquals(ExitCodes.ENVIRONMENT, bad.exitCode());
            assertFalse(bad.getMessage().contains("wrong-pass-1"), bad.getMessage());
            assertTrue(bad.getMessage().startsWith("bundle prod: sync failed: sftp source: listing /bundles/prod/ failed"),
                    bad.getMessage());
        }
    }

    @Test
    void remotePathJoins() {
        assertEquals("BUNDLES:/a/b/c.txt", RemoteFilesSource.join("smb", "BUNDLES:/a/b/", "/c.txt"));
        assertEquals("/a/b/c.txt", RemoteFilesSource.join("smb", "/a/b", "c.txt"));
        assertEquals("/a/b/c.txt", RemoteFilesSource.join("sftp", "/a/b/", "c.txt"));
        assertEquals("BUNDLES:/x/y", RemoteFilesSource.smbJoin("BUNDLES:/x/", "y"));
        assertEquals("BUNDLES:/y", RemoteFilesSource.smbJoin("BUNDLES:/", "y"));
        assertEquals("a/b", RemoteFilesSource.smbJoin("a\\", "b"));
    }

    @Test
    void restSourceImplementsTheDocumentedContract() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("flows/main.yaml", "version: 1\n".getBytes(StandardCharsets.UTF_8));
        files.put("profiles.yaml", "{}\n".getBytes(StandardCharsets.UTF_8));
        Map<String, String> shas = new HashMap<>();
        files.forEach((k, v) -> shas.put(k, Fingerprint.sha256Hex(v)));
        List<String> queries = new ArrayList<>();
        try (LoopbackServer http = LoopbackServer.http()) {
            http.route("/api/list", (ex, n) -> {
                queries.add(ex.getRequestURI().getRawQuery());
                List<Object> list = new ArrayList<>();
                // unsorted on purpose: the source sorts by path
                List<String> names = new ArrayList<>(files.keySet());
                java.util.Collections.reverse(names);
                for (String p : names) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("path", p);
                    f.put("sha256", shas.get(p));
                    f.put("size", files.get(p).length);
                    f.put("mtime", 1733500000.5);
                    list.add(f);
                }
                LoopbackServer.reply(ex, 200, "application/json", Json.write(Map.of("files", list)));
            });
            http.route("/api/fetch", (ex, n) -> {
                Map<String, String> q = query(ex.getRequestURI().getRawQuery());
                byte[] body = files.get(q.get("path"));
                if (body == null || q.get("path").equals("missing.txt") || !"release-7".equals(q.get("bundle"))) {
                    LoopbackServer.reply(ex, 404, "text/plain", "no such asset");
                    return;
                }
                ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                ex.getResponseBody().write(body);
            });
            Path m = dir.resolve("m.yaml");
            Files.writeString(m, "bundle:\n  id: prod\n  source: {type: rest, resource: api, bundle: release-7, base_path: 'fl ows',"
                    + " list_path: /api/list, fetch_path: /api/fetch, prefix_param: pfx}\n"
                    + "  layout: {profiles_file: profiles.yaml}\n  entry_flow: flows/main.yaml\n"
                    + "resources:\n  api: {kind: rest, driver: httpx, config: {base_url: '" + http.base() + "'}}\n");
            BundleSync.Result r = sync(m, Map.of());
            assertTrue(r.changed());
            assertEquals(List.of("flows/main.yaml", "profiles.yaml"), r.fetchedFiles());
            assertEquals("bundle=release-7&pfx=fl+ows", queries.get(0));
            assertEquals("version: 1\n", Files.readString(r.dirs().active().resolve("flows/main.yaml")));
            assertFalse(sync(m, Map.of()).changed());

            // a changed file whose bytes do not match the listed sha256 is refused
            shas.put("profiles.yaml", "0".repeat(64));
            UserError mismatch = assertThrows(UserError.class, () -> sync(m, Map.of()));
            assertTrue(mismatch.getMessage().contains("Checksum mismatch for profiles.yaml: expected=" + "0".repeat(64)
                    + " got=" + Fingerprint.sha256Hex(files.get("profiles.yaml")) + " (source=rest base_path=fl ows)"),
                    mismatch.getMessage());
            assertEquals("{}\n", Files.readString(r.dirs().active().resolve("profiles.yaml")), "the active tree is kept");

            // a fetch error names the file
            shas.put("profiles.yaml", Fingerprint.sha256Hex(files.get("profiles.yaml")));
            files.put("missing.txt", "absent".getBytes(StandardCharsets.UTF_8));
            shas.put("missing.txt", Fingerprint.sha256Hex(files.get("missing.txt")));
            UserError fetch = assertThrows(UserError.class, () -> sync(m, Map.of()));
            assertTrue(fetch.getMessage().contains("Failed to read remote bytes: rel=missing.txt full=missing.txt "
                    + "source=rest base_path=fl ows: IOException: rest source: GET " + http.base()
                    + "/api/fetch answered HTTP 404"), fetch.getMessage());
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
