package io.aetherflow.runtime.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link StateStore} over one JDBC connection ({@link StateSql}), shared by the SQLite and the
 * PostgreSQL backend: it decides only what one call means as a transaction (durable or not, a
 * write or a consistent read) and composes the backend-neutral table parts {@link RunsTable}
 * ({@code runs}, heartbeats, dead runs), {@link StepsTable} (job and step rows, legacy rows),
 * {@link LocksTable} ({@code locks}), {@link ProcessesTable} ({@code step_processes}, reaping) and
 * {@link FiresTable} ({@code fire_claims}). One connection per store, used under this object's
 * monitor by the runner thread and the heartbeat/lease threads.
 */
abstract class JdbcStateStore implements StateStore {

    private final StateSql db;
    private final ProcessesTable processes;
    private final StepsTable steps;
    private final RunsTable runs;
    private final LocksTable locks;
    private final FiresTable fires;

    JdbcStateStore(StateSql db) {
        this.db = db;
        this.processes = new ProcessesTable(db);
        this.steps = new StepsTable(db, processes);
        this.runs = new RunsTable(db, steps, processes);
        this.locks = new LocksTable(db, () -> runs.markDead(db.nowMs()));
        this.fires = new FiresTable(db);
    }

    /** @return the JDBC layer, for {@link StateCopy} (callers synchronise on this store) */
    final StateSql sql() {
        return db;
    }

    @Override
    public String location() {
        return db.location().toString();
    }

    @Override
    public StoreOptions options() {
        return db.options();
    }

    // ------------------------------------------------------------------------------------- runs

    @Override
    public synchronized RunStart beginRun(String flowId, String runId, RunMeta meta) {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(meta, "meta");
        // the run row rides without a sync of its own, like the job and step RUNNING rows after it:
        // it survives the death of this process, and the first durable commit (the end of the
        // run's first step, or of the run) syncs it along with its own frames
        RunStart start = db.write("beginning run " + runId + " of flow " + flowId, false,
                () -> runs.begin(flowId, runId, meta));
        if (!start.resumed()) {
            processes.begunFresh(flowId, runId);
        }
        return start;
    }

    @Override
    public synchronized boolean heartbeat(String flowId, String runId) {
        RunMeta meta = runs.begun(flowId, runId);
        if (meta == null) {
            throw new IllegalStateException("run " + runId + " of flow " + flowId + " was not begun by this store");
        }
        return db.write("recording the heartbeat of run " + runId, () -> runs.heartbeat(flowId, runId, meta));
    }

    @Override
    public synchronized void endRun(String flowId, String runId, RunStatus status, String error, String summaryJson) {
        Objects.requireNonNull(status, "status");
        if (status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("endRun needs a final status, not RUNNING");
        }
        db.write("ending run " + runId + " of flow " + flowId, () -> {
            runs.end(flowId, runId, status, error, summaryJson);
            return null;
        });
        runs.forget(flowId, runId);
    }

    @Override
    public synchronized List<RunRecord> markDeadRuns() {
        return db.write("checking for dead runs", () -> runs.markDead(db.nowMs()));
    }

    @Override
    public synchronized List<String> takeReaped() {
        return processes.takeReaped();
    }

    @Override
    public synchronized void recordProcess(String flowId, String runId, String jobId, String stepId, long pid, long pgid,
            Long startedAtMs) {
        db.write("recording process " + pid + " of step " + jobId + "/" + stepId, false, () -> {
            processes.record(flowId, runId, jobId, stepId, pid, pgid, startedAtMs);
            return null;
        });
    }

