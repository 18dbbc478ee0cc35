package io.aetherflow.runtime.schedule;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.run.RunIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Fires the items of a scheduler file, with the reference's job options: one job per item,
 * {@code max_instances=1} (a fire while the item still runs is skipped), {@code coalesce} (several
 * missed fire times collapse into one run, the latest), {@code misfire_grace_time} (a fire later
 * than its time plus the grace is dropped). Every fire is claimed ({@link FireClaims}) before it runs;
 * runs execute on the worker pool, several items at once; a failing run is logged and changes
 * nothing else.
 *
 * <p>Time comes from the injected {@link Clock}: {@link #poll()} does all the work of one instant,
 * so tests drive it with a clock they move; {@link #runUntilStopped()} polls and waits for the next
 * fire time.
 */
public final class Scheduler {

    private static final String LOGGER = "aetherflow.scheduler";
    /** The longest wait between polls, so a clock jump (suspend, NTP) is noticed. */
    private static final long MAX_WAIT_MS = 1000;

    private final Clock clock;
    private final FireClaims claims;
    private final FireRunner runner;
    private final ExecutorService workers;
    private final EventLog log;
    private final Map<String, ItemState> items = new LinkedHashMap<>();
    private final List<Future<?>> running = new ArrayList<>();
    private final Duration renewEvery;
    private volatile java.nio.file.Path metricsFile;
    private boolean stopping;

    /**
     * Computes every item's first fire time after the clock's now (fires before the start are not run).
     *
     * @param spec the scheduler file
     * @param clock the time source
     * @param claims where fires are claimed
     * @param runner what runs a fire
     * @param workers the threads runs execute on
     * @param log where the scheduler logs (JSON lines carry item_id and fire_time)
     */
    public Scheduler(SchedulerSpec spec, Clock clock, FireClaims claims, FireRunner runner, ExecutorService workers,
            EventLog log) {
        this.clock = clock;
        this.claims = claims;
        this.runner = runner;
        this.workers = workers;
        this.log = log;
        this.renewEvery = claims.lease().dividedBy(3);
        Instant now = clock.instant();
        for (ScheduleItem item : spec.items()) {
            items.put(item.id(), new ItemState(item, item.cron().next(now).orElse(null)));
            log.log(LogLevel.INFO, LOGGER, "Scheduled " + item.id() + " -> " + item.cron().expression(),
                    ids(item.id(), null));
        }
    }

    /**
     * Writes the items' metrics ({@link SchedulerMetrics}) to this file after every poll that fired or
     * missed something and at the end of every run.
     *
     * @param file the textfile-collector file, or null for none
     */
    public void writeMetricsTo(java.nio.file.Path file) {
        this.metricsFile = file;
        writeMetrics();
    }

    private void writeMetrics() {
        java.nio.file.Path file = metricsFile;
        if (file == null) {
            return;
        }
        try {
            io.aetherflow.runtime.observe.MetricsTextfile.write(file, SchedulerMetrics.text(status()));
        } catch (java.io.IOException | RuntimeException e) {
            log.log(LogLevel.WARNING, LOGGER, "scheduler metrics not written to " + file + ": " + e, Map.of());
        }
    }

    /**
     * Handles every fire due at the clock's now: coalesces missed ones, drops those past the grace,
     * skips an item still running, claims and submits the rest.
     *
     * @return the fires submitted by this poll
     */
    public synchronized List<Fire> poll() {
        List<Fire> submitted = new ArrayList<>();
        if (stopping) {
            return submitted;
        }
        Instant now = clock.instant();
        running.removeIf(Future::isDone);
        List<Due> toClaim = new ArrayList<>();
        for (ItemState s : items.values()) {
            renewIfDue(s, now);
            Instant candidate = s.pending;
            boolean scheduled = false;
            if (s.next != null && !s.next.isAfter(now)) {
                Instant latest = s.next;
                int due = 0;
                for (Instant t = s.next; t != null && !t.isAfter(now); t = s.item.cron().next(t).orElse(null)) {
                    latest = t;
                    due++;
                }
                s.next = s.item.cron().next(now).orElse(null);
                if (due > 1) {
                    s.misses += due - 1;
                    log.log(LogLevel.WARNING, LOGGER, "Coalesced " + due + " missed fires of " + s.item.id()
                            + " into one", ids(s.item.id(), latest));
                }
                candidate = latest;
                scheduled = true;
            }
            if (candidate == null) {
                continue;
            }
            s.pending = null;
            if (Duration.between(candidate, now).getSeconds() > s.item.misfireGraceSeconds()) {
                if (scheduled) {
                    s.misses++;
                    log.log(LogLevel.WARNING, LOGGER, "Run time of " + s.item.id() + " was missed by "
                            + Duration.between(candidate, now).toMillis() / 1000.0 + " s (misfire_grace_time "
                            + s.item.misfireGraceSeconds() + " s): dropped", ids(s.item.id(), candidate));
                }
                continue;
            }
            if (s.running.get()) {
                if (scheduled) {
                    s.misses++;
                    log.log(LogLevel.WARNING, LOGGER, "Execution of " + s.item.id()
                            + " skipped: maximum number of running instances reached (1)", ids(s.item.id(), candidate));
                }
                continue;
            }
            toClaim.add(new Due(s, candidate, scheduled));
        }
        Map<String, FireClaims.Outcome> outcomes = claimAllOrLog(toClaim);
        for (Due d : toClaim) {
            ItemState s = d.state();
            FireClaims.Outcome outcome = outcomes.get(s.item.id());
            if (outcome == FireClaims.Outcome.BUSY) {
                if (d.scheduled()) {
                    log.log(LogLevel.INFO, LOGGER, "Fire of " + s.item.id() + " is claimed by another scheduler",
                            ids(s.item.id(), d.at()));
                }
                s.pending = d.at(); // taken over if that scheduler dies before its lease ends
                continue;
            }
            if (outcome == FireClaims.Outcome.RUN && start(s, d.at(), now)) {
                Fire fire = new Fire(s.item, d.at());
                running.add(workers.submit(() -> execute(s, fire)));
                submitted.add(fire);
            }
        }
        return submitted;
    }

    /** A fire that passed the misfire and overlap checks and is claimed next. */
    private record Due(ItemState state, Instant at, boolean scheduled) {
    }

    /**
     * Claims every due fire of one poll together (one store transaction); a failing claim leaves
     * them all pending, to be claimed again at the next poll.
     */
    private Map<String, FireClaims.Outcome> claimAllOrLog(List<Due> due) {
        if (due.isEmpty()) {
            return Map.of();
        }
        Map<String, Instant> fires = new LinkedHashMap<>();
        for (Due d : due) {
            fires.put(d.state().item.id(), d.at());
        }
        try {
            return claims.claimAll(fires);
        } catch (RuntimeException e) {
            Map<String, FireClaims.Outcome> busy = new LinkedHashMap<>();
            for (Due d : due) {
                log.log(LogLevel.ERROR, LOGGER, "Claim of " + d.state().item.id() + " failed: " + e.getMessage(),
                        ids(d.state().item.id(), d.at()));
                d.state().pending = d.at();
                busy.put(d.state().item.id(), FireClaims.Outcome.BUSY);
            }
            return busy;
        }
    }

    private FireClaims.Outcome claimOrLog(ItemState s, Instant at) {
        try {
            return claims.claim(s.item.id(), at);
        } catch (RuntimeException e) {
            log.log(LogLevel.ERROR, LOGGER, "Claim of " + s.item.id() + " failed: " + e.getMessage(), ids(s.item.id(), at));
            s.pending = at;
            return FireClaims.Outcome.BUSY;
        }
    }

    private boolean start(ItemState s, Instant at, Instant now) {
        if (workers.isShutdown()) {
            return false;
        }
        s.running.set(true);
        s.runningFire = at;
        s.lastRenew = now;
        s.lastFire = at;
        s.fires++;
        return true;
    }

    private void renewIfDue(ItemState s, Instant now) {
        Instant at = s.runningFire;
        if (s.running.get() && at != null && Duration.between(s.lastRenew, now).compareTo(renewEvery) >= 0) {
            s.lastRenew = now;
            try {
                claims.renew(s.item.id(), at);
            } catch (RuntimeException e) {
                log.log(LogLevel.ERROR, LOGGER, "Lease renewal of " + s.item.id() + " failed: " + e.getMessage(),
                        ids(s.item.id(), at));
            }
        }
    }

    private void execute(ItemState s, Fire fire) {
        String runId = RunIds.newRunId();
        int exit = -1;
        try {
            Map<String, Object> ids = ids(s.item.id(), fire.scheduledAt());
            ids.put("run_id", runId);
            log.log(LogLevel.INFO, LOGGER, "Running " + s.item.id(), ids);
            exit = runner.run(s.item, fire.scheduledAt(), runId);
            log.log(exit == 0 ? LogLevel.INFO : LogLevel.ERROR, LOGGER, "Run of " + s.item.id() + " ended with exit code "
                    + exit, ids);
        } catch (RuntimeException | Error e) {
            log.log(LogLevel.ERROR, LOGGER, "Run of " + s.item.id() + " raised an exception: " + e,
                    ids(s.item.id(), fire.scheduledAt()));
        } finally {
            String status = exit == ExitCodes.OK ? "SUCCESS" : exit == ExitCodes.INTERRUPTED ? "INTERRUPTED" : "FAILED";
            try {
                claims.complete(s.item.id(), fire.scheduledAt(), status, runId);
            } catch (RuntimeException e) {
                log.log(LogLevel.ERROR, LOGGER, "Recording the end of " + s.item.id() + " failed: " + e.getMessage(),
                        ids(s.item.id(), fire.scheduledAt()));
            }
            synchronized (this) {
                s.lastExit = exit;
                s.runningFire = null;
                s.running.set(false);
                notifyAll();
            }
            writeMetrics();
        }
    }

    /**
     * Fires one item now (its fire time is the clock's now), whatever its schedule, through the same
     * claim and run path as a scheduled fire; waits for the run.
     *
     * @param itemId the item
     * @return the run's exit code, or null when the fire was not run (claimed elsewhere, already running)
     * @throws IllegalArgumentException for an unknown item
     */
    public Integer fireNow(String itemId) {
        ItemState s;
        Instant at = clock.instant();
        synchronized (this) {
            s = items.get(itemId);
            if (s == null) {
                throw new IllegalArgumentException("no item " + itemId + " (items: " + items.keySet() + ")");
            }
            if (s.running.get() || claimOrLog(s, at) != FireClaims.Outcome.RUN || !start(s, at, at)) {
                return null;
            }
        }
        execute(s, new Fire(s.item, at));
        synchronized (this) {
            return s.lastExit;
        }
    }

    /**
     * Polls and waits for the next fire time until {@link #stop} is called.
     *
     * @throws InterruptedException when the thread is interrupted (the caller then stops)
     */
    public void runUntilStopped() throws InterruptedException {
        log.log(LogLevel.INFO, LOGGER, "Scheduler running (" + items.size() + " items) ...", Map.of());
        synchronized (this) {
            while (!stopping) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("stop requested"); // a signal that arrived during a poll
                }
                long before = changes();
                poll();
                if (changes() != before) {
                    writeMetrics();
                }
                Instant next = nextFire();
                long wait = next == null ? MAX_WAIT_MS
                        : Math.max(1, Math.min(MAX_WAIT_MS, Duration.between(clock.instant(), next).toMillis()));
                wait(wait);
            }
        }
    }

    /**
     * Stops: no new fires; waits up to {@code grace} for running flows, then interrupts them (their
     * runs end INTERRUPTED) and waits for them to record it.
     *
     * @param grace how long running flows may still take
     * @return true when every run finished within the grace
     */
    public boolean stop(Duration grace) {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        workers.shutdown();
        try {
            if (workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            log.log(LogLevel.WARNING, LOGGER, "Running flows did not finish within " + grace.toSeconds()
                    + " s: interrupting them", Map.of());
            workers.shutdownNow();
            workers.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** @return a number that changes whenever an item fired or missed a fire */
    private synchronized long changes() {
        long n = 0;
        for (ItemState s : items.values()) {
            n += s.fires * 31 + s.misses;
        }
        return n;
    }

    /** @return the earliest next fire time of all items, or null */
    public synchronized Instant nextFire() {
        Instant best = null;
        for (ItemState s : items.values()) {
            if (s.next != null && (best == null || s.next.isBefore(best))) {
                best = s.next;
            }
        }
        return best;
    }

    /** @return a snapshot of every item's state, in file order */
    public synchronized List<ItemStatus> status() {
        List<ItemStatus> out = new ArrayList<>();
        for (ItemState s : items.values()) {
            out.add(new ItemStatus(s.item.id(), s.lastFire, s.next, s.lastExit, s.fires, s.misses, s.running.get()));
        }
        return out;
    }

    private static Map<String, Object> ids(String itemId, Instant fireTime) {
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("item_id", itemId);
        if (fireTime != null) {
            ids.put("fire_time", fireTime.toString());
        }
        return ids;
    }

    /**
     * One fire.
     *
     * @param item the item
     * @param scheduledAt its fire time
     */
    public record Fire(ScheduleItem item, Instant scheduledAt) {
    }

    /**
     * One item's state.
     *
     * @param id item id
     * @param lastFire its last fire time, or null
     * @param nextFire its next fire time, or null
     * @param lastExit the last run's exit code, or null
     * @param fires how many fires ran
     * @param misses how many fires were dropped, skipped or coalesced away
     * @param running whether a run is in progress
     */
    public record ItemStatus(String id, Instant lastFire, Instant nextFire, Integer lastExit, long fires, long misses,
            boolean running) {
    }
}
