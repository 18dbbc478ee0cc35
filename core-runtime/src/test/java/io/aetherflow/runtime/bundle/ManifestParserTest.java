package io.aetherflow.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.yaml.YamlCache;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every message of catalog §5.1 (E01–E12), exit 2, with the file and line; compared with the reference. */
class ManifestParserTest {

    private static final String OK_BUNDLE = "bundle:\n  id: prod\n  source: {type: filesystem, base_path: .}\n"
            + "  layout: {profiles_file: profiles.yaml}\n  entry_flow: flows/main.yaml\n";

    /** Bad manifests and the reference's message for each. */
    static final Map<String, String> BAD = bad();

    private static Map<String, String> bad() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("- a\n", "Bundle manifest must be a YAML mapping (object)");
        m.put("version: abc\n" + OK_BUNDLE, "Invalid manifest version: 'abc'");
        m.put("version: 2\n" + OK_BUNDLE, "Unsupported bundle manifest version: 2");
        m.put(OK_BUNDLE + "  fetch_polciy: always\n", "Unknown bundle keys: bundle.fetch_polciy");
        m.put("zz: 1\nresources: {r: {kind: sftp, driver: mina, bar: 1}}\n" + OK_BUNDLE,
                "Unknown bundle keys: resources.r.bar, zz");
        m.put("resources: {r: {kind: sftp, driver: mina, config" + "_env: {}}}\n" + OK_BUNDLE,
                "Unknown bundle keys: resources.r.config" + "_env");
        m.put("version: 1\n", "manifest.bundle is required and must be a mapping");
        m.put("bundle:\n  id: ''\n  source: {}\n  layout: {profiles_file: p}\n  entry_flow: f\n",
                "bundle.id is required and must be a non-empty string");
        m.put("bundle:\n  id: x\n  layout: {profiles_file: p}\n  entry_flow: f\n",
                "bundle.source is required and must be a mapping");
        m.put("bundle:\n  id: x\n  source: {type: ftp}\n  layout: {profiles_file: p}\n  entry_flow: f\n",
                "Unsupported bundle.source.type: ftp");
        m.put("bundle:\n  id: x\n  source: {type: sftp, base_path: /b}\n  layout: {profiles_file: p}\n  entry_flow: f\n",
                "bundle.source.resource is required for source.type=sftp");
        m.put("mode: 5\nbundle:\n  id: x\n  source: {type: filesystem}\n  layout: {profiles_file: p}\n  entry_flow: f\n",
                "bundle.source.base_path is required for source.type=filesystem");
        m.put("mode: 5\nbundle:\n  id: x\n  source: {base_path: .}\n  entry_flow: f\n",
                "bundle.layout is required and must be a mapping");
        m.put("bundle:\n  id: x\n  source: {base_path: .}\n  entry_flow: f\n",
                "bundle.layout.profiles_file is required and must be a non-empty string");
        m.put("bundle:\n  id: x\n  source: {base_path: .}\n  layout: {profiles_file: p, flows_dir: ''}\n  entry_flow: f\n",
                "bundle.layout.flows_dir must be a non-empty string when provided");
        m.put("bundle:\n  id: x\n  source: {base_path: .}\n  layout: {profiles_file: p, plugins_dir: ' '}\n  entry_flow: f\n",
                "bundle.layout.plugins_dir must be a non-empty string when provided");
        m.put("bundle:\n  id: x\n  source: {base_path: .}\n  layout: {profiles_file: p}\n",
                "bundle.entry_flow is required and must be a non-empty string");
        m.put(OK_BUNDLE + "  fetch_policy: sometimes\n", "bundle.fetch_policy must be one of: cache_check, always");
        m.put("resources: [1]\n" + OK_BUNDLE, "manifest.resources must be a mapping when provided");
        m.put("resources: {r: 5}\n" + OK_BUNDLE, "manifest.resources.r must be a mapping");
        m.put("resources: {r: {kind: sftp, driver: mina, profile: p}}\n" + OK_BUNDLE,
                "manifest is bootstrap; profiles not available before sync");
        return m;
    }

    @Test
    void everyMessageExitTwoWithFileAndLine() {
        for (Map.Entry<String, String> e : BAD.entrySet()) {
            ManifestException ex = assertThrows(ManifestException.class, () -> parse(e.getKey()), e.getKey());
            assertEquals(e.getValue(), ex.reason(), e.getKey());
            assertEquals(ExitCodes.INVALID, ex.exitCode());
            assertTrue(ex.getMessage().startsWith("bundle manifest m.yaml"), ex.getMessage());
        }
        ManifestException ex = assertThrows(ManifestException.class, () -> parse(OK_BUNDLE + "  fetch_polciy: x\n"));
        assertEquals("bundle manifest m.yaml:6:3: Unknown bundle keys: bundle.fetch_polciy", ex.getMessage());
    }

    /** The reference's validate_bundle_manifest_v1 gives exactly the same message for each. */
    @Test
    void sameMessagesAsTheReference() throws Exception {
        assumeTrue(ReferencePython.source() != null, "the reference's source is not available here");
        List<String> docs = List.copyOf(BAD.keySet());
        StringBuilder sb = new StringBuilder("import sys, yaml, json\n"
                + "from aetherflow.core.bundles import validate_bundle_manifest_v1\n"
                + "out = []\nfor d in json.loads(sys.argv[1]):\n"
                + "    try:\n        validate_bundle_manifest_v1(yaml.safe_load(d), bundle_manifest='m')\n"
                + "        out.append('OK')\n    except ValueError as e:\n        out.append(str(e))\n"
                + "print(json.dumps(out, separators=(\",\", \":\"), ensure_ascii=False))\n");
        String result = ReferencePython.run(sb.toString(), io.aetherflow.api.support.Json.write(docs));
        assertEquals(io.aetherflow.api.support.Json.write(List.copyOf(BAD.values())), result);
    }

    @Test
    void defaultsAndAdditions() {
        BundleManifest m = parse(OK_BUNDLE);
        assertEquals("internal_fast", m.mode());
        assertEquals("cache_check", m.fetchPolicy());
        assertEquals("filesystem", m.source().type());
        assertEquals(Set.of("pyzipper", "zipfile"), m.zipDrivers());
        assertNull(m.pin());
        BundleManifest e = parse("mode: ' Enterprise '\npaths: {plugins: [/opt/a, '', /opt/b]}\nzip_drivers: [os]\n"
                + "env_files: [conf/app.env, {type: json, path: conf/x.json, optional: true}]\n"
                + "plugins: {set_hash: 'sha256:" + "a".repeat(64) + "', bundles: {io.x: 1.2.0}}\n" + OK_BUNDLE
                + "  fetch_policy: ALWAYS\n");
        assertTrue(e.enterprise());
        assertEquals(List.of("/opt/a", "/opt/b"), e.pluginPaths());
        assertEquals(Set.of("os"), e.zipDrivers());
        assertEquals("always", e.fetchPolicy());
        assertEquals(2, e.envFiles().size());
        assertEquals("dotenv", e.envFiles().get(0).type());
        assertTrue(e.envFiles().get(1).optional());
        assertEquals("a".repeat(64), e.pin().setHash());
        assertEquals(Map.of("io.x", "1.2.0"), e.pin().bundles());
        ManifestException unsafe = assertThrows(ManifestException.class,
                () -> parse(OK_BUNDLE.replace("id: prod", "id: ../x")));
        assertTrue(unsafe.getMessage().contains("bundle.id '../x' contains '/'"), unsafe.getMessage());
    }

    /**
     * Through the cache of loaded YAML files (as {@code bundle sync} reads it): the second load is answered by
     * the record and validates to the same manifest, or fails with the same message at the same line; a
     * changed file is parsed again.
     */
    @Test
    void aManifestReadThroughTheYamlCacheValidatesAsParsed(@TempDir Path dir) throws Exception {
        YamlCache cache = YamlCache.in(dir.resolve("cache"), "0123456789abcdef");
        Path file = dir.resolve("bundle.yaml");
        Files.writeString(file, "paths: {plugins: [/opt/a]}\n" + OK_BUNDLE);
        BundleManifest parsed = ManifestParser.load(file, cache);
        try (var records = Files.list(dir.resolve("cache").resolve("flow-cache").resolve("0123456789abcdef"))) {
            assertEquals(1, records.count(), "one record for the manifest");
        }
        BundleManifest cached = ManifestParser.load(file, cache);
        assertEquals(parsed, cached);
        assertEquals(ManifestParser.load(file), cached);
        assertEquals("prod", cached.bundleId());
        assertEquals(List.of("/opt/a"), cached.pluginPaths());

        Files.writeString(file, OK_BUNDLE + "  fetch_polciy: x\n");
        String expected = "bundle manifest " + file + ":6:3: Unknown bundle keys: bundle.fetch_polciy";
        for (int i = 0; i < 2; i++) {
            ManifestException ex = assertThrows(ManifestException.class, () -> ManifestParser.load(file, cache));
            assertEquals(expected, ex.getMessage(), "load " + (i + 1));
        }
    }

    private static BundleManifest parse(String text) {
        return ManifestParser.parse(YamlLoader.loadString(text, "m.yaml"), Path.of("m.yaml"));
    }
}