    @Override
    public synchronized List<RunRecord> listRuns(int limit, String flowId) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return db.read("listing runs", () -> runs.list(limit, flowId));
    }

    @Override
    public synchronized Optional<RunDetails> getRun(String flowId, String runId) {
        return db.snapshot("reading run " + runId, () -> {
            Optional<RunRecord> run = runs.select(flowId, runId);
            return run.isEmpty() ? Optional.<RunDetails>empty() : Optional.of(runs.details(run.get()));
        });
    }

    @Override
    public synchronized Optional<RunDetails> getRun(String runId) {
        return db.snapshot("reading run " + runId, () -> {
            List<RunRecord> found = runs.withRunId(runId);
            if (found.isEmpty()) {
                return Optional.<RunDetails>empty();
            }
            if (found.size() > 1) {
                throw new StateStoreException("run id " + runId + " exists for several flows ("
                        + String.join(", ", found.stream().map(RunRecord::flowId).toList()) + ") in state store "
                        + db.location() + ": name the flow too");
            }
            return Optional.of(runs.details(found.get(0)));
        });
    }

    // --------------------------------------------------------------------------- jobs and steps

    @Override
    public synchronized void setJobStatus(String flowId, String runId, String jobId, JobUpdate update) {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(update, "update");
        String outputs = Outputs.toJson(update.outputs());
        // like a step's RUNNING row: the job's start rides without a sync of its own (the run row is
        // durable, and the job's first step end syncs it along with its own frames)
        boolean durable = !"RUNNING".equals(update.status());
        db.write("writing status " + update.status() + " of job " + jobId, durable, () -> {
            steps.setJob(flowId, runId, jobId, update, outputs);
            return null;
        });
    }

    @Override
    public synchronized Optional<JobRecord> getJobRecord(String flowId, String runId, String jobId) {
        return db.read("reading job " + jobId, () -> steps.job(flowId, runId, jobId));
    }

    /** {@inheritDoc} A RUNNING status is committed with {@code synchronous=NORMAL} (no sync of its own). */
    @Override
    public synchronized void setStepStatus(String flowId, String runId, String jobId, String stepId,
            StepUpdate update) {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(update, "update");
        String outputs = Outputs.toJson(update.outputs());
        boolean durable = !"RUNNING".equals(update.status());
        db.write("writing status " + update.status() + " of step " + jobId + "/" + stepId, durable, () -> {
            steps.setStep(flowId, runId, jobId, stepId, update, outputs);
            return null;
        });
    }

    @Override
    public synchronized void endStepStartNext(String flowId, String runId, String jobId, String stepId,
            StepUpdate update, String nextStepId, StepUpdate next) {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(nextStepId, "nextStepId");
        if ("RUNNING".equals(update.status()) || !"RUNNING".equals(next.status())) {
            throw new IllegalArgumentException("endStepStartNext: a final status, then RUNNING; got "
                    + update.status() + ", " + next.status());
        }
        String outputs = Outputs.toJson(update.outputs());
        String nextOutputs = Outputs.toJson(next.outputs());
        db.write("writing status " + update.status() + " of step " + jobId + "/" + stepId, true, () -> {
            steps.setStepAndNext(flowId, runId, jobId, stepId, update, outputs, nextStepId, next, nextOutputs);
            return null;
        });
    }

    @Override
    public synchronized Optional<String> getStepStatus(String flowId, String runId, String jobId, String stepId) {
        return db.read("reading step " + jobId + "/" + stepId, () -> steps.stepStatus(flowId, runId, jobId, stepId));
    }

    @Override
    public synchronized Optional<StepRecord> getStepRecord(String flowId, String runId, String jobId, String stepId) {
        return db.read("reading step " + jobId + "/" + stepId, () -> steps.step(flowId, runId, jobId, stepId));
    }

    @Override
    public synchronized Map<String, StepRecord> getStepRecords(String flowId, String runId, String jobId) {
        return db.snapshot("reading the steps of job " + jobId, () -> steps.steps(flowId, runId, jobId));
    }

    // ------------------------------------------------------------------------------------ locks

    @Override
    public synchronized LockEvent acquireLock(String key, String owner, long ttlSeconds) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        checkTtl(ttlSeconds);
        return db.write("acquiring lock " + key, () -> locks.acquire(key, owner, ttlSeconds));
    }

    @Override
    public synchronized boolean renewLock(String key, String owner, long ttlSeconds) {
        checkTtl(ttlSeconds);
        return db.write("renewing lock " + key, () -> locks.renew(key, owner, ttlSeconds));
    }

    @Override
    public synchronized boolean releaseLock(String key, String owner) {
        return db.write("releasing lock " + key, () -> locks.release(key, owner));
    }

    @Override
    public synchronized Optional<LockRecord> getLock(String key) {
        return db.read("reading lock " + key, () -> locks.holder(key));
    }

    private static void checkTtl(long ttlSeconds) {
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("lock ttl must be at least 1 second: " + ttlSeconds);
        }
    }

    // ------------------------------------------------------------------------------ fire claims

    @Override
    public synchronized FireClaim claimFire(String itemId, Instant scheduledAt, String owner, Duration lease) {
        FireClaims.check(itemId, scheduledAt, owner, lease); // before Map.of, whose null checks name nothing
        return claimFires(Map.of(itemId, scheduledAt), owner, lease).get(0);
    }

    @Override
    public synchronized List<FireClaim> claimFires(Map<String, Instant> fires, String owner, Duration lease) {
        Objects.requireNonNull(fires, "fires");
        fires.forEach((itemId, at) -> FireClaims.check(itemId, at, owner, lease));
        if (fires.isEmpty()) {
            return List.of();
        }
        return db.write(claimingAction(fires), () -> {
            List<FireClaim> out = new java.util.ArrayList<>(fires.size());
            for (Map.Entry<String, Instant> f : fires.entrySet()) {
                out.add(this.fires.claim(f.getKey(), f.getValue(), owner, lease));
            }
            return out;
        });
    }

    /** @return "claiming fire a@T" for one fire, "claiming 5 fires (a@T, b@T, c@T, ...)" for more */
    private static String claimingAction(Map<String, Instant> fires) {
        List<String> names = fires.entrySet().stream().limit(3).map(f -> f.getKey() + "@" + f.getValue()).toList();
        if (fires.size() == 1) {
            return "claiming fire " + names.get(0);
        }
        return "claiming " + fires.size() + " fires (" + String.join(", ", names) + (fires.size() > 3 ? ", ..." : "")
                + ")";
    }

    @Override
    public synchronized boolean renewFire(String itemId, Instant scheduledAt, String owner, Duration lease) {
        FireClaims.check(itemId, scheduledAt, owner, lease);
        return db.write("renewing the claim of fire " + itemId + "@" + scheduledAt,
                () -> fires.renew(itemId, scheduledAt, owner, lease));
    }

    @Override
    public synchronized boolean completeFire(String itemId, Instant scheduledAt, String owner, String status,
            String runId) {
        FireClaims.check(itemId, scheduledAt, owner);
        Objects.requireNonNull(status, "status");
        return db.write("completing fire " + itemId + "@" + scheduledAt,
                () -> fires.complete(itemId, scheduledAt, owner, status, runId));
    }

    @Override
    public synchronized boolean releaseFire(String itemId, Instant scheduledAt, String owner) {
        FireClaims.check(itemId, scheduledAt, owner);
        return db.write("releasing fire " + itemId + "@" + scheduledAt, () -> fires.release(itemId, scheduledAt,
                owner));
    }

    @Override
    public synchronized Optional<FireRecord> getFire(String itemId, Instant scheduledAt) {
        FireClaims.check(itemId, scheduledAt, "-");
        return db.read("reading fire " + itemId + "@" + scheduledAt, () -> fires.get(itemId, scheduledAt));
    }

    /**
     * Readies this store for the next run of a {@link StorePool}: forgets the runs begun and the
     * reaped processes not taken, lets the connection release its caches.
     *
     * @return false when the store was closed and cannot be reused
     */
    synchronized boolean recycle() {
        if (db.closed()) {
            return false;
        }
        runs.forgetAll();
        processes.forgetAll();
        processes.takeReaped();
        db.idle();
        return true;
    }

    @Override
    public synchronized void close() {
        db.close();
    }
}
