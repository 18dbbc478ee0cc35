package io.aetherflow.runtime.state;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded state store: one SQLite file through sqlite-jdbc's {@link SQLiteDataSource}, WAL
 * journal, {@code synchronous=FULL}, a busy timeout, {@code BEGIN IMMEDIATE} for every
 * multi-statement write, one connection per store (shared, under this object's monitor, by the
 * runner thread and the heartbeat/lease threads). Every committed write survives {@code kill -9}.
 *
 * <p>This class is the {@link StateStore} seam for SQLite and decides only what one call means as
 * a transaction (durable or not, a write or a consistent read); the work is split by
 * responsibility: {@link SqliteDatabase} (file, connection, pragmas, migration, transactions,
 * busy handling, statements and parameter binding) and the table parts {@link SqliteRuns}
 * ({@code runs}, heartbeats, dead runs), {@link SqliteSteps} (job and step rows, legacy rows),
 * {@link SqliteLocks} ({@code locks}) and {@link SqliteProcesses} ({@code step_processes},
 * reaping). All SQLite-specific SQL lives in those parts.
 *
 * <p>Call {@link SqliteNative#prepare(Path)} once before the first {@link #open} so the native
 * library is not extracted to the temp directory on every run.
 */
public final class SqliteStateStore implements StateStore {

    private final SqliteDatabase db;
    private final SqliteProcesses processes;
    private final SqliteSteps steps;
    private final SqliteRuns runs;
    private final SqliteLocks locks;
    private final SqliteFires fires;

    private SqliteStateStore(SqliteDatabase db) {
        this.db = db;
        this.processes = new SqliteProcesses(db);
        this.steps = new SqliteSteps(db, processes);
        this.runs = new SqliteRuns(db, steps, processes);
        this.locks = new SqliteLocks(db, () -> runs.markDead(db.nowMs()));
        this.fires = new SqliteFires(db);
    }

    /**
     * Opens (creating when missing) a store with {@link StoreOptions#defaults()}.
     *
     * @param file the SQLite file ({@code flow.state.path})
     * @return the open store
     * @throws StateStoreException with a one-line reason when the file cannot be used
     */
    public static SqliteStateStore open(Path file) {
        return open(file, StoreOptions.defaults());
    }

    /**
     * Opens (creating when missing) a store: creates parent directories, creates the file with mode
     * 0600, opens one connection (WAL, synchronous=FULL, busy timeout) and migrates the schema to
     * the current version in place (a file of the Python AetherFlow keeps its tables and rows).
     *
     * @param file the SQLite file ({@code flow.state.path})
     * @param options busy timeout, heartbeat/staleness, clock, host name
     * @return the open store
     * @throws StateStoreException with a one-line reason when the file cannot be used
     */
    public static SqliteStateStore open(Path file, StoreOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        return new SqliteStateStore(SqliteDatabase.open(file.toAbsolutePath().normalize(), options));
    }

    /**
     * Loads sqlite-jdbc's classes and native library without opening any file. The first
     * connection of a JVM spends tens of milliseconds there (every sqlite-jdbc configuration builds
     * date formats, which loads time-zone and locale data), so a caller that will open a store can
     * run this on another thread while it does other work. Failures are left to {@link #open} to
     * report: it does the same work again.
     */
    public static void preloadDriver() {
        SqliteDatabase.preloadDriver();
    }

    /** @return the store file (absolute) */
    public Path file() {
        return db.file();
    }

    /** @return the schema version of the open file ({@code PRAGMA user_version}) */
    public synchronized int schemaVersion() {
        return db.schemaVersion();
    }

    /**
     * Reads a pragma on the store's own connection (diagnostics: {@code aetherflow doctor}, tests).
     *
     * @param name pragma name, e.g. {@code synchronous}, {@code journal_mode}, {@code busy_timeout}
     * @return its value as text
     */
    public synchronized String pragma(String name) {
        return db.pragma(name);
    }

    @Override
    public String location() {
        return db.file().toString();
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
        return db.write("beginning run " + runId + " of flow " + flowId, () -> runs.begin(flowId, runId, meta));
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
                        + db.file() + ": name the flow too");
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
        db.write("writing status " + update.status() + " of job " + jobId, () -> {
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
        FireClaims.check(itemId, scheduledAt, owner, lease);
        return db.write("claiming fire " + itemId + "@" + scheduledAt, () -> fires.claim(itemId, scheduledAt, owner,
                lease));
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

    @Override
    public synchronized void close() {
        db.close();
    }
}
