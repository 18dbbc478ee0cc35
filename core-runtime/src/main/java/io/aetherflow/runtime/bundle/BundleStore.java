package io.aetherflow.runtime.bundle;

import io.aetherflow.api.support.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The crash-safe part of a sync: the lock that serialises syncs of one bundle (a {@link FileLock} on
 * {@code sync.lock}, plus an in-process lock because a JVM cannot hold two file locks on one file),
 * recovery of what a killed sync left, and the swap of {@code active}.
 *
 * <p>A new tree is built under {@code staged/}, forced to disk, renamed into {@code trees/<fingerprint>-<n>},
 * and published by renaming a fresh symbolic link over {@code active}: one atomic rename, so a reader
 * (and a crash at any instant) sees the previous tree or the new one, never a mix. The tree that was
 * active before stays until the next swap, so a run that resolved it keeps its files.
 */
final class BundleStore {

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** Test hook: the sync pauses at this named point (for the crash-safety tests). */
    static final String PAUSE_VAR = "AETHERFLOW_BUNDLE_TEST_PAUSE_AT";

    private BundleStore() {
    }

    /** A held sync lock. */
    static final class Held implements AutoCloseable {
        private final ReentrantLock local;
        private final FileChannel channel;
        private final FileLock lock;

        private Held(ReentrantLock local, FileChannel channel, FileLock lock) {
            this.local = local;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // closing the channel releases the lock in any case
            } finally {
                local.unlock();
            }
        }
    }

    /**
     * Takes the bundle's sync lock, waiting for another sync (another process or thread) to finish.
     *
     * @param d the layout (its bundle root is created)
     * @return the held lock
     * @throws IOException when the lock file cannot be opened
     */
    static Held lock(BundleDirs d) throws IOException {
        Files.createDirectories(d.bundleRoot());
        ReentrantLock local = IN_PROCESS.computeIfAbsent(d.lockFile().toAbsolutePath().normalize(),
                p -> new ReentrantLock());
        local.lock();
        try {
            FileChannel ch = FileChannel.open(d.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new Held(local, ch, ch.lock());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /**
     * Takes the lock only if it is free.
     *
     * @param d the layout
     * @return the held lock, or null when a sync holds it (or the bundle root does not exist)
     */
    static Held tryLock(BundleDirs d) {
        if (!Files.isDirectory(d.bundleRoot())) {
            return null;
        }
        ReentrantLock local = IN_PROCESS.computeIfAbsent(d.lockFile().toAbsolutePath().normalize(),
                p -> new ReentrantLock());
        if (!local.tryLock()) {
            return null;
        }
        try {
            FileChannel ch = FileChannel.open(d.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                local.unlock();
                return null;
            }
            return new Held(local, ch, l);
        } catch (IOException | RuntimeException e) {
            local.unlock();
            return null;
        }
    }

    /**
     * Repairs what a killed sync left (call with the lock held): a reference-style {@code active}
     * directory caught in its swap is put back, half-built trees and blobs not yet published (both
     * under {@code staged/}) are removed, and {@code latest.json} is made to name the fingerprint of
     * the tree {@code active} points to. Reads only the bundle root and {@code fingerprints/latest.json}
     * (never the cache, which holds a file per blob).
     *
     * @param d the layout
     * @return the latest fingerprint after the repair, or null (none)
     * @throws IOException when the repair fails
     */
    static String recover(BundleDirs d) throws IOException {
        Path old = d.activeOld();
        if (!Files.exists(d.active(), LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
            Durable.rename(old, d.active());
        } else if (Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
            FileTrees.delete(old);
        }
        FileTrees.delete(d.staged());
        try (DirectoryStream<Path> links = Files.newDirectoryStream(d.bundleRoot(),
                p -> p.getFileName().toString().startsWith(".active-"))) {
            for (Path p : links) {
                Files.deleteIfExists(p);
            }
        }
        String latest = Snapshots.latest(d.fingerprints());
        String fp = activeFingerprint(d);
        if (fp != null && !fp.equals(latest) && Files.isRegularFile(d.fingerprints().resolve(fp + ".json"))) {
            Snapshots.writeLatest(d.fingerprints(), fp);
            return fp;
        }
        return latest;
    }

    /**
     * @param d the layout
     * @return the fingerprint in the name of the tree {@code active} links to, or null (no link)
     */
    static String activeFingerprint(BundleDirs d) {
        try {
            if (!Files.isSymbolicLink(d.active())) {
                return null;
            }
            String name = Files.readSymbolicLink(d.active()).getFileName().toString();
            int dash = name.indexOf('-');
            return dash == 64 ? name.substring(0, dash) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Publishes a finished tree as {@code active} and removes trees older than the one it replaces.
     *
     * @param d the layout
     * @param tree a finished tree under {@code trees/}
     * @param env the environment (test pause hook)
     * @throws IOException when the swap fails (the previous tree is then still active)
     */
    static void swap(BundleDirs d, Path tree, Map<String, String> env) throws IOException {
        Path previous = Files.isSymbolicLink(d.active()) ? d.bundleRoot().resolve(Files.readSymbolicLink(d.active()))
                .normalize() : null;
        Path link = d.bundleRoot().resolve(".active-" + tree.getFileName());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, d.bundleRoot().relativize(tree));
        if (Files.isDirectory(d.active(), LinkOption.NOFOLLOW_LINKS)) {
            // a work root written by the reference: its active/ is a directory, which a rename cannot replace
            Durable.rename(d.active(), d.activeOld());
            pause(d, env, "legacy-old");
            Durable.rename(link, d.active());
            FileTrees.delete(d.activeOld());
        } else {
            Durable.rename(link, d.active());
        }
        pause(d, env, "swapped");
        try (DirectoryStream<Path> trees = Files.newDirectoryStream(d.trees())) {
            for (Path t : trees) {
                Path n = t.normalize();
                if (!n.equals(tree.normalize()) && !n.equals(previous)) {
                    FileTrees.delete(t);
                }
            }
        }
    }

    /**
     * The crash-test hook: when {@value #PAUSE_VAR} names this point, writes {@code paused-<point>} into
     * the bundle root and sleeps (the test kills the process there).
     */
    static void pause(BundleDirs d, Map<String, String> env, String point) {
        if (!point.equals(env.get(PAUSE_VAR))) {
            return;
        }
        try {
            Files.writeString(d.bundleRoot().resolve("paused-" + point), point);
            Thread.sleep(120_000);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
