package io.aetherflow.steps.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * One of the child's pipes, read until end of file on a daemon thread of its own: what
 * {@link MaskingPump} (pass-through to a log) and {@link OutputCapture} (events and a capture) share.
 * Either may be {@link #detach detached} when a background grandchild keeps the pipe open after the
 * child exited.
 */
abstract class PipeReader {

    /** The pipe. */
    final InputStream in;
    private final Thread thread;
    /** Set once by {@link #detach()}: what the reader still gets is dropped. */
    volatile boolean detached;

    /**
     * @param in the pipe
     * @param threadName the reader thread's name
     */
    PipeReader(InputStream in, String threadName) {
        this.in = in;
        this.thread = new Thread(this::pump, threadName);
        this.thread.setDaemon(true);
    }

    /** Reads the pipe to end of file (on the reader thread once {@link #startReader()} was called). */
    abstract void pump();

    /** @return the reader's read (or write) error, or null */
    abstract IOException failure();

    /** Starts the reader thread. */
    final void startReader() {
        thread.start();
    }

    /**
     * Waits for end of file on the pipe (everything read has then been handled).
     *
     * @param timeoutNanos how long to wait at most
     * @return true when the reader reached end of file (or failed), false when it is still reading
     * @throws InterruptedException when the waiting thread is interrupted
     */
    final boolean awaitEnd(long timeoutNanos) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        return !thread.isAlive();
    }

    /**
     * Stops using whatever the reader still gets (a background grandchild holds the pipe open) and
     * closes the pipe; what was handled so far stays.
     */
    final void detach() {
        synchronized (this) {
            detached = true;
        }
        try {
            in.close();
        } catch (IOException e) {
            // the pipe is abandoned either way; nothing else can be done with it
        }
    }
}
