package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores kept open between runs of one process ({@link StorePool}). */
class StorePoolTest {

    @TempDir
    Path dir;

    private final AtomicInteger opens = new AtomicInteger();

    private StateStore lease(StorePool pool, String key, int maxIdle) {
        return pool.lease(key, maxIdle, () -> {
            opens.incrementAndGet();
            return SqliteStateStore.open(dir.resolve(key + ".sqlite"));
        });
    }

    @Test
    void aStoreHandedBackIsReusedByTheNextRunAndOverlappingRunsGetTheirOwn() {
        try (StorePool pool = new StorePool()) {
            StateStore first = lease(pool, "a", 4);
            first.beginRun("f", "r1", RunMeta.current(null, null, null));
            first.endRun("f", "r1", RunStatus.SUCCESS, null, "{}");
            first.close();
            assertEquals(1, pool.idleCount("a"));
            first.close(); // idempotent: handed back once
            assertEquals(1, pool.idleCount("a"));
            assertThrows(IllegalStateException.class, () -> first.listRuns(1, null), "the old hold is closed");

            StateStore second = lease(pool, "a", 4);
            StateStore overlapping = lease(pool, "a", 4);
            assertEquals(2, opens.get(), "the second run reused the first one's store; the overlapping one opened");
            assertEquals(RunStatus.SUCCESS, overlapping.listRuns(1, "f").get(0).status());
            StateStore otherFile = lease(pool, "b", 4);
            assertEquals(3, opens.get(), "another key is another store");
            second.close();
            overlapping.close();
            otherFile.close();
            assertEquals(2, pool.idleCount("a"));
            assertEquals(1, pool.idleCount("b"));
        }
    }

    @Test
    void aReusedStoreForgetsTheRunsOfItsLastHolder() {
        try (StorePool pool = new StorePool()) {
            StateStore first = lease(pool, "a", 1);
            first.beginRun("f", "r1", RunMeta.current(null, null, null));
            assertTrue(first.heartbeat("f", "r1"));
            first.close();
            StateStore next = lease(pool, "a", 1);
            assertEquals(1, opens.get());
            assertThrows(IllegalStateException.class, () -> next.heartbeat("f", "r1"),
                    "only a run begun through this hold can be beaten");
            next.close();
        }
    }

    @Test
    void beyondMaxIdleAndAfterThePoolClosedStoresAreClosed() {
        StorePool pool = new StorePool();
        StateStore a = lease(pool, "a", 1);
        StateStore b = lease(pool, "a", 1);
        a.close();
        b.close();
        assertEquals(1, pool.idleCount("a"), "one kept, the other closed");
        StateStore leasedAtClose = lease(pool, "a", 1);
        pool.close();
        assertEquals(0, pool.idleCount("a"));
        leasedAtClose.listRuns(1, null); // a run still going keeps its store until its end
        leasedAtClose.close();
        assertEquals(0, pool.idleCount("a"), "handed back after the pool closed: closed");
        assertThrows(IllegalStateException.class, () -> lease(pool, "a", 1));
        StateStore none = lease(new StorePool(), "c", 0);
        none.close();
        assertEquals(3, opens.get());
    }
}
