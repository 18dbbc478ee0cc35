package io.aetherflow.runtime.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the scheduler tests set and move by hand. */
final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    TestClock(String start) {
        now = new AtomicReference<>(Instant.parse(start));
    }

    void set(String instant) {
        now.set(Instant.parse(instant));
    }

    void advance(Duration d) {
        now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
