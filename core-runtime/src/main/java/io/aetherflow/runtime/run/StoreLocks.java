package io.aetherflow.runtime.run;

import io.aetherflow.api.step.LockLease;
import io.aetherflow.runtime.observe.EventLog;
import io.aetherflow.runtime.observe.LogLevel;
import io.aetherflow.runtime.observe.RunObserver;
import io.aetherflow.runtime.state.LeaseKeeper;
import io.aetherflow.runtime.state.LockEvent;
import io.aetherflow.runtime.state.LockRecord;
import io.aetherflow.runtime.state.StateStore;
import java.time.Duration;
import java.util.Optional;

/**
 * The run's locks in the state store: owner = run id, leases renewed in the background by a
 * {@link LeaseKeeper}, every acquire/re-entry/takeover/release logged.
 */
final class StoreLocks implements LockService {

    private final StateStore store;
    private final LeaseKeeper keeper;
    private final EventLog log;
    private final RunObserver observer;

    StoreLocks(StateStore store, String runId, EventLog log, RunObserver observer) {
        this.store = store;
        this.log = log;
        this.observer = observer;
        this.keeper = new LeaseKeeper(store, runId, ev -> log.log(level(ev), observer.logger(), ev.message(),
                observer.ids(null, null)));
    }

    private static LogLevel level(LockEvent ev) {
        switch (ev.kind()) {
            case BUSY:
            case RENEWAL_FAILED:
            case LOST:
            case TAKEN_OVER:
                return LogLevel.WARNING;
            case RENEWED:
                return LogLevel.DEBUG;
            default:
                return LogLevel.INFO;
        }
    }

    @Override
    public Optional<LockLease> tryLock(String key, Duration ttl) {
        Optional<LockLease> lease = keeper.tryAcquire(key, Math.max(1, ttl.getSeconds()));
        // taking over an expired lease first kills what a dead holder left running: say so
        for (String killed : store.takeReaped()) {
            log.log(LogLevel.WARNING, observer.logger(), killed, observer.ids(null, null));
        }
        return lease;
    }

    @Override
    public String holder(String key) {
        return store.getLock(key).map(LockRecord::owner).orElse(null);
    }

    @Override
    public void close() {
        keeper.close();
    }
}
