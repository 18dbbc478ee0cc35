package io.aetherflow.steps.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One of the child's pipes, read until end of file on a daemon thread: what {@link MaskingPump}
 * (pass-through to a log) and {@link OutputCapture} (events and a capture) share. Either may be
 * {@link #detach detached} when a background grandchild keeps the pipe open after the child exited.
 *
 * <p>The reader threads are pooled: a thread that finished a pipe waits {@link #IDLE_SECONDS} s for
 * the next one, so a flow of many short processes does not create two threads per process (a thread
 * start is about a tenth of a millisecond of CPU, as much as the rest of the step's bookkeeping). The
 * pool is unbounded, as one thread per pipe was: a reader held by a background grandchild never
 * keeps another pipe waiting. {@link #shutdownPool()} ends the idle threads when the step component
 * is deactivated.
 */
abstract class PipeReader {

    /** How long an idle reader thread waits for the next pipe. */
    static final long IDLE_SECONDS = 10;

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static ExecutorService pool;

    /** The pipe. */
    final InputStream in;
    private final String name;
    private final CountDownLatch ended = new CountDownLatch(1);
    /** Set once by {@link #detach()}: what the reader still gets is dropped. */
    volatile boolean detached;

    /**
     * @param in the pipe
     * @param name what the reader thread is called while it reads this pipe
     */
    PipeReader(InputStream in, String name) {
        this.in = in;
        this.name = name;
    }

    /** Reads the pipe to end of file (on a reader thread once {@link #startReader()} was called). */
    abstract void pump();

    /** @return the reader's read (or write) error, or null */
    abstract IOException failure();

    /** Hands the pipe to a reader thread. */
    final void startReader() {
        readers().execute(this::read);
    }

    private void read() {
        Thread t = Thread.currentThread();
        String idle = t.getName();
        t.setName(name);
        try {
            pump();
        } finally {
            ended.countDown();
            t.setName(idle);
        }
    }

    /**
     * Waits for end of file on the pipe (everything read has then been handled).
     *
     * @param timeoutNanos how long to wait at most
     * @return true when the reader reached end of file (or failed), false when it is still reading
     * @throws InterruptedException when the waiting thread is interrupted
     */
    final boolean awaitEnd(long timeoutNanos) throws InterruptedException {
        return ended.await(Math.max(1, timeoutNanos), TimeUnit.NANOSECONDS);
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

    private static synchronized ExecutorService readers() {
        if (pool == null) {
            ThreadPoolExecutor p = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), r -> {
                        Thread t = new Thread(r, "aetherflow-process-pipe-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool = p;
        }
        return pool;
    }

    /** @return reader threads waiting for a pipe (tests) */
    static synchronized int idleReaders() {
        if (!(pool instanceof ThreadPoolExecutor p)) {
            return 0;
        }
        return p.getPoolSize() - p.getActiveCount();
    }

    /**
     * Ends the idle reader threads (the step component is deactivated); a reader still busy with a
     * detached pipe ends at that pipe's end of file. A later {@link #startReader()} starts a new pool.
     */
    static synchronized void shutdownPool() {
        if (pool != null) {
            pool.shutdown();
            pool = null;
        }
    }
}
