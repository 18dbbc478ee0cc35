package io.aetherflow.steps.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pooled reader threads behind {@link MaskingPump} and {@link OutputCapture}. */
class PipeReaderTest {

    /** A reader that notes the thread (and its name) it ran on. */
    private static final class Recording extends PipeReader {
        final List<Thread> threads;
        final List<String> names;

        Recording(String name, List<Thread> threads, List<String> names) {
            super(new ByteArrayInputStream(new byte[] {'x', '\n'}), name);
            this.threads = threads;
            this.names = names;
        }

        @Override
        void pump() {
            try {
                in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            threads.add(Thread.currentThread());
            names.add(Thread.currentThread().getName());
        }

        @Override
        IOException failure() {
            return null;
        }
    }

    @AfterEach
    void tearDown() {
        PipeReader.shutdownPool();
    }

    @Test
    void aReaderThreadThatFinishedAPipeReadsTheNextOneUnderItsName() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Recording first = new Recording("aetherflow-j-a-stdout-pump", threads, names);
        first.startReader();
        assertTrue(first.awaitEnd(5_000_000_000L));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (PipeReader.idleReaders() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(1, PipeReader.idleReaders(), "the thread waits for the next pipe");
        Recording second = new Recording("aetherflow-j-b-stdout-pump", threads, names);
        second.startReader();
        assertTrue(second.awaitEnd(5_000_000_000L));
        assertSame(threads.get(0), threads.get(1), "one thread read both pipes");
        assertEquals(List.of("aetherflow-j-a-stdout-pump", "aetherflow-j-b-stdout-pump"), names);
        assertTrue(threads.get(0).isDaemon());

        PipeReader.shutdownPool();
        threads.get(0).join(5_000);
        assertFalse(threads.get(0).isAlive(), "the idle thread ends when the pool is shut down");
        assertEquals(0, PipeReader.idleReaders());
    }
}
