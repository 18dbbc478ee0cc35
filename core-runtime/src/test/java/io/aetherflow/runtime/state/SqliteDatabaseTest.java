package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database part of the SQLite store: statement helpers, binding, transactions. */
class SqliteDatabaseTest {

    @TempDir
    Path dir;

    private SqliteDatabase db;

    @BeforeEach
    void setUp() {
        db = SqliteDatabase.open(dir.resolve("db.sqlite").toAbsolutePath(), StoreOptions.defaults());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void bindsStringsLongsIntegersAndNullsAndMapsRows() {
        db.write("creating", () -> db.update("CREATE TABLE t (k TEXT NOT NULL, s TEXT, n INTEGER)"));
        db.write("inserting", () -> db.update("INSERT INTO t (k, s, n) VALUES (?, ?, ?)", "a", null, 7L));
        db.write("inserting", () -> db.update("INSERT INTO t (k, s, n) VALUES (?, ?, ?)", "b", "x", 9));
        db.write("inserting", () -> db.update("INSERT INTO t (k, s, n) VALUES (?, ?, ?)", "c", "y", null));
        assertEquals(List.of("a"), db.read("reading", () -> db.list("SELECT k FROM t WHERE s IS NULL",
                rs -> rs.getString(1))));
        List<Long> numbers = db.read("reading", () -> db.list("SELECT n FROM t ORDER BY k",
                rs -> SqliteDatabase.getLong(rs, "n")));
        assertEquals(Arrays.asList(7L, 9L, null), numbers);
        assertEquals(Optional.of("x"), db.read("reading", () -> db.one("SELECT s FROM t WHERE n = ?",
                rs -> rs.getString(1), 9L)));
        assertEquals(Optional.empty(), db.read("reading", () -> db.one("SELECT 1 FROM t WHERE k = ?",
                rs -> 1, "absent")));
    }

    @Test
    void anUnsupportedParameterTypeIsAProgrammingErrorAndRollsBack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.write("inserting", () -> {
            db.update("INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)", "k", "o", 1L);
            return db.update("DELETE FROM locks WHERE expires_at = ?", 1.5d);
        }));
        assertTrue(e.getMessage().contains("java.lang.Double"), e.getMessage());
        assertEquals(List.of(), db.read("reading", () -> db.list("SELECT key FROM locks", rs -> rs.getString(1))));
    }

    @Test
    void aNonDurableWriteRestoresSynchronousFull() {
        db.write("writing", false, () -> db.update("INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)", "k",
                "o", 1L));
        assertEquals("2", db.pragma("synchronous")); // FULL
        assertEquals("wal", db.pragma("journal_mode"));
    }

    @Test
    void sqlErrorsBecomeOneLineStoreExceptionsNamingTheFileAndTheAction() {
        StateStoreException e = assertThrows(StateStoreException.class, () -> db.read("reading nothing",
                () -> db.list("SELECT * FROM no_such_table", rs -> 1)));
        assertTrue(e.getMessage().startsWith("state store " + db.file() + ": failed while reading nothing: "),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getCause() instanceof SQLException, String.valueOf(e.getCause()));
    }

    @Test
    void writersOfOneFileInThisJvmQueueAtOneGateAndKeepAnInterrupt() throws Exception {
        SqliteDatabase other = SqliteDatabase.open(dir.resolve("./db.sqlite").toAbsolutePath().normalize(),
                StoreOptions.defaults());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            assertSame(db.gate(), other.gate(), "one gate per file");
            Future<?> holder = threads.submit(() -> db.write("holding", () -> {
                db.update("INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)", "a", "o", 1L);
                inside.countDown();
                awaitQuietly(release);
                return null;
            }));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread[] waiter = new Thread[1];
            Future<?> queued = threads.submit(() -> {
                waiter[0] = Thread.currentThread();
                other.write("queued", () -> other.update(
                        "INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)", "b", "o", 1L));
                interruptKept.set(Thread.interrupted());
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!other.gateQueued() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(other.gateQueued(), "the second writer waits at the gate, not in SQLite's busy handler");
            waiter[0].interrupt();
            Thread.sleep(50);
            assertFalse(queued.isDone(), "an interrupt does not cut the wait short");
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            queued.get(10, TimeUnit.SECONDS);
            assertTrue(interruptKept.get(), "the interrupt is kept for the caller");
            assertEquals(List.of("a", "b"), db.read("reading", () -> db.list("SELECT key FROM locks ORDER BY key",
                    rs -> rs.getString(1))));
        } finally {
            release.countDown();
            threads.shutdownNow();
            other.close();
        }
    }

    @Test
    void aWriterWaitingAtTheGateLongerThanTheBusyTimeoutFailsAsBusy() throws Exception {
        SqliteDatabase other = SqliteDatabase.open(db.file(), StoreOptions.defaults()
                .withBusyTimeout(java.time.Duration.ofMillis(200)));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = threads.submit(() -> db.write("holding", () -> {
                inside.countDown();
                awaitQuietly(release);
                return null;
            }));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            StateStoreException e = assertThrows(StateStoreException.class, () -> other.write("writing status SUCCESS",
                    () -> other.update("INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)", "b", "o", 1L)));
            assertTrue(e.busy(), "retried like SQLite's busy error");
            assertEquals("state store " + db.file() + " is locked by another run of this process (waited 200 ms while"
                    + " writing status SUCCESS): let it finish, or raise AETHERFLOW_STATE_BUSY_TIMEOUT (seconds)",
                    e.getMessage());
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            threads.shutdownNow();
            other.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
