package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aetherflow bundle sync|status} and {@code run --bundle-manifest} as a user runs them: the
 * example, every manifest message with exit 2, crash safety of the publish (kill -9 at named points,
 * then status and a run see one consistent tree), and two syncs at once.
 */
@RunsExamples("bundle")
class BundleIT {

    private static final Pattern FP = Pattern.compile("\"fingerprint\": \"([0-9a-f]{64})\"");

    @TempDir
    Path tmp;

    @Test
    void theExampleSyncsOnceThenIsUnchangedAndRuns() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Aetherflow.Result first = Aetherflow.run(Aetherflow.REPO, env, "bundle", "sync", "--bundle-manifest",
                "examples/bundle/manifest.yaml");
        assertEquals(0, first.exit(), first.toString());
        assertTrue(first.stdout().startsWith("CHANGED: bundle synced to " + tmp.resolve("work/bundles/example-bundle/active")
                + " fingerprint="), first.toString());
        Aetherflow.Result again = Aetherflow.run(Aetherflow.REPO, env, "bundle", "sync", "--bundle-manifest",
                "examples/bundle/manifest.yaml", "--print-local-root");
        assertTrue(again.stdout().startsWith("UNCHANGED: "), again.toString());
        assertTrue(again.stdout().endsWith("\n" + tmp.resolve("work/bundles/example-bundle/active") + "\n"), again.toString());
        Aetherflow.Result status = Aetherflow.run(Aetherflow.REPO, env, "bundle", "status", "--bundle-manifest",
                "examples/bundle/manifest.yaml", "--json");
        assertTrue(status.stdout().contains("\"bundle_id\": \"example-bundle\"") && status.stdout().contains("\"has_active\": true"),
                status.toString());
        Aetherflow.Result run = Aetherflow.run(Aetherflow.REPO, env, "run", "--bundle-manifest", "examples/bundle/manifest.yaml");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.stderr().contains("external_process_stdout message=hello from the example bundle"), run.toString());
        assertTrue(run.stderr().contains("message=This file was synced into the bundle's active tree."), run.toString());
    }

    @Test
    void everyManifestMessageIsExitTwo() throws Exception {
        String ok = "bundle:\n  id: prod\n  source: {type: filesystem, base_path: .}\n"
                + "  layout: {profiles_file: profiles.yaml}\n  entry_flow: flows/main.yaml\n";
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("- a\n", "Bundle manifest must be a YAML mapping (object)");
        bad.put("version: abc\n" + ok, "Invalid manifest version: 'abc'");
        bad.put("version: 2\n" + ok, "Unsupported bundle manifest version: 2");
        bad.put(ok + "  fetch_polciy: always\n", "Unknown bundle keys: bundle.fetch_polciy");
        bad.put("version: 1\n", "manifest.bundle is required and must be a mapping");
        bad.put(ok.replace("id: prod", "id: ''"), "bundle.id is required and must be a non-empty string");
        bad.put("bundle:\n  id: x\n  layout: {profiles_file: p}\n  entry_flow: f\n", "bundle.source is required and must be a mapping");
        bad.put(ok.replace("type: filesystem", "type: ftp"), "Unsupported bundle.source.type: ftp");
        bad.put(ok.replace("type: filesystem", "type: sftp"), "bundle.source.resource is required for source.type=sftp");
        bad.put("mode: 5\n" + ok.replace(", base_path: .", ""), "bundle.source.base_path is required for source.type=filesystem");
        bad.put("mode: 5\n" + ok.replace("  layout: {profiles_file: profiles.yaml}\n", ""), "bundle.layout is required and must be a mapping");
        bad.put(ok.replace("profiles_file: profiles.yaml", "flows_dir: f"), "bundle.layout.profiles_file is required and must be a non-empty string");
        bad.put(ok.replace("profiles_file: profiles.yaml", "profiles_file: p, flows_dir: ''"), "bundle.layout.flows_dir must be a non-empty string when provided");
        bad.put(ok.replace("profiles_file: profiles.yaml", "profiles_file: p, plugins_dir: ''"), "bundle.layout.plugins_dir must be a non-empty string when provided");
        bad.put(ok.replace("  entry_flow: flows/main.yaml\n", ""), "bundle.entry_flow is required and must be a non-empty string");
        bad.put(ok + "  fetch_policy: sometimes\n", "bundle.fetch_policy must be one of: cache_check, always");
        bad.put("resources: [1]\n" + ok, "manifest.resources must be a mapping when provided");
        bad.put("resources: {r: 5}\n" + ok, "manifest.resources.r must be a mapping");
        bad.put("resources: {r: {kind: sftp, driver: mina, profile: p}}\n" + ok, "manifest is bootstrap; profiles not available before sync");
        // unknown keys at every level, and the legacy *_env keys, are reported by the schema, as the reference does
        bad.put("colour: red\n" + ok, "Unknown bundle keys: colour");
        bad.put(ok.replace("base_path: .", "base_path: ., nope: 1"), "Unknown bundle keys: bundle.source.nope");
        bad.put(ok.replace("profiles_file: profiles.yaml", "profiles_file: p, extra: 1"), "Unknown bundle keys: bundle.layout.extra");
        bad.put("resources: {r: {kind: sftp, driver: mina, bogus: 1, config" + "_env: X}}\n" + ok,
                "Unknown bundle keys: resources.r.bogus, resources.r.config" + "_env");
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        int i = 0;
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Path m = Aetherflow.write(tmp.resolve("m" + i++ + ".yaml"), e.getKey());
            String command = i % 2 == 0 ? "sync" : "status";
            Aetherflow.Result r = Aetherflow.run(tmp, env, "bundle", command, "--bundle-manifest", m.toString());
            assertEquals(2, r.exit(), r.toString());
            assertEquals("", r.stdout(), r.toString());
            assertTrue(r.stderr().startsWith("aetherflow: error: bundle manifest " + m) && r.stderr().strip().endsWith(e.getValue())
                    && r.stderr().strip().lines().count() == 1, r.toString());
        }
        for (String command : List.of("run", "validate", "doctor", "explain")) {
            Aetherflow.Result r = Aetherflow.run(tmp, env, command, "--bundle-manifest", tmp.resolve("m3.yaml").toString());
            assertEquals(2, r.exit(), command + ": " + r);
            assertTrue(r.stderr().strip().endsWith("Unknown bundle keys: bundle.fetch_polciy"), command + ": " + r);
        }
    }

    @Test
    void aRunSyncsOnceAndAFailedSyncExitsFourOrRunsTheStaleTree() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp.resolve("work"));
        Path m = versionedBundle("v1");
        Map<String, String> debug = new LinkedHashMap<>(env);
        debug.put("AETHERFLOW_LOG_LEVEL", "DEBUG");
        Aetherflow.Result run = Aetherflow.run(tmp, debug, "run", "--bundle-manifest", m.toString());
        assertEquals(0, run.exit(), run.toString());
        assertEquals(1, run.stderr().lines().filter(l -> l.startsWith("DEBUG aetherflow.core.bundle: bundle crash: listed 402 files ("))
                .count(), "one sync per run (the reference syncs twice): " + run);

        Files.delete(tmp.resolve("src/flows/main.yaml"));
        Aetherflow.Result failed = Aetherflow.run(tmp, env, "bundle", "sync", "--bundle-manifest", m.toString());
        assertEquals(4, failed.exit(), failed.toString());
        Path lastError = tmp.resolve("work/work/bundles/crash/last_error.json");
        assertEquals("aetherflow: error: bundle crash: sync failed: entry_flow not found in bundle: flows/main.yaml (details in "
                + lastError + "; --allow-stale-bundle runs the last synced tree)", failed.stderr().strip());
        assertTrue(Files.readString(lastError).contains("\"error\":\"entry_flow not found in bundle: flows/main.yaml\""));
        Aetherflow.Result refused = Aetherflow.run(tmp, env, "run", "--bundle-manifest", m.toString());
        assertEquals(4, refused.exit(), refused.toString());

        Aetherflow.Result stale = Aetherflow.run(tmp, env, "run", "--bundle-manifest", m.toString(), "--allow-stale-bundle");
        assertEquals(0, stale.exit(), stale.toString());
        assertTrue(stale.stderr().contains("WARNING aetherflow.core.bundle: Bundle sync failed, using stale active bundle_id=crash: "
                + "entry_flow not found in bundle: flows/main.yaml"), stale.toString());
        assertTrue(stale.stderr().contains("external_process_stdout message=v1"), stale.toString());
        Aetherflow.Result staleSync = Aetherflow.run(tmp, env, "bundle", "sync", "--bundle-manifest", m.toString(),
                "--allow-stale-bundle", "--json");
        assertEquals(0, staleSync.exit(), staleSync.toString());
        assertTrue(staleSync.stdout().contains("\"changed\": false"), staleSync.toString());
    }

    /** A bundle of many files whose content is one version string, so a mixed tree is visible. */
    private Path versionedBundle(String version) throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 400; i++) {
            Aetherflow.write(src.resolve("data/d" + (i % 10) + "/f" + i + ".txt"), version + "\n");
        }
        Aetherflow.write(src.resolve("profiles.yaml"), "{}\n");
        Aetherflow.write(src.resolve("flows/main.yaml"), "version: 1\nflow:\n  id: crash\n  workspace: {root: '" + tmp.resolve("ws")
                + "'}\n  state: {path: '" + tmp.resolve("state/af.sqlite") + "'}\njobs:\n  - id: main\n    steps:\n"
                + "      - id: show\n        type: external.process\n        inputs:\n"
                + "          command: [cat, '{{env.AETHERFLOW_ACTIVE_DIR}}/data/d0/f0.txt']\n          log: {stdout: capture}\n");
        return Aetherflow.write(tmp.resolve("manifest.yaml"), "bundle:\n  id: crash\n  source: {base_path: src}\n"
                + "  layout: {profiles_file: profiles.yaml}\n  entry_flow: flows/main.yaml\n");
    }

    private static String fingerprint(Aetherflow.Result r) {
        Matcher m = FP.matcher(r.stdout());
        return m.find() ? m.group(1) : null;
    }

    /** Every data file of the active tree has the same content; returns it. */
    private String treeVersion() throws Exception {
        Path active = tmp.resolve("work/work/bundles/crash/active");
        Set<String> versions = new TreeSet<>();
        try (Stream<Path> files = Files.walk(active.resolve("data"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                versions.add(Files.readString(f).strip());
            }
        }
        assertEquals(1, versions.size(), "a mixed tree: " + versions);
        try (Stream<Path> files = Files.walk(active.resolve("data"))) {
            assertEquals(400, files.filter(Files::isRegularFile).count(), "a partial tree");
        }
        return versions.iterator().next();
    }

    @Test
    void killedSyncsLeaveThePreviousOrTheNewTree() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp.resolve("work"));
        Path m = versionedBundle("v1");
        Aetherflow.Result v1 = Aetherflow.run(tmp, env, "bundle", "sync", "--bundle-manifest", m.toString(), "--json");
        assertEquals(0, v1.exit(), v1.toString());
        String fp1 = fingerprint(v1);
        Path bundleRoot = tmp.resolve("work/work/bundles/crash");
        int n = 2;
        for (String point : List.of("staging", "staged", "tree", "legacy-old", "swapped")) {
            String version = "v" + n++;
            versionedBundle(version);
            String before = treeVersion();
            if (point.equals("legacy-old")) {
                // a work root written by the reference: active/ is a directory
                Path active = bundleRoot.resolve("active");
                Path target = active.toRealPath();
                Files.delete(active);
                new ProcessBuilder("cp", "-a", target.toString(), active.toString()).inheritIO().start().waitFor();
            }
            Map<String, String> paused = new LinkedHashMap<>(env);
            paused.put("AETHERFLOW_BUNDLE_TEST_PAUSE_AT", point);
            Process p = Aetherflow.builder(Aetherflow.HOME, tmp, paused, "bundle", "sync", "--bundle-manifest", m.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("sync-" + point + ".log").toFile()).start();
            Aetherflow.awaitFile(bundleRoot.resolve("paused-" + point), 60);
            p.destroyForcibly().waitFor();
            Files.delete(bundleRoot.resolve("paused-" + point));

            Aetherflow.Result status = Aetherflow.run(tmp, env, "bundle", "status", "--bundle-manifest", m.toString(), "--json");
            assertTrue(status.stdout().contains("\"has_active\": true"), point + ": " + status);
            String after = treeVersion();
            boolean published = point.equals("swapped");
            assertEquals(published ? version : before, after, point);
            assertFalse(Files.exists(bundleRoot.resolve("active.old")), point);
            Aetherflow.Result run = Aetherflow.run(tmp, env, "run", "--bundle-manifest", m.toString());
            assertEquals(0, run.exit(), point + ": " + run);
            assertTrue(run.stderr().contains("external_process_stdout message=" + version), point + ": " + run);
            assertEquals(version, treeVersion());
            Aetherflow.Result st = Aetherflow.run(tmp, env, "bundle", "sync", "--bundle-manifest", m.toString(), "--json");
            assertTrue(st.stdout().contains("\"changed\": false"), point + ": status and tree agree after the run: " + st);
        }
        assertFalse(fp1.isEmpty());
    }

    @Test
    void twoSyncsAtOnceAreSerialised() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp.resolve("work"));
        Path m = versionedBundle("v1");
        Path bundleRoot = tmp.resolve("work/work/bundles/crash");
        // the first holds the lock, paused before its publish; the second waits for it
        Map<String, String> paused = new LinkedHashMap<>(env);
        paused.put("AETHERFLOW_BUNDLE_TEST_PAUSE_AT", "staged");
        Process holder = Aetherflow.builder(Aetherflow.HOME, tmp, paused, "bundle", "sync", "--bundle-manifest", m.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("holder.log").toFile()).start();
        Aetherflow.awaitFile(bundleRoot.resolve("paused-staged"), 60);
        Process waiter = Aetherflow.builder(Aetherflow.HOME, tmp, env, "bundle", "sync", "--bundle-manifest", m.toString())
                .start();
        waiter.getOutputStream().close();
        assertFalse(waiter.waitFor(4, java.util.concurrent.TimeUnit.SECONDS), "the second sync waits for the lock");
        holder.destroyForcibly().waitFor();
        Aetherflow.Result w = Aetherflow.finish(waiter, 120);
        assertEquals(0, w.exit(), w.toString());
        assertTrue(w.stdout().startsWith("CHANGED: "), w.toString());
        assertEquals("v1", treeVersion());

        // and two unpaused ones started together both succeed on one consistent tree
        versionedBundle("v2");
        List<Process> both = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Process p = Aetherflow.builder(Aetherflow.HOME, tmp, env, "bundle", "sync", "--bundle-manifest", m.toString()).start();
            p.getOutputStream().close();
            both.add(p);
        }
        List<String> outs = new ArrayList<>();
        for (Process p : both) {
            Aetherflow.Result r = Aetherflow.finish(p, 120);
            assertEquals(0, r.exit(), r.toString());
            outs.add(r.stdout().substring(0, r.stdout().indexOf(':')));
        }
        outs.sort(null);
        assertEquals(List.of("CHANGED", "UNCHANGED"), outs, "one published, the other found it published");
        assertEquals("v2", treeVersion());
    }

    @Test
    void aPinnedPluginSetIsCheckedBeforeTheRun() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp.resolve("work"));
        Aetherflow.Result version = Aetherflow.run(tmp, env, "version", "--json");
        Matcher h = Pattern.compile("\"plugin_set_hash\": \"([0-9a-f]{64})\"").matcher(version.stdout());
        assertTrue(h.find(), version.toString());
        Path m = versionedBundle("v1");
        String base = Files.readString(m);
        Files.writeString(m, base + "plugins:\n  set_hash: sha256:" + h.group(1)
                + "\n  bundles: {io.aetherflow.steps.process: '[1,2)'}\n");
        Aetherflow.Result ok = Aetherflow.run(tmp, env, "run", "--bundle-manifest", m.toString());
        assertEquals(0, ok.exit(), ok.toString());
        Aetherflow.Result status = Aetherflow.run(tmp, env, "bundle", "status", "--bundle-manifest", m.toString(), "--json");
        assertTrue(status.stdout().contains("\"plugin_set\": {\"pinned_set_hash\": \"" + h.group(1) + "\", "
                + "\"pinned_bundles\": {\"io.aetherflow.steps.process\": \"[1,2)\"}, \"installed_set_hash\": \"" + h.group(1)
                + "\", \"satisfied\": true, \"problems\": []}"), status.toString());
        Aetherflow.Result text = Aetherflow.run(tmp, env, "bundle", "status", "--bundle-manifest", m.toString());
        assertTrue(text.stdout().endsWith("\nplugin_set=pinned satisfied=yes\n"), text.toString());

        Files.writeString(m, base + "plugins:\n  set_hash: '" + "0".repeat(64) + "'\n"
                + "  bundles: {io.nope: 1.0.0, io.aetherflow.steps.process: '[9,10)'}\n");
        Aetherflow.Result refused = Aetherflow.run(tmp, env, "run", "--bundle-manifest", m.toString());
        assertEquals(3, refused.exit(), refused.toString());
        Matcher diff = Pattern.compile("aetherflow: error: bundle crash pins a plugin set this installation does not satisfy: "
                + "plugin set sha256:" + h.group(1).substring(0, 12) + "\\.\\.\\. is not the pinned sha256:000000000000\\.\\.\\.; "
                + "io\\.aetherflow\\.steps\\.process 1\\.[0-9.]+ installed, \\[9,10\\) pinned; missing io\\.nope 1\\.0\\.0 "
                + "\\(install the pinned plugins, or update plugins: in " + Pattern.quote(m.toString()) + "\\)")
                .matcher(refused.stderr().strip());
        assertTrue(diff.matches(), "one line naming each difference: " + refused);
        Aetherflow.Result st = Aetherflow.run(tmp, env, "bundle", "status", "--bundle-manifest", m.toString(), "--json");
        assertTrue(st.stdout().contains("\"satisfied\": false"), st.toString());
        assertTrue(st.stdout().contains("\"pinned_set_hash\": \"" + "0".repeat(64) + "\", \"pinned_bundles\": "
                + "{\"io.aetherflow.steps.process\": \"[9,10)\", \"io.nope\": \"1.0.0\"}, \"installed_set_hash\": \"" + h.group(1)
                + "\", \"satisfied\": false, \"problems\": [\"plugin set sha256:"), st.toString());
        Aetherflow.Result stText = Aetherflow.run(tmp, env, "bundle", "status", "--bundle-manifest", m.toString());
        assertTrue(stText.stdout().contains("\nplugin_set=pinned satisfied=no: plugin set sha256:"), stText.toString());
    }
}
