package io.aetherflow.runtime.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable run state: runs, job and step statuses (with outputs, errors and timings) and TTL locks.
 * Backend-neutral; {@link SqliteStateStore} is the embedded default and a shared backend
 * (PostgreSQL) can implement the same contract later.
 *
 * <p>Contract for every backend:
 * <ul>
 *   <li>each status change is one atomic, durable transaction: the reference row
 *       ({@code job_runs}/{@code step_runs}) and the detail row commit together or not at all;</li>
 *   <li>job and step state is keyed by flow id, run id, job id (and step id); rows written by the
 *       Python AetherFlow (no flow id) are still honoured for resume lookups ({@code legacy});</li>
 *   <li>locks use epoch seconds, are re-entrant for the same owner, and can be taken over only
 *       after the lease expired;</li>
 *   <li>failures are {@link StateStoreException}s with one-line messages; a failed write leaves
 *       nothing half-written;</li>
 *   <li>scheduled fires are claimed exactly once per item id and scheduled time
 *       ({@link #claimFire}), see "Fire claims" below.</li>
 * </ul>
 * Implementations are thread-safe (the runner thread, {@link RunHeartbeat} and
 * {@link LeaseKeeper} share one store).
 *
 * <h2>A second backend</h2>
 * This interface is the whole seam: the runner, {@code aetherflow runs}, {@link RunHeartbeat},
 * {@link LeaseKeeper} and the lock service see only {@code StateStore}, {@link StoreOptions} and
 * the record types of this package, none of which names SQLite. A shared backend (PostgreSQL)
 * implements {@code StateStore} in its own classes, following the SQLite layout:
 * <ul>
 *   <li>a database part like {@code SqliteDatabase}: connection, schema migration, the
 *       transaction kinds this contract needs (a durable write, a write without a sync of its own
 *       for RUNNING rows and process records, a single read, a consistent multi-read snapshot),
 *       busy/lock-wait handling and the translation of driver errors into one-line
 *       {@link StateStoreException}s (with {@link StateStoreException#busy()} for lock waits);</li>
 *   <li>table parts like {@code RunsTable}, {@code StepsTable}, {@code LocksTable} and
 *       {@code ProcessesTable} holding that backend's SQL (the SQLite parts use SQLite's
 *       dialect: {@code ON CONFLICT} upserts, {@code rowid} order, scalar {@code MAX(a, b)},
 *       {@code PRAGMA}, {@code BEGIN IMMEDIATE}; none of it belongs in shared code);</li>
 *   <li>the same tables and columns, so ops queries and {@code aetherflow runs} work unchanged;
 *       dead-run detection, the process reaping and the lock take-over rules are part of the
 *       contract above and happen inside the write transaction that needs them.</li>
 * </ul>
 *
 * <h2>Fire claims (scheduler, exactly once)</h2>
 * A scheduler calls {@link #claimFire} with the item id, the fire's scheduled time, an owner string
 * unique to that scheduler process (e.g. {@code host:pid:uuid}) and a lease, and runs the fire only
 * when {@link FireClaim#claimed()}. The claim is one row of {@code fire_claims} keyed by item id +
 * scheduled time (millisecond precision), written in one serialised write transaction, so of N
 * schedulers (threads, processes, or hosts on a shared backend) exactly one gets it. While the fire
 * runs, the owner extends the lease with {@link #renewFire} (e.g. every third of the lease); at the
 * end it calls {@link #completeFire} with the final status and run id, after which the fire is
 * {@link FireClaim.Kind#DONE} for everyone and never runs again. An owner that dies stops renewing:
 * once its lease expired, the next {@link #claimFire} of another owner returns
 * {@link FireClaim.Kind#TAKEN_OVER} and runs the fire (so choose the lease shorter than the
 * misfire grace). {@link #releaseFire} gives up an unfinished claim (graceful stop before the run
 * started) so another owner can claim it at once. Times come from {@link StoreOptions#clock()}.
 *
 * <p>The backend is chosen where the store is opened ({@code run.StoreAccess#open}, from
 * {@code flow.state.backend}); nothing else changes.
 */
public interface StateStore extends AutoCloseable {

    /** @return where the state lives, for messages (a file path for SQLite) */
    String location();

    /** @return the options the store was opened with */
    StoreOptions options();

    // ---------------------------------------------------------------- runs

    /**
     * Records the start of a run (or of a resume attempt of the same run id). In one transaction:
     * marks every dead RUNNING run INTERRUPTED (see {@link #markDeadRuns()}); refuses if this flow
     * id and run id is still RUNNING in a live process; otherwise writes the run row as RUNNING with
     * a fresh heartbeat. Committed without a sync of its own (like a RUNNING step row): it
     * survives the death of the process at once and is made durable by the next durable commit.
     *
     * @param flowId flow id
     * @param runId run id
     * @param meta host, pid, plugin-set hash, flow file and its hash
     * @return the new row, the previous row of the same run id (resume) and the runs found dead
     * @throws RunActiveException when the same run is still alive elsewhere
     */
    RunStart beginRun(String flowId, String runId, RunMeta meta);

    /**
     * Refreshes the run's heartbeat. Only a run begun through this store instance can be beaten.
     *
     * @param flowId flow id
     * @param runId run id
     * @return false when the row is no longer RUNNING for this process (another process found it
     *     dead and marked it INTERRUPTED, or resumed it)
     */
    boolean heartbeat(String flowId, String runId);

    /**
     * Records the end of a run. For {@link RunStatus#INTERRUPTED} (and {@link RunStatus#FAILED})
     * the run's RUNNING jobs and steps are marked INTERRUPTED (FAILED) in the same transaction; the
     * run's process rows are dropped.
     *
     * @param flowId flow id
     * @param runId run id
     * @param status final status (not RUNNING)
     * @param error one-line error (nullable; masked by the caller)
     * @param summaryJson run summary JSON (nullable)
     * @throws IllegalStateException when the run was never begun
     */
    void endRun(String flowId, String runId, RunStatus status, String error, String summaryJson);

    /**
     * Marks dead runs INTERRUPTED: RUNNING runs on this host whose process is gone (or whose pid now
     * belongs to a younger process), and RUNNING runs elsewhere whose last heartbeat is older than
     * {@link StoreOptions#staleAfter()}. Their RUNNING job and step rows (reference and detail)
     * become INTERRUPTED too.
     *
     * @return the runs marked, with status INTERRUPTED
     */
    List<RunRecord> markDeadRuns();

    /**
     * Lists runs, newest first. Read-only: call {@link #markDeadRuns()} first for fresh statuses.
     *
     * @param limit maximum number of rows (&gt; 0)
     * @param flowId only this flow, or null for all
     * @return run rows
     */
    List<RunRecord> listRuns(int limit, String flowId);

    /**
     * @param flowId flow id
     * @param runId run id
     * @return the run with its jobs and steps, or empty
     */
    Optional<RunDetails> getRun(String flowId, String runId);

    /**
     * @param runId run id
     * @return the run with its jobs and steps, or empty
     * @throws StateStoreException when several flows have a run with this id (message names them)
     */
    Optional<RunDetails> getRun(String runId);

    // ---------------------------------------------------------------- jobs and steps

    /**
     * Writes a job status: the reference row {@code job_runs(job_id, run_id)} and the detail row,
     * in one transaction. {@code RUNNING} is committed without a sync of its own, like a step's
     * (the next durable commit, at the latest the job's first step end, syncs it too); every
     * other status is durable when this returns.
     *
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param update status, timings, outputs, error
     */
    void setJobStatus(String flowId, String runId, String jobId, JobUpdate update);

    /**
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @return the job row (detail row, else a legacy reference row), or empty
     */
    Optional<JobRecord> getJobRecord(String flowId, String runId, String jobId);

    /**
     * Writes a step status: the reference row {@code step_runs(job_id, run_id, step_id)} and the
     * detail row, in one transaction (one fsync). {@code RUNNING} (written when the step starts) is
     * committed without a sync of its own: it survives the death of this process, and losing it
     * to a power loss only loses the information that the step had started. A final status also
     * drops the step's {@link #recordProcess process rows}.
     *
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param stepId step id
     * @param update status, type, serving bundle, timings, outputs, error
     */
    void setStepStatus(String flowId, String runId, String jobId, String stepId, StepUpdate update);

    /**
     * Writes a step's final status and, in the same durable transaction, the {@code RUNNING} row of
     * the step that starts next in the same job: the next step's start rides in this boundary's
     * sync instead of a commit of its own. The rows are the ones two {@link #setStepStatus} calls
     * would write.
     *
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param stepId the step that ended
     * @param update its final status (not {@code RUNNING})
     * @param nextStepId the step that starts next
     * @param next its {@code RUNNING} status
     */
    void endStepStartNext(String flowId, String runId, String jobId, String stepId, StepUpdate update,
            String nextStepId, StepUpdate next);

    /**
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param stepId step id
     * @return the stored status (detail row, else legacy reference row), or empty
     */
    Optional<String> getStepStatus(String flowId, String runId, String jobId, String stepId);

    /**
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param stepId step id
     * @return the step row with its outputs restored, or empty
     */
    Optional<StepRecord> getStepRecord(String flowId, String runId, String jobId, String stepId);

    /**
     * All step rows of one job, for resuming a job with one query.
     *
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @return step id to record, in the order the steps were first written (legacy rows after)
     */
    Map<String, StepRecord> getStepRecords(String flowId, String runId, String jobId);

    /**
     * Records a child process of a running step (pid, process group, start time) so that a run
     * finding this one dead can kill what it left running. Committed without a sync of its own
     * (it survives the death of this process; a power loss takes the child with it anyway). The
     * rows of a step are dropped when its final status is written, those of a run when it ends.
     *
     * @param flowId flow id
     * @param runId run id
     * @param jobId job id
     * @param stepId step id
     * @param pid the child's pid
     * @param pgid its process group, or &lt;= 0 when it has none of its own
     * @param startedAtMs its start time (epoch ms, guards against pid reuse), or null when unknown
     */
    void recordProcess(String flowId, String runId, String jobId, String stepId, long pid, long pgid, Long startedAtMs);

    /**
     * What dead-run detection killed since the last call: one line per process group of a dead run
     * that was still running on this host (it happens inside {@link #beginRun},
     * {@link #markDeadRuns()} and {@link #acquireLock} when a lease is taken over).
     *
     * @return messages to log, oldest first; the list is cleared
     */
    List<String> takeReaped();

    // ---------------------------------------------------------------- locks

    /**
     * Tries to acquire a lock: deletes all expired rows, then inserts {@code (key, owner, now+ttl)}.
     * The same owner re-acquiring extends its lease (re-entrant). Another owner's unexpired lease
     * wins; an expired one is taken over.
     *
     * @param key lock key
     * @param owner owner (the run id)
     * @param ttlSeconds lease length in seconds (&gt;= 1)
     * @return ACQUIRED, REENTERED or TAKEN_OVER (held) or BUSY (not held, with the holder)
     */
    LockEvent acquireLock(String key, String owner, long ttlSeconds);

    /**
     * Extends a lease held by {@code owner}.
     *
     * @param key lock key
     * @param owner owner
     * @param ttlSeconds new lease length from now
     * @return false when the owner no longer has the row (lost)
     */
    boolean renewLock(String key, String owner, long ttlSeconds);

    /**
     * @param key lock key
     * @param owner owner
     * @return true when a row of this owner was deleted
     */
    boolean releaseLock(String key, String owner);

    /**
     * @param key lock key
     * @return the unexpired holder of the key, or empty when free
     */
    Optional<LockRecord> getLock(String key);

    // ---------------------------------------------------------------- fire claims

    /**
     * Claims one scheduled fire for {@code owner} (see "Fire claims" above), in one write
     * transaction: no row yet &rarr; CLAIMED; the same owner's unfinished row &rarr; REENTERED
     * (lease extended, never shortened); another owner's unexpired lease &rarr; BUSY; another
     * owner's expired lease &rarr; TAKEN_OVER (attempts + 1); a completed row &rarr; DONE.
     *
     * @param itemId schedule item id
     * @param scheduledAt the fire's scheduled time (stored in epoch milliseconds)
     * @param owner the claiming scheduler instance
     * @param lease how long the claim holds without renewal (&gt;= 1 ms)
     * @return the outcome; run the fire only when {@link FireClaim#claimed()}
     */
    FireClaim claimFire(String itemId, Instant scheduledAt, String owner, Duration lease);

    /**
     * Claims several scheduled fires for {@code owner} in one write transaction (one durable
     * commit instead of one per fire, so the fires a scheduler finds due at the same moment start
     * together): each fire is decided exactly as by {@link #claimFire}, in the order given.
     *
     * @param fires item id to scheduled time, in the order to claim (each item once)
     * @param owner the claiming scheduler instance
     * @param lease how long each claim holds without renewal (&gt;= 1 ms)
     * @return the outcomes, in the order of {@code fires}
     */
    List<FireClaim> claimFires(Map<String, Instant> fires, String owner, Duration lease);

    /**
     * Extends the lease of an unfinished claim held by {@code owner} to now + lease (never shorter).
     *
     * @param itemId schedule item id
     * @param scheduledAt the fire's scheduled time
     * @param owner the owner
     * @param lease new lease length from now
     * @return false when the owner no longer holds it (taken over after expiry, released or completed)
     */
    boolean renewFire(String itemId, Instant scheduledAt, String owner, Duration lease);

    /**
     * Marks a claimed fire completed (durably); afterwards every {@link #claimFire} returns DONE.
     *
     * @param itemId schedule item id
     * @param scheduledAt the fire's scheduled time
     * @param owner the owner
     * @param status the final status (e.g. the run's SUCCESS, FAILED, INTERRUPTED, or SKIPPED)
     * @param runId the run id the fire started, or null
     * @return false when the owner did not hold an unfinished claim of it (nothing written)
     */
    boolean completeFire(String itemId, Instant scheduledAt, String owner, String status, String runId);

    /**
     * Gives up an unfinished claim: deletes the row so another owner can claim the fire at once.
     *
     * @param itemId schedule item id
     * @param scheduledAt the fire's scheduled time
     * @param owner the owner
     * @return true when a row of this owner was deleted
     */
    boolean releaseFire(String itemId, Instant scheduledAt, String owner);

    /**
     * @param itemId schedule item id
     * @param scheduledAt the fire's scheduled time
     * @return the claim row (claimed or completed), or empty
     */
    Optional<FireRecord> getFire(String itemId, Instant scheduledAt);

    /** Closes the connection; further calls fail. Idempotent. */
    @Override
    void close();
}
