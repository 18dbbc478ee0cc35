package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's fire claims, run against every backend ({@link SqliteFireClaimsTest} on one file,
 * {@link PgFireClaimsTest} on one database); several store instances = several processes or hosts.
 */
abstract class FireClaimsContract {

    private static final Instant AT = Instant.parse("2026-03-29T01:30:00.250Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** @return a store on this test's database (the same one on every call) */
    abstract StateStore open(StoreOptions options);

    private StateStore open(MutableClock clock) {
        return open(StoreOptions.defaults().withClock(clock));
    }

    @Test
    void aFireIsClaimedOnceReenteredByItsOwnerAndDoneAfterCompletion() {
        MutableClock clock = MutableClock.now();
        try (StateStore a = open(clock); StateStore b = open(clock)) {
            FireClaim first = a.claimFire("nightly", AT, "host-a:1", LEASE);
            assertEquals(FireClaim.Kind.CLAIMED, first.kind());
            assertTrue(first.claimed());
            assertEquals(Instant.ofEpochMilli(clock.millis()).plus(LEASE), first.leaseUntil());

            FireClaim busy = b.claimFire("nightly", AT, "host-b:2", LEASE);
            assertEquals(FireClaim.Kind.BUSY, busy.kind());
            assertFalse(busy.claimed());
            assertEquals("host-a:1", busy.otherOwner());
            // another scheduled time or item is a different fire
            assertTrue(b.claimFire("nightly", AT.plusMillis(1), "host-b:2", LEASE).claimed());
            assertTrue(b.claimFire("hourly", AT, "host-b:2", LEASE).claimed());

            clock.advance(Duration.ofSeconds(10));
            FireClaim again = a.claimFire("nightly", AT, "host-a:1", Duration.ofSeconds(1));
            assertEquals(FireClaim.Kind.REENTERED, again.kind());
            assertEquals(first.leaseUntil(), again.leaseUntil(), "a shorter re-claim never shortens the lease");

            assertFalse(b.completeFire("nightly", AT, "host-b:2", "SUCCESS", "r2"), "only the owner completes");
            assertTrue(a.completeFire("nightly", AT, "host-a:1", "SUCCESS", "run-1"));
            assertFalse(a.completeFire("nightly", AT, "host-a:1", "FAILED", "run-1"), "completed once");

            clock.advance(Duration.ofMinutes(5));
            FireClaim done = b.claimFire("nightly", AT, "host-b:2", LEASE);
            assertEquals(FireClaim.Kind.DONE, done.kind());
            assertEquals("SUCCESS", done.status());
            assertEquals("host-a:1", done.otherOwner());
            assertEquals(FireClaim.Kind.DONE, a.claimFire("nightly", AT, "host-a:1", LEASE).kind());

            FireRecord row = b.getFire("nightly", AT).orElseThrow();
            assertEquals(AT, row.scheduledAt());
            assertEquals("SUCCESS", row.status());
            assertEquals("run-1", row.runId());
            assertEquals(ProcessHandle.current().pid(), row.pid());
            assertEquals(a.options().host(), row.host());
            assertEquals(1, row.attempts());
            assertTrue(row.completed());
            assertTrue(a.getFire("nightly", AT.plusSeconds(60)).isEmpty());
        }
    }

    @Test
    void anExpiredClaimIsTakenOverAndTheDeadOwnerCanNoLongerRenewOrComplete() {
        MutableClock clock = MutableClock.now();
        try (StateStore a = open(clock); StateStore b = open(clock)) {
            assertTrue(a.claimFire("etl", AT, "a", LEASE).claimed());
            clock.advance(Duration.ofSeconds(20));
            assertTrue(a.renewFire("etl", AT, "a", LEASE), "the live owner renews");
            clock.advance(Duration.ofSeconds(29));
            assertEquals(FireClaim.Kind.BUSY, b.claimFire("etl", AT, "b", LEASE).kind(), "renewed lease holds");

            clock.advance(Duration.ofSeconds(2)); // a stopped renewing (died): its lease expired
            FireClaim taken = b.claimFire("etl", AT, "b", LEASE);
            assertEquals(FireClaim.Kind.TAKEN_OVER, taken.kind());
            assertEquals("a", taken.otherOwner());
            assertTrue(taken.message().contains("taken over by b from a"), taken.message());
            assertEquals(2, b.getFire("etl", AT).orElseThrow().attempts());

            assertFalse(a.renewFire("etl", AT, "a", LEASE), "the old owner lost it");
            assertFalse(a.completeFire("etl", AT, "a", "SUCCESS", null));
            assertTrue(b.completeFire("etl", AT, "b", "FAILED", null));
            assertNull(b.getFire("etl", AT).orElseThrow().runId());
            assertFalse(b.renewFire("etl", AT, "b", LEASE), "a completed fire has no lease to renew");
        }
    }

    @Test
    void aReleasedClaimCanBeClaimedAtOnceByAnother() {
        MutableClock clock = MutableClock.now();
        try (StateStore a = open(clock); StateStore b = open(clock)) {
            assertTrue(a.claimFire("etl", AT, "a", LEASE).claimed());
            assertFalse(b.releaseFire("etl", AT, "b"), "others cannot release it");
            assertTrue(a.releaseFire("etl", AT, "a"));
            assertTrue(a.getFire("etl", AT).isEmpty());
            assertEquals(FireClaim.Kind.CLAIMED, b.claimFire("etl", AT, "b", LEASE).kind());
            assertTrue(b.completeFire("etl", AT, "b", "SUCCESS", "r"));
            assertFalse(b.releaseFire("etl", AT, "b"), "a completed fire stays recorded");
        }
    }

    @Test
    void aBatchClaimDecidesEveryFireAsASingleClaimWouldInItsOrder() {
        MutableClock clock = MutableClock.now();
        try (StateStore a = open(clock); StateStore b = open(clock)) {
            assertTrue(a.claimFire("held", AT, "a", LEASE).claimed());
            assertTrue(a.claimFire("done", AT, "a", LEASE).claimed());
            assertTrue(a.completeFire("done", AT, "a", "SUCCESS", "run-0"));
            assertTrue(b.claimFire("mine", AT, "b", LEASE).claimed());
            Map<String, Instant> fires = new LinkedHashMap<>();
            fires.put("new", AT);
            fires.put("held", AT);
            fires.put("done", AT);
            fires.put("mine", AT);
            fires.put("later", AT.plusSeconds(60));
            List<FireClaim> got = b.claimFires(fires, "b", LEASE);
            assertEquals(List.of("new", "held", "done", "mine", "later"), got.stream().map(FireClaim::itemId).toList());
            assertEquals(List.of(FireClaim.Kind.CLAIMED, FireClaim.Kind.BUSY, FireClaim.Kind.DONE,
                    FireClaim.Kind.REENTERED, FireClaim.Kind.CLAIMED), got.stream().map(FireClaim::kind).toList());
            assertEquals(AT.plusSeconds(60), got.get(4).scheduledAt());
            assertEquals("b", a.getFire("new", AT).orElseThrow().owner(), "committed: another instance sees it");
            assertEquals(FireClaim.Kind.BUSY, a.claimFire("later", AT.plusSeconds(60), "a", LEASE).kind());

            clock.advance(LEASE.plusSeconds(1));
            List<FireClaim> taken = a.claimFires(Map.of("held", AT), "b-is-gone", LEASE);
            assertEquals(FireClaim.Kind.TAKEN_OVER, taken.get(0).kind(), "an expired lease is taken over in a batch too");
            assertEquals(List.of(), a.claimFires(Map.of(), "a", LEASE));
            assertThrows(IllegalArgumentException.class, () -> a.claimFires(Map.of("x", AT), "a", Duration.ZERO));
        }
    }

    @Test
    void concurrentBatchClaimsOfTheSameFiresWinEachFireOnce() throws Exception {
        int instances = 3;
        List<StateStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            Map<String, Instant> fires = new LinkedHashMap<>();
            for (int i = 0; i < 30; i++) {
                fires.put("item" + i, AT);
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<FireClaim>>> results = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                StateStore store = open(StoreOptions.defaults());
                stores.add(store);
                String owner = "scheduler-" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return store.claimFires(fires, owner, LEASE);
                }));
            }
            start.countDown();
            Map<String, Integer> winners = new LinkedHashMap<>();
            for (Future<List<FireClaim>> r : results) {
                for (FireClaim c : r.get(60, TimeUnit.SECONDS)) {
                    winners.merge(c.itemId(), c.claimed() ? 1 : 0, Integer::sum);
                }
            }
            assertEquals(fires.size(), winners.size());
            winners.forEach((item, n) -> assertEquals(1, n, item + " won by exactly one scheduler"));
        } finally {
            pool.shutdownNow();
            for (StateStore s : stores) {
                s.close();
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        try (StateStore a = open(MutableClock.now())) {
            assertThrows(IllegalArgumentException.class, () -> a.claimFire("x", AT, "a", Duration.ZERO));
            assertThrows(NullPointerException.class, () -> a.claimFire(null, AT, "a", LEASE));
            assertThrows(NullPointerException.class, () -> a.completeFire("x", AT, "a", null, null));
        }
    }

    @Test
    void exactlyOneOfManyThreadsAndStoreInstancesOnOneFileWinsEachFire() throws Exception {
        int instances = 3;
        int threadsPerInstance = 3;
        int fires = 20;
        List<StateStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(instances * threadsPerInstance);
        try {
            for (int i = 0; i < instances; i++) {
                stores.add(open(StoreOptions.defaults()));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> wins = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                for (int t = 0; t < threadsPerInstance; t++) {
                    StateStore store = stores.get(i);
                    String owner = "scheduler-" + i + "-" + t;
                    Callable<Integer> work = () -> {
                        start.await();
                        int won = 0;
                        for (int f = 0; f < fires; f++) {
                            Instant at = AT.plusSeconds(60L * f);
                            if (store.claimFire("item", at, owner, LEASE).claimed()) {
                                won++;
                                assertTrue(store.completeFire("item", at, owner, "SUCCESS", owner + "-" + f));
                            }
                        }
                        return won;
                    };
                    wins.add(pool.submit(work));
                }
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> w : wins) {
                total += w.get(60, TimeUnit.SECONDS);
            }
            assertEquals(fires, total, "every fire won exactly once");
            for (int f = 0; f < fires; f++) {
                FireRecord row = stores.get(0).getFire("item", AT.plusSeconds(60L * f)).orElseThrow();
                assertEquals(1, row.attempts());
                assertEquals(row.owner() + "-" + f, row.runId());
            }
        } finally {
            pool.shutdownNow();
            for (StateStore s : stores) {
                s.close();
            }
        }
    }
}
