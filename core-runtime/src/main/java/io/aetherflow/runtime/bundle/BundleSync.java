package io.aetherflow.runtime.bundle;

import io.aetherflow.api.support.FileTrees;
import io.aetherflow.api.support.Json;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.run.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The sync algorithm (catalog §5.4) with a crash-safe publish ({@link BundleStore}): list, hash
 * (strict fingerprint), compare with {@code latest.json}, stage from the cache or the source with
 * checksum verification, check the entry flow, publish, write the snapshot. Syncs of one bundle are
 * serialised by the bundle's lock file.
 *
 * <p>Deliberate difference: with {@code allow_stale}, a failure to reach or list the source falls
 * back to the active tree too (the reference covers only failures after listing).
 */
public final class BundleSync {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a sync did.
     *
     * @param dirs the layout
     * @param fingerprint the active tree's fingerprint ({@code ""} for a stale fallback without one)
     * @param changed whether a new tree was published
     * @param fetchedFiles relative paths read from the source while staging
     */
    public record Result(BundleDirs dirs, String fingerprint, boolean changed, List<String> fetchedFiles) {
    }

    private final BundleManifest manifest;
    private final BundleDirs dirs;
    private final Map<String, String> env;
    private final Consumer<String> warn;
    private final UnaryOperator<String> mask;
    private final Consumer<String> debug;
    private long mark;
    private Path incoming;
    /** Whether every blob under {@link #incoming} has been forced to disk already. */
    private boolean incomingForced;

    /**
     * @param manifest the validated manifest
     * @param dirs the bundle's layout
     * @param env the environment snapshot (test hooks only)
     * @param warn receives warnings (stale fallback)
     * @param mask masks secrets in failure texts
     */
    public BundleSync(BundleManifest manifest, BundleDirs dirs, Map<String, String> env, Consumer<String> warn,
            UnaryOperator<String> mask) {
        this(manifest, dirs, env, warn, mask, null);
    }

    /**
     * @param manifest the validated manifest
     * @param dirs the bundle's layout
     * @param env the environment snapshot (test hooks only)
     * @param warn receives warnings (stale fallback)
     * @param mask masks secrets in failure texts
     * @param debug receives the time each phase took (lock, list, fingerprint, stage, publish), or null
     */
    public BundleSync(BundleManifest manifest, BundleDirs dirs, Map<String, String> env, Consumer<String> warn,
            UnaryOperator<String> mask, Consumer<String> debug) {
        this.manifest = manifest;
        this.dirs = dirs;
        this.env = env;
        this.warn = warn;
        this.mask = mask;
        this.debug = debug;
    }

    /** Reports the time since the previous mark to {@link #debug}. */
    private void phase(String what) {
        if (debug != null) {
            long now = System.nanoTime();
            debug.accept(String.format(java.util.Locale.ROOT, "bundle %s: %s (%.1f ms)", manifest.bundleId(), what,
                    (now - mark) / 1e6));
            mark = now;
        }
    }

    /**
     * Syncs the bundle.
     *
     * @param source opens the source (called with the lock held; failures count as sync failures)
     * @param allowStale fall back to the active tree when the sync fails
     * @return the result
     * @throws UserError exit 4 when the sync fails without a stale fallback
     */
    public Result sync(Supplier<BundleSource> source, boolean allowStale) {
        mark = System.nanoTime();
        try (BundleStore.Held lock = BundleStore.lock(dirs)) {
            phase("sync lock taken");
            Files.createDirectories(dirs.cache());
            Files.createDirectories(dirs.fingerprints());
            String latest = BundleStore.recover(dirs);
            phase("layout checked");
            return locked(source, allowStale, latest);
        } catch (IOException e) {
            throw new UserError(ExitCodes.ENVIRONMENT, "bundle " + manifest.bundleId() + ": cannot use " + dirs.bundleRoot()
                    + ": " + Errors.oneLine(e) + " (check that the work root is writable)", e);
        }
    }

