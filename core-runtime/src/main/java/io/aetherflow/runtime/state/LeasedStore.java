package io.aetherflow.runtime.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One run's hold on a store of a {@link StorePool}: every call goes to the pooled store until
 * {@link #close()}, which hands the store back to the pool (once; later closes do nothing, later
 * calls fail as on a closed store), so a run keeps its "one connection" for its whole life and
 * the next run reuses the connection, its prepared statements and its checked schema.
 */
final class LeasedStore implements StateStore {

    private final JdbcStateStore store;
    private final Consumer<JdbcStateStore> giveBack;
    private volatile boolean closed;

    LeasedStore(JdbcStateStore store, Consumer<JdbcStateStore> giveBack) {
        this.store = store;
        this.giveBack = giveBack;
    }

    private JdbcStateStore target() {
        if (closed) {
            throw new IllegalStateException("state store " + store.location() + " is closed");
        }
        return store;
    }

    /** Hands the store back to its pool; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        giveBack.accept(store);
    }

    @Override
    public String location() {
        return target().location();
    }

    @Override
    public StoreOptions options() {
        return target().options();
    }

    @Override
    public RunStart beginRun(String flowId, String runId, RunMeta meta) {
        return target().beginRun(flowId, runId, meta);
    }

    @Override
    public boolean heartbeat(String flowId, String runId) {
        return target().heartbeat(flowId, runId);
    }

    @Override
    public void endRun(String flowId, String runId, RunStatus status, String error, String summaryJson) {
        target().endRun(flowId, runId, status, error, summaryJson);
    }

    @Override
    public List<RunRecord> markDeadRuns() {
        return target().markDeadRuns();
    }

    @Override
    public List<RunRecord> listRuns(int limit, String flowId) {
        return target().listRuns(limit, flowId);
    }

    @Override
    public Optional<RunDetails> getRun(String flowId, String runId) {
        return target().getRun(flowId, runId);
    }

    @Override
    public Optional<RunDetails> getRun(String runId) {
        return target().getRun(runId);
    }

    @Override
    public void setJobStatus(String flowId, String runId, String jobId, JobUpdate update) {
        target().setJobStatus(flowId, runId, jobId, update);
    }

    @Override
    public Optional<JobRecord> getJobRecord(String flowId, String runId, String jobId) {
        return target().getJobRecord(flowId, runId, jobId);
    }

    @Override
    public void setStepStatus(String flowId, String runId, String jobId, String stepId, StepUpdate update) {
        target().setStepStatus(flowId, runId, jobId, stepId, update);
    }

    @Override
    public Optional<String> getStepStatus(String flowId, String runId, String jobId, String stepId) {
        return target().getStepStatus(flowId, runId, jobId, stepId);
    }

    @Override
    public Optional<StepRecord> getStepRecord(String flowId, String runId, String jobId, String stepId) {
        return target().getStepRecord(flowId, runId, jobId, stepId);
    }

    @Override
    public Map<String, StepRecord> getStepRecords(String flowId, String runId, String jobId) {
        return target().getStepRecords(flowId, runId, jobId);
    }

    @Override
    public void recordProcess(String flowId, String runId, String jobId, String stepId, long pid, long pgid, Long startedAtMs) {
        target().recordProcess(flowId, runId, jobId, stepId, pid, pgid, startedAtMs);
    }

    @Override
    public List<String> takeReaped() {
        return target().takeReaped();
    }

    @Override
    public LockEvent acquireLock(String key, String owner, long ttlSeconds) {
        return target().acquireLock(key, owner, ttlSeconds);
    }

    @Override
    public boolean renewLock(String key, String owner, long ttlSeconds) {
        return target().renewLock(key, owner, ttlSeconds);
    }

    @Override
    public boolean releaseLock(String key, String owner) {
        return target().releaseLock(key, owner);
    }

    @Override
    public Optional<LockRecord> getLock(String key) {
        return target().getLock(key);
    }

    @Override
    public FireClaim claimFire(String itemId, Instant scheduledAt, String owner, Duration lease) {
        return target().claimFire(itemId, scheduledAt, owner, lease);
    }

    @Override
    public List<FireClaim> claimFires(Map<String, Instant> fires, String owner, Duration lease) {
        return target().claimFires(fires, owner, lease);
    }

    @Override
    public boolean renewFire(String itemId, Instant scheduledAt, String owner, Duration lease) {
        return target().renewFire(itemId, scheduledAt, owner, lease);
    }

    @Override
    public boolean completeFire(String itemId, Instant scheduledAt, String owner, String status, String runId) {
        return target().completeFire(itemId, scheduledAt, owner, status, runId);
    }

    @Override
    public boolean releaseFire(String itemId, Instant scheduledAt, String owner) {
        return target().releaseFire(itemId, scheduledAt, owner);
    }

    @Override
    public Optional<FireRecord> getFire(String itemId, Instant scheduledAt) {
        return target().getFire(itemId, scheduledAt);
    }
}
