package io.aetherflow.runtime.schedule;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the scheduler knows of one item: its next fire time, its last fire, whether it runs, and
 * how many fires it missed (dropped past the misfire grace, skipped while running, collapsed by
 * coalescing). Guarded by the scheduler's lock except {@link #running}.
 */
final class ItemState {

    final ScheduleItem item;
    final AtomicBoolean running = new AtomicBoolean();
    Instant next;
    Instant lastFire;
    Integer lastExit;
    long fires;
    long misses;
    /** A fire another scheduler holds (BUSY): asked again each poll until done or past the grace. */
    Instant pending;
    /** The fire time of the run in progress, and when its claim was last renewed. */
    Instant runningFire;
    Instant lastRenew;

    ItemState(ScheduleItem item, Instant next) {
        this.item = item;
        this.next = next;
    }
}
