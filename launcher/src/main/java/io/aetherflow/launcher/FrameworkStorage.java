package io.aetherflow.launcher;

import io.aetherflow.launcher.support.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The OSGi framework storage directory of one launch. The shared directory of a plugin set
 * ({@link CacheDirs#frameworkStorage}) is used while this process holds an exclusive file lock on
 * its {@code .lock} sibling; when another launcher holds it (a concurrent cron job) or the cache is
 * not writable, a private temporary directory is used instead and deleted on {@link #close()}.
 */
public final class FrameworkStorage implements AutoCloseable {

    private final Path dir;
    private final boolean shared;
    private final FileChannel channel;
    private final FileLock lock;

    private FrameworkStorage(Path dir, boolean shared, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.shared = shared;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param sharedDir the plugin set's storage directory
     * @return the shared directory, locked, or a fresh private one when that is busy or unusable
     * @throws IOException when not even a temporary directory can be created
     */
    public static FrameworkStorage acquire(Path sharedDir) throws IOException {
        FileChannel ch = null;
        try {
            Files.createDirectories(sharedDir.getParent());
            ch = FileChannel.open(sharedDir.resolveSibling(sharedDir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l != null) {
                return new FrameworkStorage(sharedDir, true, ch, l);
            }
        } catch (IOException | OverlappingFileLockException e) {
            // cache not writable or lock not supported: fall through to a private directory
        }
        if (ch != null) {
            ch.close();
        }
        return new FrameworkStorage(Files.createTempDirectory("aetherflow-felix-"), false, null, null);
    }

    /** @return the directory to give the framework as {@code org.osgi.framework.storage} */
    public Path dir() {
        return dir;
    }

    /** @return true for the plugin set's shared (reusable) directory, false for a private temporary one */
    public boolean shared() {
        return shared;
    }

    /** Releases the lock, or deletes the private directory. */
    @Override
    public void close() throws IOException {
        if (shared) {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        } else {
            FileTrees.delete(dir);
        }
    }
}
