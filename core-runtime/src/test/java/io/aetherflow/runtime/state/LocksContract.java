package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.LockLease;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The lock contract, run against every backend ({@link SqliteLocksTest}, {@link PgLocksTest}). */
abstract class LocksContract {

    /** @return a store on this test's database (the same one on every call: two instances = two hosts) */
    abstract StateStore open(StoreOptions options);

    private StateStore open(MutableClock clock) {
        return open(StoreOptions.defaults().withClock(clock));
    }

    private static long sec(MutableClock clock) {
        return clock.millis() / 1000;
    }

    @Test
    void acquireIsReentrantForTheOwnerAndRefusedToOthers() {
        MutableClock clock = MutableClock.now();
        try (StateStore store = open(clock)) {
            LockEvent first = store.acquireLock("nightly", "runA", 60);
            assertEquals(LockEvent.Kind.ACQUIRED, first.kind());
            assertTrue(first.held());
            assertEquals(sec(clock) + 60, first.expiresAt());

            clock.advance(Duration.ofSeconds(10));
            LockEvent again = store.acquireLock("nightly", "runA", 60);
            assertEquals(LockEvent.Kind.REENTERED, again.kind());
            assertEquals(sec(clock) + 60, again.expiresAt(), "lease extended");
            assertEquals(sec(clock) + 60, store.getLock("nightly").orElseThrow().expiresAt());

            LockEvent busy = store.acquireLock("nightly", "runB", 60);
            assertEquals(LockEvent.Kind.BUSY, busy.kind());
            assertFalse(busy.held());
            assertEquals("runA", busy.otherOwner());
            assertEquals(again.expiresAt(), busy.expiresAt());
            assertEquals("runA", store.getLock("nightly").orElseThrow().owner());

            // a shorter re-entry never shortens the lease
            assertEquals(again.expiresAt(), store.acquireLock("nightly", "runA", 1).expiresAt());

            assertFalse(store.releaseLock("nightly", "runB"), "others cannot release it");
            assertTrue(store.releaseLock("nightly", "runA"));
            assertTrue(store.getLock("nightly").isEmpty());
            assertEquals(LockEvent.Kind.ACQUIRED, store.acquireLock("nightly", "runB", 60).kind());
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldOwnerLearnsItLostIt() {
        MutableClock clock = MutableClock.now();
        try (StateStore store = open(clock)) {
            store.acquireLock("k", "runA", 10);
            clock.advance(Duration.ofSeconds(9));
            assertEquals(LockEvent.Kind.BUSY, store.acquireLock("k", "runB", 10).kind());
            clock.advance(Duration.ofSeconds(1)); // expires_at <= now: expired, as in the reference
            assertTrue(store.getLock("k").isEmpty());
            LockEvent taken = store.acquireLock("k", "runB", 10);
            assertEquals(LockEvent.Kind.TAKEN_OVER, taken.kind());
            assertEquals("runA", taken.otherOwner());
            assertEquals("lock k taken over by runB from runA (its lease had expired); held until "
                    + java.time.Instant.ofEpochSecond(taken.expiresAt()), taken.message());
            assertFalse(store.renewLock("k", "runA", 10));
            assertFalse(store.releaseLock("k", "runA"));
            assertEquals("runB", store.getLock("k").orElseThrow().owner());
        }
    }

    @Test
    void acquireDeletesEveryExpiredRowLikeTheReference() {
        MutableClock clock = MutableClock.now();
        try (StateStore store = open(clock)) {
            store.acquireLock("old1", "x", 5);
            store.acquireLock("old2", "y", 5);
            store.acquireLock("fresh", "z", 100);
            clock.advance(Duration.ofSeconds(6));
            store.acquireLock("new", "w", 5);
            assertTrue(store.getLock("old1").isEmpty());
            assertEquals("z", store.getLock("fresh").orElseThrow().owner());
            // the expired rows are really gone, so their former owners cannot renew them
            assertFalse(store.renewLock("old1", "x", 5));
        }
    }

    @Test
    void renewExtendsOnlyTheOwnersLease() {
        MutableClock clock = MutableClock.now();
        try (StateStore store = open(clock)) {
            store.acquireLock("k", "runA", 10);
            clock.advance(Duration.ofSeconds(8));
            assertTrue(store.renewLock("k", "runA", 10));
            assertEquals(sec(clock) + 10, store.getLock("k").orElseThrow().expiresAt());
            assertFalse(store.renewLock("k", "runB", 10));
            assertThrows(IllegalArgumentException.class, () -> store.acquireLock("k", "runA", 0));
        }
    }

    @Test
    void leaseKeeperRenewsHeldLeasesInTheBackground() throws Exception {
        List<LockEvent> events = new CopyOnWriteArrayList<>();
        try (StateStore store = open(StoreOptions.defaults())) {
            LeaseKeeper keeper = new LeaseKeeper(store, "runA", events::add);
            LockLease lease = keeper.tryAcquire("k", 2).orElseThrow(); // renewed every 333 ms
            long initial = store.getLock("k").orElseThrow().expiresAt();
            Thread.sleep(3_500); // longer than the TTL: without renewal the lease would be gone
            assertTrue(lease.isHeld());
            long now = System.currentTimeMillis() / 1000;
            LockRecord row = store.getLock("k").orElseThrow();
            assertEquals("runA", row.owner());
            assertTrue(row.expiresAt() > initial, "expiry moved from " + initial + " to " + row.expiresAt());
            assertTrue(row.expiresAt() > now);
            assertEquals(LockEvent.Kind.BUSY, store.acquireLock("k", "runB", 2).kind());
            keeper.close();
            assertFalse(lease.isHeld());
            assertTrue(store.getLock("k").isEmpty(), "closing the keeper released the lock");
            assertEquals(List.of(LockEvent.Kind.ACQUIRED, LockEvent.Kind.RELEASED),
                    events.stream().map(LockEvent::kind).toList());
            assertEquals("lock k released by runA", events.get(1).message());
        }
    }

    @Test
    void leaseKeeperCountsNestedLeasesOfTheSameKey() {
        List<LockEvent> events = new CopyOnWriteArrayList<>();
        try (StateStore store = open(StoreOptions.defaults());
                LeaseKeeper keeper = new LeaseKeeper(store, "runA", events::add)) {
            LockLease outer = keeper.tryAcquire("k", 60).orElseThrow();
            LockLease inner = keeper.tryAcquire("k", 60).orElseThrow();
            assertEquals(java.util.Set.of("k"), keeper.heldKeys());
            inner.close();
            inner.close(); // idempotent
            assertTrue(outer.isHeld());
            assertFalse(inner.isHeld());
            assertEquals("runA", store.getLock("k").orElseThrow().owner());
            outer.close();
            assertTrue(store.getLock("k").isEmpty());
            assertEquals(List.of(LockEvent.Kind.ACQUIRED, LockEvent.Kind.REENTERED, LockEvent.Kind.RELEASED),
                    events.stream().map(LockEvent::kind).toList());
        }
    }

    @Test
    void leaseKeeperReportsBusyAndLostLeases() throws Exception {
        MutableClock clock = MutableClock.now();
        List<LockEvent> eventsA = new CopyOnWriteArrayList<>();
        List<LockEvent> eventsB = new CopyOnWriteArrayList<>();
        try (StateStore store = open(clock);
                LeaseKeeper a = new LeaseKeeper(store, "runA", eventsA::add);
                LeaseKeeper b = new LeaseKeeper(store, "runB", eventsB::add)) {
            LockLease leaseA = a.tryAcquire("k", 3).orElseThrow(); // renewal every 666 ms
            assertTrue(b.tryAcquire("k", 30).isEmpty());
            assertEquals(LockEvent.Kind.BUSY, eventsB.get(0).kind());
            assertEquals("runA", eventsB.get(0).otherOwner());
            // A's process stalls past the lease (clock jump); B takes over; A's renewal notices
            clock.advance(Duration.ofSeconds(4));
            LockLease leaseB = b.tryAcquire("k", 30).orElseThrow();
            assertEquals(LockEvent.Kind.TAKEN_OVER, eventsB.get(1).kind());
            long deadline = System.currentTimeMillis() + 15_000;
            while (leaseA.isHeld() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(leaseA.isHeld());
            assertTrue(leaseB.isHeld());
            assertEquals(LockEvent.Kind.LOST, eventsA.get(eventsA.size() - 1).kind());
            leaseA.close(); // must not delete B's row
            assertEquals("runB", store.getLock("k").orElseThrow().owner());
            assertNull(eventsA.get(0).otherOwner());
        }
    }
}
