package io.aetherflow.launcher;

import io.aetherflow.launcher.support.FileTrees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The OSGi framework storage directory of one launch, taken from a small pool of shared slots of the
 * plugin set: the set's directory ({@link CacheDirs#frameworkStorage}), then its siblings {@code -2} ..
 * {@code -}{@value #SLOTS}. A slot is used while this process holds an exclusive file lock on its
 * {@code .lock} sibling, so concurrent launchers (overlapping cron jobs, a running scheduler, a long
 * flow) each get a warm storage of their own; only when every slot is busy, or the cache is not
 * writable, a private temporary directory is used instead and deleted on {@link #close()}.
 *
 * <p>Every use writes the pid and time into the slot's lock file (through the locked channel: opening
 * and closing another descriptor of a locked file drops the lock); when a launch creates a new slot
 * (a new plugin set, release or installation path), the slot directories of any set unused for
 * {@link #STALE_AFTER} whose lock is free are deleted ({@link #pruneStale}), so old plugin sets do
 * not pile up in the cache. Their (empty) lock files stay.
 */
public final class FrameworkStorage implements AutoCloseable {

    /** How many shared storages one plugin set may have (each a full framework cache of the set). */
    public static final int SLOTS = 4;
    /** How long a slot may go unused before a launch that creates a new slot deletes it. */
    public static final Duration STALE_AFTER = Duration.ofDays(30);

    private final Path dir;
    private final int slot;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private FrameworkStorage(Path dir, int slot, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.slot = slot;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param sharedDir the plugin set's storage directory (slot 1)
     * @param slot a slot number, 1 to {@link #SLOTS}
     * @return the storage directory of that slot
     */
    static Path slotDir(Path sharedDir, int slot) {
        return slot == 1 ? sharedDir : sharedDir.resolveSibling(sharedDir.getFileName() + "-" + slot);
    }

    /**
     * @param sharedDir the plugin set's storage directory
     * @return the first free shared slot, locked, or a fresh private directory when all are busy or unusable
     * @throws IOException when not even a temporary directory can be created
     */
    public static FrameworkStorage acquire(Path sharedDir) throws IOException {
        try {
            Files.createDirectories(sharedDir.getParent());
            for (int slot = 1; slot <= SLOTS; slot++) {
                Path dir = slotDir(sharedDir, slot);
                FileChannel ch = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock l = null;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    // held by this process (another launch in the same JVM): busy
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                if (l != null) {
                    try {
                        markUsed(ch);
                    } catch (IOException e) {
                        ch.close();
                        throw e;
                    }
                    if (!Files.isDirectory(dir)) {
                        pruneStale(sharedDir.getParent(), Instant.now().minus(STALE_AFTER));
                    }
                    return new FrameworkStorage(dir, slot, ch, l);
                }
                ch.close();
            }
        } catch (IOException e) {
            // cache not writable or locks not supported: fall through to a private directory
        }
        return privateStorage(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Name prefix of private storages in the temp directory; each has a {@code .lock} sibling while in use. */
    static final String PRIVATE_PREFIX = "aetherflow-felix-";

    /**
     * A private storage in {@code tmp}, locked through its {@code .lock} sibling so that
     * {@link #pruneOrphans} of a later launch can tell it from one left by a killed launcher.
     */
    static FrameworkStorage privateStorage(Path tmp) throws IOException {
        pruneOrphans(tmp, Duration.ofMinutes(1));
        Path dir = Files.createTempDirectory(tmp, PRIVATE_PREFIX);
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l != null) {
                return new FrameworkStorage(dir, 0, ch, l);
            }
        } catch (IOException | OverlappingFileLockException e) {
            // no locks here: the directory is still deleted on close, only not pruned after a kill
        }
        try {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            // an empty lock file left in the temp directory is harmless
        }
        return new FrameworkStorage(dir, 0, null, null);
    }

    /**
     * Deletes the private storages that launchers killed before {@link #close()} left behind: those
     * whose {@code .lock} sibling no process holds, and those without one (the older form) not
     * modified for a day. A storage modified within {@code grace} is kept (it may be starting).
     * Best effort: what cannot be deleted stays.
     *
     * @param tmp the temp directory
     * @param grace how recently a storage may have been modified and still count as abandoned
     * @return the directories deleted
     */
    static List<Path> pruneOrphans(Path tmp, Duration grace) {
        List<Path> deleted = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(tmp)) {
            dirs = s.filter(p -> p.getFileName().toString().startsWith(PRIVATE_PREFIX)
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException | RuntimeException e) {
            return deleted;
        }
        Instant now = Instant.now();
        for (Path dir : dirs) {
            Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
            try {
                Instant modified = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant();
                if (modified.isAfter(now.minus(grace))) {
                    continue;
                }
                if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                    if (modified.isBefore(now.minus(Duration.ofDays(1)))) {
                        FileTrees.delete(dir);
                        deleted.add(dir);
                    }
                    continue;
                }
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock l = ch.tryLock()) {
                    if (l == null) {
                        continue; // its launcher is running
                    }
                    FileTrees.delete(dir);
                    Files.delete(lockFile);
                    deleted.add(dir);
                }
            } catch (IOException | RuntimeException e) {
                // not ours, or already gone: leave it
            }
        }
        return deleted;
    }

    /**
     * Records the use in the lock file through the channel that holds the lock: the write sets the
     * file's modification time, which {@link #pruneStale} reads. The time must not be set by path
     * ({@code Files.setLastModifiedTime} opens and closes another descriptor of the file, and closing
     * any descriptor of a file releases every POSIX lock the process holds on it: each launch would
     * then take slot 1 and concurrent launches would share one framework storage).
     */
    private static void markUsed(FileChannel ch) throws IOException {
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " " + Instant.now() + "\n")
                .getBytes(StandardCharsets.US_ASCII)), 0);
    }

    /**
     * Deletes the storage slots (of any plugin set) whose lock file was last touched before
     * {@code cutoff} and that no launcher holds. Best effort: what cannot be deleted stays.
     *
     * @param felixDir the directory of all framework storages ({@code <cache>/felix})
     * @param cutoff slots last used before this are stale
     * @return the slot directories deleted
     */
    static List<Path> pruneStale(Path felixDir, Instant cutoff) {
        List<Path> deleted = new ArrayList<>();
        List<Path> locks;
        try (Stream<Path> s = Files.list(felixDir)) {
            locks = s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList();
        } catch (IOException e) {
            return deleted;
        }
        for (Path lockFile : locks) {
            try {
                if (!Files.getLastModifiedTime(lockFile).toInstant().isBefore(cutoff)) {
                    continue;
                }
                String name = lockFile.getFileName().toString();
                Path dir = lockFile.resolveSibling(name.substring(0, name.length() - ".lock".length()));
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock l = ch.tryLock()) {
                    if (l == null) {
                        continue; // in use by a launcher right now
                    }
                    if (!Files.exists(dir)) {
                        continue; // pruned before
                    }
                    // the directory goes, its lock file stays: a launcher that opened the lock file
                    // before an unlink would lock the unlinked file and share the slot with the next
                    // launcher, which creates and locks a new one at the same path
                    FileTrees.delete(dir);
                    deleted.add(dir);
                }
            } catch (IOException | RuntimeException e) {
                // best effort: a later launch tries again
            }
        }
        return deleted;
    }

    /** @return the directory to give the framework as {@code org.osgi.framework.storage} */
    public Path dir() {
        return dir;
    }

    /** @return true for one of the plugin set's shared (reusable) slots, false for a private temporary one */
    public boolean shared() {
        return slot > 0;
    }

    /** @return the shared slot's number (1 to {@link #SLOTS}), 0 for a private directory */
    public int slot() {
        return slot;
    }

    /** Releases the lock, or deletes the private directory (and its lock); a second call does nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (shared()) {
            try {
                lock.release();
            } finally {
                channel.close();
            }
            return;
        }
        try {
            FileTrees.delete(dir);
        } finally {
            if (channel != null) {
                // unlinked before the lock goes, so no pruner ever sees it free and present
                Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".lock"));
                lock.release();
                channel.close();
            }
        }
    }
}
