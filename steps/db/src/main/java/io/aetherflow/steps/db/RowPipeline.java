package io.aetherflow.steps.db;

import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.connector.db.DbText;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a cursor on the calling thread and hands its rows, in batches of {@value #BATCH}, to a
 * writer thread that formats and writes them, so fetching from the database and writing the file
 * overlap. At most {@value #QUEUED} batches wait; the rows are written in order. Few rows are in
 * flight on purpose: rows that wait survive the (small) young generation's collections and are
 * copied, then promoted; 128 x 4 measured 6 MB less peak RSS than 256 x 8 at the same CPU time, and
 * 1024 x 8 more CPU time and RSS (bench/README.md, db scenarios). The reader asks for
 * {@link DbRows#nextLazyText() undecoded text}: the writer thread decodes it, which takes about a fifth
 * of the fetching thread's work off it (the fetch is the slower of the two).
 */
final class RowPipeline {

    static final int BATCH = 128;
    static final int QUEUED = 4;
    private static final Object[][] END = new Object[0][];

    /** Takes one row on the writer thread. */
    @FunctionalInterface
    interface RowWriter {
        /**
         * @param row the row's values, as {@link DbRows#next()} would have returned them (text decoded)
         * @throws Exception a failure: no further row is written, and {@link #copy} throws it
         */
        void write(Object[] row) throws Exception;
    }

    private RowPipeline() {
    }

    /**
     * Copies every row of the cursor to the writer.
     *
     * @param cursor the rows (read on the calling thread)
     * @param writer where they go (called on a second thread, one row after the other)
     * @throws Exception the writer's failure, or the cursor's, whichever came first
     */
    static void copy(DbRows cursor, RowWriter writer) throws Exception {
        BlockingQueue<Object[][]> queue = new ArrayBlockingQueue<>(QUEUED);
        Throwable[] failure = {null};
        Thread t = new Thread(() -> {
            try {
                for (Object[][] batch; (batch = queue.take()) != END; ) {
                    for (int i = 0; i < batch.length && batch[i] != null; i++) {
                        writer.write(DbText.decodeAll(batch[i]));
                    }
                }
            } catch (InterruptedException e) {
                failure[0] = new InterruptedIOException("interrupted while writing rows");
            } catch (Exception | Error e) {
                failure[0] = e; // the thread ends: the reader stops at its next batch
            }
        }, "aetherflow-db-writer");
        t.setDaemon(true);
        t.start();
        boolean ended = false;
        try {
            Object[][] batch = new Object[BATCH][];
            int n = 0;
            boolean open = true;
            for (Object[] r; open && (r = cursor.nextLazyText()) != null; ) {
                batch[n++] = r;
                if (n == BATCH) {
                    open = hand(queue, batch, t);
                    batch = new Object[BATCH][];
                    n = 0;
                }
            }
            if (open && n > 0) {
                open = hand(queue, batch, t);
            }
            ended = !open || hand(queue, END, t);
        } finally {
            if (!ended) {
                t.interrupt();
            }
            t.join();
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw (Exception) failure[0];
        }
    }

    /** Queues a batch; false when the writer has stopped (failed). */
    private static boolean hand(BlockingQueue<Object[][]> queue, Object[][] batch, Thread t)
            throws InterruptedException {
        if (!t.isAlive()) {
            return false;
        }
        while (!queue.offer(batch, 20, TimeUnit.MILLISECONDS)) {
            if (!t.isAlive()) {
                return false;
            }
        }
        return true;
    }
}
