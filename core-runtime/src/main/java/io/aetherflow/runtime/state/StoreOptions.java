package io.aetherflow.runtime.state;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a state store.
 *
 * @param busyTimeout how long a write waits for another process's write transaction before it
 *     fails with a "locked" {@link StateStoreException} (default 30 s, as the reference)
 * @param heartbeatInterval how often {@link RunHeartbeat} refreshes {@code runs.heartbeat_at_ms}
 *     (default 5 s)
 * @param staleAfter a RUNNING run on another host (or whose liveness cannot be checked) whose
 *     last heartbeat is older than this is dead (default 3 heartbeat intervals)
 * @param clock time source (tests move it)
 * @param host this machine's host name; runs recorded with the same host are checked by pid
 */
public record StoreOptions(Duration busyTimeout, Duration heartbeatInterval, Duration staleAfter, Clock clock,
        String host) {

    /** Validates. */
    public StoreOptions {
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(host, "host");
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busy timeout out of range: " + busyTimeout);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive: " + heartbeatInterval);
        }
        if (staleAfter.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("staleAfter (" + staleAfter
                    + ") must be longer than the heartbeat interval (" + heartbeatInterval + ")");
        }
    }

    /** @return 30 s busy timeout, 5 s heartbeat, 15 s staleness, system clock, this host */
    public static StoreOptions defaults() {
        Duration hb = Duration.ofSeconds(5);
        return new StoreOptions(Duration.ofSeconds(30), hb, hb.multipliedBy(3), Clock.systemUTC(),
                RunMeta.localHostName());
    }

    /**
     * @param timeout new busy timeout
     * @return a copy
     */
    public StoreOptions withBusyTimeout(Duration timeout) {
        return new StoreOptions(timeout, heartbeatInterval, staleAfter, clock, host);
    }

    /**
     * @param interval heartbeat interval; staleness becomes 3 intervals
     * @return a copy
     */
    public StoreOptions withHeartbeatInterval(Duration interval) {
        return new StoreOptions(busyTimeout, interval, interval.multipliedBy(3), clock, host);
    }

    /**
     * @param newClock time source
     * @return a copy
     */
    public StoreOptions withClock(Clock newClock) {
        return new StoreOptions(busyTimeout, heartbeatInterval, staleAfter, newClock, host);
    }
}