    private Result locked(Supplier<BundleSource> opener, boolean allowStale, String oldFp) throws IOException {
        String newFp = null;
        BundleSource src = null;
        Path staging = null;
        boolean strict = manifest.source().strictFingerprint();
        try {
            src = opener.get();
            phase("source opened");
            List<BundleFile> files = src.list();
            phase("listed " + files.size() + " files");
            if (strict) {
                files = hashAll(src, files);
                phase("hashed " + files.size() + " files (strict_fingerprint)");
            }
            newFp = Fingerprint.of(files);
            phase("fingerprint computed");
            if (!manifest.fetchPolicy().equals("always") && newFp.equals(oldFp) && Files.isDirectory(dirs.active())) {
                publishBlobs();
                phase("unchanged");
                return new Result(dirs, newFp, false, List.of());
            }
            Files.createDirectories(dirs.staged());
            staging = Files.createDirectory(dirs.staged().resolve("bundle_" + random()));
            List<String> fetched = new ArrayList<>();
            Path linkFrom = manifest.fetchPolicy().equals("always") ? null : activeTreeOf(oldFp);
            int[] linked = new int[1];
            List<BundleFile> snapshot = stage(src, files, staging, Snapshots.files(dirs.fingerprints(), oldFp), fetched,
                    linkFrom, linked);
            phase("staged " + files.size() + " files, " + fetched.size() + " read from the source, " + linked[0]
                    + " linked from the active tree");
            String entry = manifest.entryFlow().strip();
            if (!Files.exists(staging.resolve(entry))) {
                throw new SyncFailure("entry_flow not found in bundle: " + entry);
            }
            BundleStore.pause(dirs, env, "staged");
            Files.createDirectories(dirs.trees());
            Path tree = dirs.trees().resolve(newFp + "-" + random());
            Durable.move(staging, tree);
            staging = null;
            BundleStore.pause(dirs, env, "tree");
            Path snap = Snapshots.writeSnapshot(dirs.fingerprints(), manifest.bundleId(), newFp, src.type(), src.basePath(),
                    snapshot, strict);
            // one flush for the tree, the new blobs and the snapshot before the swap makes the tree visible
            Durable.flush(incoming == null ? List.of(tree, snap) : List.of(tree, snap, incoming));
            incomingForced = true;
            phase("forced to disk");
            publishBlobs();
            BundleStore.swap(dirs, tree, env);
            Snapshots.writeLatest(dirs.fingerprints(), newFp);
            phase("published");
            return new Result(dirs, newFp, true, List.copyOf(fetched));
        } catch (Exception e) {
            try {
                publishBlobs();
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            String reason = mask.apply(reason(e));
            writeLastError(src, oldFp, newFp, strict, reason);
            if (staging != null) {
                FileTrees.delete(staging);
            }
            if (allowStale && Files.isDirectory(dirs.active())) {
                warn.accept("Bundle sync failed, using stale active bundle_id=" + manifest.bundleId() + ": " + reason);
                return new Result(dirs, oldFp == null ? "" : oldFp, false, List.of());
            }
            if (e instanceof UserError u && u.exitCode() != ExitCodes.JOB_FAILED) {
                throw new UserError(u.exitCode(), reason, u);
            }
            throw new UserError(ExitCodes.ENVIRONMENT, "bundle " + manifest.bundleId() + ": sync failed: " + reason
                    + " (details in " + dirs.lastError() + "; --allow-stale-bundle runs the last synced tree)", e);
        }
    }

    private List<BundleFile> hashAll(BundleSource src, List<BundleFile> files) throws Exception {
        List<BundleFile> out = new ArrayList<>(files.size());
        for (BundleFile f : files) {
            if (f.hasSha()) {
                out.add(f);
                continue;
            }
            byte[] b = readRemote(src, f.stagedPath());
            String sha = Fingerprint.sha256Hex(b);
            storeBlob(sha, b);
            out.add(f.withSha256(sha));
        }
        return out;
    }

    /**
     * The tree {@code active} links to, when it is the tree of the snapshot {@code oldFp} (so the snapshot
     * says what each of its files holds); null otherwise (no tree, a reference-style directory).
     */
    private Path activeTreeOf(String oldFp) {
        if (oldFp == null || !oldFp.equals(BundleStore.activeFingerprint(dirs))) {
            return null;
        }
        try {
            return dirs.active().toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Puts one unchanged file into the staged tree as a hard link to the active tree's file of the same
     * path, when the old snapshot gives that path the same sha256 and the file still has the snapshot's
     * size: published trees are never modified, so the new tree shares the bytes instead of copying them.
     *
     * @return whether the link was made (else the caller copies the blob)
     */
    private static boolean linkUnchanged(Path activeTree, String rel, BundleFile prev, String sha, Path dest) {
        if (activeTree == null || prev == null || !sha.equals(prev.sha256())) {
            return false;
        }
        try {
            Path from = activeTree.resolve(rel).normalize();
            if (!from.startsWith(activeTree)) {
                return false;
            }
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(from,
                    java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || (prev.size() != null && prev.size() != a.size())) {
                return false;
            }
            Files.createLink(dest, from);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false; // e.g. a file system without hard links: copy from the cache
        }
    }

    private List<BundleFile> stage(BundleSource src, List<BundleFile> files, Path staging, Map<String, BundleFile> old,
            List<String> fetched, Path linkFrom, int[] linked) throws Exception {
        List<BundleFile> snapshot = new ArrayList<>(files.size());
        int half = files.size() / 2;
        int n = 0;
        Path lastParent = null;
        for (BundleFile f : files) {
            String rel = f.stagedPath();
            Path dest = safeChild(staging, rel);
            if (!dest.getParent().equals(lastParent)) {
                Files.createDirectories(dest.getParent());
                lastParent = dest.getParent();
            }
            String sha;
            if (f.hasSha()) {
                sha = f.sha256();
                if (!Files.exists(blob(sha))) {
                    byte[] b = readRemote(src, rel);
                    String got = Fingerprint.sha256Hex(b);
                    if (!got.equals(sha)) {
                        throw new SyncFailure("Checksum mismatch for " + rel + ": expected=" + sha + " got=" + got
                                + " (source=" + src.type() + " base_path=" + src.basePath() + ")");
                    }
                    storeBlob(sha, b);
                    fetched.add(rel);
                }
            } else {
                BundleFile prev = old.containsKey(rel) ? old.get(rel) : old.get(f.relPath());
                sha = null;
                if (prev != null && prev.hasSha() && java.util.Objects.equals(prev.size(), f.size())
                        && Fingerprint.mtimeMillis(prev.mtime()) == Fingerprint.mtimeMillis(f.mtime())
                        && Files.exists(blob(prev.sha256()))) {
                    sha = prev.sha256();
                }
                if (sha == null) {
                    byte[] b = readRemote(src, rel);
                    sha = Fingerprint.sha256Hex(b);
                    storeBlob(sha, b);
                    fetched.add(rel);
                }
            }
            BundleFile prev = old.containsKey(rel) ? old.get(rel) : old.get(f.relPath());
            if (linkUnchanged(linkFrom, rel, prev, sha, dest)) {
                linked[0]++;
            } else {
                Files.copy(blob(sha), dest);
            }
            snapshot.add(f.withSha256(sha));
            if (++n == half) {
                BundleStore.pause(dirs, env, "staging");
            }
        }
        return snapshot;
    }

    private static Path safeChild(Path root, String rel) throws SyncFailure {
        Path p = root.resolve(rel).normalize();
        if (rel.isEmpty() || !p.startsWith(root) || p.equals(root)) {
            throw new SyncFailure("the source lists a path outside the bundle: " + io.aetherflow.runtime.Quote.q(rel));
        }
        return p;
    }

    private byte[] readRemote(BundleSource src, String rel) throws SyncFailure {
        try {
            return src.read(rel);
        } catch (Exception e) {
            throw new SyncFailure("Failed to read remote bytes: rel=" + rel + " full=" + src.fullPath(rel) + " source="
                    + src.type() + " base_path=" + src.basePath() + ": " + Errors.oneLine(e), e);
        }
    }

    /**
     * Stores a blob under its hash. New blobs go to an incoming directory under {@code staged/} first
     * (which the next sync's recovery removes) and reach {@code cache/<sha256>} only after they were
     * forced to disk ({@link #publishBlobs}), so a crash never leaves a blob whose name promises
     * content it does not have.
     */
    private void storeBlob(String sha, byte[] data) throws IOException {
        if (Files.exists(dirs.cache().resolve(sha))) {
            return;
        }
        if (incoming == null) {
            Files.createDirectories(dirs.staged());
            incoming = Files.createDirectory(dirs.staged().resolve("blobs_" + random()));
        }
        Files.write(incoming.resolve(sha), data);
        incomingForced = false;
    }

    /** @return where a stored blob is now */
    private Path blob(String sha) {
        Path b = dirs.cache().resolve(sha);
        return incoming != null && !Files.exists(b) && Files.exists(incoming.resolve(sha)) ? incoming.resolve(sha) : b;
    }

    /**
     * Forces the new blobs to disk (unless that is done) and moves them into the cache. The moves are
     * not forced: a blob whose name a power failure loses is read from the source again.
     */
    private void publishBlobs() throws IOException {
        if (incoming == null) {
            return;
        }
        if (!incomingForced) {
            Durable.syncTree(incoming);
        }
        try (var blobs = Files.list(incoming)) {
            for (Path b : (Iterable<Path>) blobs::iterator) {
                Files.move(b, dirs.cache().resolve(b.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        FileTrees.delete(incoming);
        incoming = null;
    }

    private void writeLastError(BundleSource src, String oldFp, String newFp, boolean strict, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundle_id", manifest.bundleId());
        m.put("source_type", manifest.source().type());
        m.put("base_path", src == null ? manifest.source().basePath() : src.basePath());
        m.put("bundle_manifest", manifest.file().toString());
        m.put("old_fingerprint", oldFp);
        m.put("new_fingerprint", newFp);
        m.put("strict_fingerprint", strict);
        m.put("error", reason);
        m.put("updated_at", Snapshots.utcNowIso());
        try {
            Snapshots.atomicWrite(dirs.lastError(), Json.write(m));
        } catch (IOException e) {
            // best effort, as the reference
        }
    }

    private static String reason(Exception e) {
        return e instanceof SyncFailure || e instanceof UserError || e instanceof BundleSource.ListFailedException
                ? e.getMessage() : Errors.oneLine(e);
    }

    private static String random() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A sync failure whose message is the reference's. */
    static final class SyncFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SyncFailure(String message) {
            super(message);
        }

        SyncFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
