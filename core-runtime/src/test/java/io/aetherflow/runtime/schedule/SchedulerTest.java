package io.aetherflow.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.state.FireRecord;
import io.aetherflow.runtime.state.SqliteStateStore;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StoreOptions;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's fire rules on a clock the test moves (no waiting for real minutes), with fire
 * claims in a real SQLite state store: misfire grace, coalescing, overlap skip, failing runs,
 * concurrent items, DST, and exactly-once across three schedulers sharing one file. Runs on
 * PostgreSQL too ({@link PgSchedulerTest}).
 */
class SchedulerTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream logBuf = new ByteArrayOutputStream();
    private final List<AutoCloseable> closing = new ArrayList<>();
    final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static SchedulerSpec spec(String yaml) {
        return SchedulerSpec.parse(YamlLoader.loadString(yaml, "scheduler.yaml"), Path.of("scheduler.yaml"));
    }

    /** @return a store on this test's database (the same one on every call: several schedulers share it) */
    StateStore openStore(StoreOptions options) {
        return SqliteStateStore.open(tmp.resolve("state.sqlite"), options);
    }

    StoreClaims claims(TestClock clock, String owner) {
        StateStore store = openStore(StoreOptions.defaults().withClock(clock));
        StoreClaims c = new StoreClaims(store, owner, StoreClaims.LEASE, m -> { });
        closing.add(c);
        return c;
    }

    Scheduler scheduler(String yaml, TestClock clock, FireRunner runner, String owner) {
        ExecutorService workers = Executors.newCachedThreadPool();
        closing.add(workers::shutdownNow);
        EventLog log = new EventLog(new PrintStream(logBuf, true, StandardCharsets.UTF_8), LogLevel.INFO, true,
                s -> s, String::valueOf);
        return new Scheduler(spec(yaml), clock, claims(clock, owner), runner, workers, log);
    }

    FireRunner recording() {
        return (item, at, runId) -> {
            ran.add(item.id() + "@" + at);
            return 0;
        };
    }

    static void awaitIdle(Scheduler s) throws InterruptedException {
        for (int i = 0; i < 500 && s.status().stream().anyMatch(Scheduler.ItemStatus::running); i++) {
            Thread.sleep(10);
        }
    }

    String log() {
        return logBuf.toString(StandardCharsets.UTF_8);
    }

    static final String EVERY_MINUTE = "timezone: UTC\nitems:\n  - {id: a, cron: '* * * * *', flow_yaml: f.yaml, "
            + "misfire_grace_time: 30}\n";

    @Test
    void firesOnTimeAndDropsAFireLaterThanTheGrace() throws Exception {
        TestClock clock = new TestClock("2027-01-01T00:00:10Z");
        Scheduler s = scheduler(EVERY_MINUTE, clock, recording(), "one");
        assertEquals(Instant.parse("2027-01-01T00:01:00Z"), s.nextFire());
        clock.set("2027-01-01T00:01:00.005Z");
        assertEquals(1, s.poll().size());
        awaitIdle(s);
        clock.set("2027-01-01T00:02:45Z"); // 45 s late, grace 30 s
        assertEquals(0, s.poll().size());
        assertEquals(List.of("a@2027-01-01T00:01:00Z"), ran);
        Scheduler.ItemStatus st = s.status().get(0);
        assertEquals(1, st.misses());
        assertEquals(Instant.parse("2027-01-01T00:03:00Z"), st.nextFire());
        Path prom = tmp.resolve("aetherflow_scheduler.prom");
        s.writeMetricsTo(prom);
        String text = java.nio.file.Files.readString(prom);
        assertTrue(text.contains("aetherflow_schedule_misses{item_id=\"a\"} 1\n"), text);
        assertTrue(text.contains("aetherflow_schedule_last_fire_timestamp_seconds{item_id=\"a\"} "
                + Instant.parse("2027-01-01T00:01:00Z").getEpochSecond() + "\n"), text);
        assertTrue(text.contains("aetherflow_schedule_next_fire_timestamp_seconds{item_id=\"a\"} "
                + Instant.parse("2027-01-01T00:03:00Z").getEpochSecond() + "\n"), text);
        assertTrue(log().contains("\"item_id\": \"a\"") || log().contains("\"item_id\":\"a\""), log());
        assertTrue(log().contains("was missed by 45.0 s"), log());
        assertTrue(log().contains("2027-01-01T00:02:00Z"), log());
    }

    @Test
    void missedFiresCoalesceIntoOneRunOfTheLatest() throws Exception {
        TestClock clock = new TestClock("2027-01-01T00:00:10Z");
        Scheduler s = scheduler(EVERY_MINUTE, clock, recording(), "one");
        clock.set("2027-01-01T00:05:20Z"); // 00:01 .. 00:05 missed; 00:05 is within the grace
        assertEquals(1, s.poll().size());
        awaitIdle(s);
        assertEquals(List.of("a@2027-01-01T00:05:00Z"), ran);
        assertEquals(4, s.status().get(0).misses());
        assertTrue(log().contains("Coalesced 5 missed fires of a into one"), log());
    }

    @Test
    void aFireWhileTheItemStillRunsIsSkippedAndAFailingRunStopsNothing() throws Exception {
        TestClock clock = new TestClock("2027-01-01T00:00:10Z");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Scheduler s = scheduler(EVERY_MINUTE, clock, (item, at, runId) -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                await(release);
                throw new IllegalStateException("planned failure");
            }
            return 0;
        }, "one");
        clock.set("2027-01-01T00:01:00Z");
        assertEquals(1, s.poll().size());
        clock.set("2027-01-01T00:02:00Z");
        assertEquals(0, s.poll().size(), "max_instances=1");
        assertTrue(log().contains("Execution of a skipped: maximum number of running instances reached (1)"), log());
        release.countDown();
        awaitIdle(s);
        assertTrue(log().contains("Run of a raised an exception: java.lang.IllegalStateException: planned failure"),
                log());
        clock.set("2027-01-01T00:03:00Z");
        assertEquals(1, s.poll().size(), "the scheduler goes on after a failing run");
        awaitIdle(s);
        assertEquals(2, calls.get());
        assertEquals(1, s.status().get(0).misses());
    }

    @Test
    void itemsRunConcurrently() throws Exception {
        TestClock clock = new TestClock("2027-01-01T00:00:10Z");
        CountDownLatch both = new CountDownLatch(2);
        Scheduler s = scheduler("timezone: UTC\nitems:\n  - {id: a, cron: '* * * * *', flow_yaml: f.yaml}\n"
                + "  - {id: b, cron: '* * * * *', flow_yaml: g.yaml}\n", clock, (item, at, runId) -> {
                    both.countDown();
                    // each waits for the other: finishes only when both run at the same time
                    return await(both) ? 0 : 1;
                }, "one");
        clock.set("2027-01-01T00:01:00Z");
        assertEquals(2, s.poll().size());
        awaitIdle(s);
        assertEquals(List.of(0, 0), s.status().stream().map(Scheduler.ItemStatus::lastExit).toList());
    }

    @Test
    void firesDueAtTheSameMomentAreClaimedTogether() throws Exception {
        TestClock clock = new TestClock("2027-01-01T00:00:10Z");
        StoreClaims store = claims(clock, "one");
        List<Map<String, Instant>> batches = Collections.synchronizedList(new ArrayList<>());
        FireClaims counting = new FireClaims() {
            @Override
            public Outcome claim(String itemId, Instant scheduledAt) {
                return store.claim(itemId, scheduledAt);
            }

            @Override
            public Map<String, Outcome> claimAll(Map<String, Instant> fires) {
                batches.add(new LinkedHashMap<>(fires));
                return store.claimAll(fires);
            }

            @Override
            public void renew(String itemId, Instant scheduledAt) {
                store.renew(itemId, scheduledAt);
            }

            @Override
            public void complete(String itemId, Instant scheduledAt, String status, String runId) {
                store.complete(itemId, scheduledAt, status, runId);
            }
        };
        ExecutorService workers = Executors.newCachedThreadPool();
        closing.add(workers::shutdownNow);
        EventLog log = new EventLog(new PrintStream(logBuf, true, StandardCharsets.UTF_8), LogLevel.INFO, true,
                x -> x, String::valueOf);
        Scheduler s = new Scheduler(spec("timezone: UTC\nitems:\n  - {id: a, cron: '* * * * *', flow_yaml: f.yaml}\n"
                + "  - {id: b, cron: '* * * * *', flow_yaml: f.yaml}\n  - {id: c, cron: '* * * * *', flow_yaml: f.yaml}\n"
                + "  - {id: hourly, cron: '0 * * * *', flow_yaml: f.yaml}\n"), clock, counting, recording(), workers, log);
        clock.set("2027-01-01T00:01:00Z");
        assertEquals(3, s.poll().size());
        assertEquals(List.of(List.of("a", "b", "c")), batches.stream().map(b -> List.copyOf(b.keySet())).toList(),
                "one claim call (one store transaction) for the three fires due at 00:01");
        awaitIdle(s);
        assertEquals(List.of("a@2027-01-01T00:01:00Z", "b@2027-01-01T00:01:00Z", "c@2027-01-01T00:01:00Z"),
                ran.stream().sorted().toList());
        try (StateStore check = openStore(StoreOptions.defaults())) {
            for (String item : List.of("a", "b", "c")) {
                FireRecord r = check.getFire(item, Instant.parse("2027-01-01T00:01:00Z")).orElseThrow();
                assertEquals("SUCCESS", r.status(), item);
                assertEquals("one", r.owner(), item);
            }
        }
        assertEquals(1, batches.size(), "no claim when nothing is due");
    }

    @Test
    void berlinDstNightsFireTheRightInstants() throws Exception {
        TestClock clock = new TestClock("2027-10-30T22:00:00Z");
        Scheduler s = scheduler("timezone: Europe/Berlin\nitems:\n  - {id: h, cron: '0,30 2 * * *', flow_yaml: f.yaml}\n",
                clock, recording(), "one");
        for (int i = 0; i < 6 * 24; i++) { // one day in 10-minute polls
            clock.advance(Duration.ofMinutes(10));
            s.poll();
            awaitIdle(s);
        }
        // 02:00 and 02:30 CEST once each, not again in the repeated CET hour
        assertEquals(List.of("h@2027-10-31T00:00:00Z", "h@2027-10-31T00:30:00Z"), ran);
    }

    @Test
    void threeSchedulersOnOneStoreRunEachFireOnce() throws Exception {
        TestClock clock = new TestClock("2027-01-01T00:00:10Z");
        List<Scheduler> all = List.of(scheduler(EVERY_MINUTE, clock, recording(), "s1"),
                scheduler(EVERY_MINUTE, clock, recording(), "s2"), scheduler(EVERY_MINUTE, clock, recording(), "s3"));
        ExecutorService pollers = Executors.newFixedThreadPool(3);
        closing.add(pollers::shutdownNow);
        for (int minute = 1; minute <= 5; minute++) {
            clock.set("2027-01-01T00:0" + minute + ":00.010Z");
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> f = new ArrayList<>();
            for (Scheduler s : all) {
                f.add(pollers.submit(() -> {
                    await(go);
                    return s.poll();
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> x : f) {
                x.get(30, TimeUnit.SECONDS);
            }
            for (Scheduler s : all) {
                awaitIdle(s);
            }
        }
        assertEquals(List.of("a@2027-01-01T00:01:00Z", "a@2027-01-01T00:02:00Z", "a@2027-01-01T00:03:00Z",
                "a@2027-01-01T00:04:00Z", "a@2027-01-01T00:05:00Z"), ran.stream().sorted().toList());
        try (StateStore store = openStore(StoreOptions.defaults())) {
            FireRecord r = store.getFire("a", Instant.parse("2027-01-01T00:03:00Z")).orElseThrow();
            assertEquals("SUCCESS", r.status());
            assertTrue(r.runId() != null && !r.runId().isBlank());
        }
    }

    @Test
    void aFireWhoseOwnerDiedIsTakenOverWithinTheGrace() throws Exception {
        TestClock clock = new TestClock("2027-01-01T00:00:10Z");
        Scheduler s = scheduler("timezone: UTC\nitems:\n  - {id: a, cron: '0 * * * *', flow_yaml: f.yaml}\n", clock,
                recording(), "alive");
        // another scheduler claimed 01:00 and died (killed -9): it never renews or completes
        clock.set("2027-01-01T01:00:00Z");
        assertTrue(claims(clock, "dead").claim("a", Instant.parse("2027-01-01T01:00:00Z")) == FireClaims.Outcome.RUN);
        clock.set("2027-01-01T01:00:01Z");
        assertEquals(0, s.poll().size(), "busy while the dead owner's lease lasts");
        clock.advance(StoreClaims.LEASE);
        assertEquals(1, s.poll().size(), "taken over after the lease, within the 300 s grace");
        awaitIdle(s);
        assertEquals(List.of("a@2027-01-01T01:00:00Z"), ran);
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
