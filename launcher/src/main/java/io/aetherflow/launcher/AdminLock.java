package io.aetherflow.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Serialises the commands that change an installation ({@code <home>/.plugins-admin.lock}). */
final class AdminLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private AdminLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param home the installation directory
     * @return the held lock
     * @throws IOException when the lock file cannot be opened
     * @throws PluginSetException when another command holds it
     */
    static AdminLock acquire(Path home) throws IOException, PluginSetException {
        FileChannel ch = FileChannel.open(home.resolve(".plugins-admin.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            throw new PluginSetException("another aetherflow plugins add/remove/lock is changing " + home
                    + "; try again when it has finished");
        }
        return new AdminLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
