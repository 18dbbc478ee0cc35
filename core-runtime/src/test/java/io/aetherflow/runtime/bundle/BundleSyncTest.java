package io.aetherflow.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sync algorithm on a real file system (catalog §5.3–5.7, E13–E30, E36). */
class BundleSyncTest {

    @TempDir
    Path dir;
    Path src;
    Path work;
    final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void bundle() throws Exception {
        src = dir.resolve("src");
        work = dir.resolve("work");
        write("flows/main.yaml", "version: 1\n");
        write("profiles.yaml", "{}\n");
        write("plugins/x.py", "x = 1\n");
    }

    private void write(String rel, String text) throws Exception {
        Path p = src.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private Path manifest(String extraSource, String extraBundle) throws Exception {
        Path m = dir.resolve("manifest.yaml");
        Files.writeString(m, "version: 1\nbundle:\n  id: prod\n  source:\n    type: filesystem\n    base_path: src\n"
                + extraSource + "  layout: {flows_dir: flows, profiles_file: profiles.yaml, plugins_dir: plugins}\n"
                + "  entry_flow: flows/main.yaml\n" + extraBundle);
        return m;
    }

    private BundleSync.Result sync(Path m, boolean allowStale) {
        BundleManifest bm = ManifestParser.load(m);
        return new BundleService(new StaticPluginCatalog(), new HashMap<>(), warnings::add).sync(bm,
                BundleDirs.of(work, bm.bundleId()), Map.of(), allowStale);
    }

    private BundleDirs dirs() {
        return BundleDirs.of(work, "prod");
    }

    private static Object inode(Path p) throws Exception {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    @Test
    void aChangedSyncLinksTheUnchangedFilesOfTheActiveTreeAndCopiesOnlyTheChangedOne() throws Exception {
        Path m = manifest("", "");
        sync(m, false);
        Path before = dirs().active().toRealPath();
        assumeTrue(inode(before.resolve("profiles.yaml")) != null, "no file keys on this file system");
        write("plugins/x.py", "x = 2\n");
        assertTrue(sync(m, false).changed());
        Path after = dirs().active().toRealPath();
        assertNotEquals(before, after);
        assertEquals(inode(before.resolve("profiles.yaml")), inode(after.resolve("profiles.yaml")), "linked, not copied");
        assertEquals(inode(before.resolve("flows/main.yaml")), inode(after.resolve("flows/main.yaml")));
        assertNotEquals(inode(before.resolve("plugins/x.py")), inode(after.resolve("plugins/x.py")));
        assertEquals("x = 1\n", Files.readString(before.resolve("plugins/x.py")), "the previous tree is unchanged");
        assertEquals("x = 2\n", Files.readString(after.resolve("plugins/x.py")));
        Path cacheBlob = dirs().cache().resolve(Fingerprint.sha256Hex("{}\n".getBytes()));
        assertNotEquals(inode(cacheBlob), inode(after.resolve("profiles.yaml")), "the cache never shares a tree's inode");

        // fetch_policy: always re-stages from the cache (the way to repair a damaged tree): nothing linked
        Path always = manifest("", "  fetch_policy: always\n");
        assertTrue(sync(always, false).changed());
        Path restaged = dirs().active().toRealPath();
        assertNotEquals(inode(after.resolve("profiles.yaml")), inode(restaged.resolve("profiles.yaml")));
    }

    @Test
    void syncsThenUnchangedThenOnlyTheChangedFile() throws Exception {
        Path m = manifest("", "");
        BundleSync.Result first = sync(m, false);
        assertTrue(first.changed());
        assertEquals(List.of("flows/main.yaml", "plugins/x.py", "profiles.yaml"), first.fetchedFiles());
        BundleDirs d = dirs();
        assertEquals("x = 1\n", Files.readString(d.active().resolve("plugins/x.py")));
        assertTrue(Files.isSymbolicLink(d.active()), "active is published by one rename of a link");
        Map<?, ?> latest = (Map<?, ?>) Json.parse(Files.readString(d.fingerprints().resolve("latest.json")));
        assertEquals(first.fingerprint(), latest.get("fingerprint"));
        assertEquals(first.fingerprint() + ".json", latest.get("snapshot"));
        Map<?, ?> snap = (Map<?, ?>) Json.parse(Files.readString(d.fingerprints().resolve(first.fingerprint() + ".json")));
        assertEquals(List.of("version", "bundle_id", "fingerprint", "created_at", "source", "files", "strict_fingerprint"),
                List.copyOf(snap.keySet()));
        assertEquals(Map.of("type", "filesystem", "base_path", src.toString()), snap.get("source"));
        assertEquals(3, ((List<?>) snap.get("files")).size());

        BundleSync.Result second = sync(m, false);
        assertFalse(second.changed());
        assertEquals(List.of(), second.fetchedFiles());
        assertEquals(first.fingerprint(), second.fingerprint());

        write("plugins/x.py", "x = 22\n");
        BundleSync.Result third = sync(m, false);
        assertTrue(third.changed());
        assertEquals(List.of("plugins/x.py"), third.fetchedFiles());
        assertEquals("x = 22\n", Files.readString(d.active().resolve("plugins/x.py")));
        write("profiles.yaml", "{a: 1}\n");
        sync(m, false);
        try (Stream<Path> trees = Files.list(d.bundleRoot().resolve("trees"))) {
            assertEquals(2, trees.count(), "the active tree and the one before it are kept");
        }
        try (Stream<Path> blobs = Files.list(d.cache())) {
            assertEquals(5, blobs.count(), "blobs are never pruned");
        }
    }

    @Test
    void alwaysRestagesAndAMissingActiveIsRestagedFromTheCache() throws Exception {
        Path m = manifest("", "  fetch_policy: always\n");
        String fp = sync(m, false).fingerprint();
        BundleSync.Result again = sync(m, false);
        assertTrue(again.changed());
        assertEquals(List.of(), again.fetchedFiles(), "unchanged size and mtime: taken from the cache");
        assertEquals(fp, again.fingerprint());
        Path m2 = manifest("", "");
        Files.delete(dirs().active());
        BundleSync.Result restaged = sync(m2, false);
        assertTrue(restaged.changed());
        assertEquals(List.of(), restaged.fetchedFiles());
        assertTrue(Files.isRegularFile(dirs().active().resolve("flows/main.yaml")));
    }

    @Test
    void strictFingerprintSeesAChangeWithTheSameSizeAndMtime() throws Exception {
        Path m = manifest("    strict_fingerprint: true\n", "");
        Path x = src.resolve("plugins/x.py");
        FileTime t = Files.getLastModifiedTime(x);
        String fp = sync(m, false).fingerprint();
        Files.writeString(x, "x = 2\n");
        Files.setLastModifiedTime(x, t);
        BundleSync.Result r = sync(m, false);
        assertTrue(r.changed());
        assertNotEquals(fp, r.fingerprint());
        assertEquals("x = 2\n", Files.readString(dirs().active().resolve("plugins/x.py")));
        Path plain = manifest("", "");
        Files.writeString(x, "x = 3\n");
        Files.setLastModifiedTime(x, t);
        assertTrue(sync(plain, false).changed(), "the strict snapshot's signatures differ from the plain ones");
        Files.writeString(x, "x = 4\n");
        Files.setLastModifiedTime(x, t);
        assertFalse(sync(plain, false).changed(), "without strict mode, equal size and mtime go unnoticed");
    }

    @Test
    void failureWritesLastErrorKeepsTheActiveTreeAndFallsBackWhenAllowed() throws Exception {
        Path m = manifest("", "");
        String fp = sync(m, false).fingerprint();
        Files.delete(src.resolve("flows/main.yaml"));
        UserError e = assertThrows(UserError.class, () -> sync(m, false));
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
        assertTrue(e.getMessage().contains("entry_flow not found in bundle: flows/main.yaml"), e.getMessage());
        BundleDirs d = dirs();
        Map<?, ?> last = (Map<?, ?>) Json.parse(Files.readString(d.bundleRoot().resolve("last_error.json")));
        assertEquals(List.of("bundle_id", "source_type", "base_path", "bundle_manifest", "old_fingerprint",
                "new_fingerprint", "strict_fingerprint", "error", "updated_at"), List.copyOf(last.keySet()));
        assertEquals(fp, last.get("old_fingerprint"));
        assertEquals("entry_flow not found in bundle: flows/main.yaml", last.get("error"));
        try (Stream<Path> staged = Files.list(d.bundleRoot().resolve("staged"))) {
            assertEquals(0, staged.count(), "the staged tree is removed");
        }
        assertTrue(Files.isRegularFile(d.active().resolve("flows/main.yaml")), "the previous tree stays active");

        BundleSync.Result stale = sync(m, true);
        assertFalse(stale.changed());
        assertEquals(fp, stale.fingerprint());
        assertEquals(List.of("Bundle sync failed, using stale active bundle_id=prod: entry_flow not found in bundle: "
                + "flows/main.yaml"), warnings);
        // a source that cannot be listed is covered by the fallback too (the reference's is not)
        Files.delete(src.resolve("profiles.yaml"));
        Files.delete(src.resolve("plugins/x.py"));
        Files.delete(src.resolve("plugins"));
        Files.delete(src.resolve("flows"));
        Files.delete(src);
        assertFalse(sync(m, true).changed());
        FileTreesHelper.delete(d.bundleRoot().resolve("trees"));
        assertThrows(UserError.class, () -> sync(m, true), "no active tree: nothing to fall back to");
    }

    @Test
    void concurrentSyncsOfOneBundleAreSerialised() throws Exception {
        for (int i = 0; i < 200; i++) {
            write("data/f" + i + ".txt", "file " + i);
        }
        Path m = manifest("", "  fetch_policy: always\n");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<BundleSync.Result>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> sync(m, false)));
            }
            String fp = null;
            for (Future<BundleSync.Result> f : all) {
                BundleSync.Result r = f.get();
                fp = fp == null ? r.fingerprint() : fp;
                assertEquals(fp, r.fingerprint());
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.walk(dirs().active().toRealPath())) {
            assertEquals(203, files.filter(Files::isRegularFile).count());
        }
    }

    /** A work root written by the reference stays valid: same fingerprint, its snapshot reused, then ours. */
    @Test
    void aWorkRootOfTheReferenceStaysValid() throws Exception {
        assumeTrue(ReferencePython.source() != null, "the reference's source is not available here");
        Path m = manifest("", "");
        String pyFp = ReferencePython.run("import sys\nfrom aetherflow.core.bundles import sync_bundle\n"
                + "r = sync_bundle(bundle_manifest=sys.argv[1], work_root=sys.argv[2], env_snapshot={})\n"
                + "print(r.fingerprint)\n", m.toString(), work.toString());
        assertTrue(Files.isDirectory(dirs().active()) && !Files.isSymbolicLink(dirs().active()));
        BundleSync.Result same = sync(m, false);
        assertFalse(same.changed());
        assertEquals(pyFp, same.fingerprint());
        write("plugins/x.py", "x = 333\n");
        BundleSync.Result changed = sync(m, false);
        assertEquals(List.of("plugins/x.py"), changed.fetchedFiles(), "the reference's snapshot is reused");
        assertTrue(Files.isSymbolicLink(dirs().active()));
        assertFalse(Files.exists(dirs().bundleRoot().resolve("active.old")));
        String status = ReferencePython.run("import sys\nfrom aetherflow.core.bundles import bundle_status, sync_bundle\n"
                + "s = bundle_status(bundle_manifest=sys.argv[1], work_root=sys.argv[2], env_snapshot={})\n"
                + "r = sync_bundle(bundle_manifest=sys.argv[1], work_root=sys.argv[2], env_snapshot={})\n"
                + "print(s.fingerprint, s.has_active, r.changed)\n", m.toString(), work.toString());
        assertEquals(changed.fingerprint() + " True False", status);
    }

    /** Deletes trees in the test (the engine's FileTrees). */
    static final class FileTreesHelper {
        static void delete(Path p) throws Exception {
            io.aetherflow.api.support.FileTrees.delete(p);
        }
    }
}
