package io.aetherflow.runtime.state;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The embedded state store: one SQLite file through sqlite-jdbc's {@link SQLiteDataSource}, WAL
 * journal, {@code synchronous=FULL}, a busy timeout, {@code BEGIN IMMEDIATE} for every
 * multi-statement write, one connection per store (shared, under this object's monitor, by the
 * runner thread and the heartbeat/lease threads). Every committed write survives {@code kill -9}.
 *
 * <p>Call {@link SqliteNative#prepare(Path)} once before the first {@link #open} so the native
 * library is not extracted to the temp directory on every run.
 */
public final class SqliteStateStore implements StateStore {

    /** A process whose start is later than the run's start by more than this is a reused pid. */
    private static final long PID_REUSE_SLACK_MS = 5_000;

    private static final String RUN_COLUMNS = "flow_id, run_id, status, started_at_ms, ended_at_ms, heartbeat_at_ms,"
            + " host, pid, plugin_set_hash, flow_yaml, flow_sha256, error, summary_json, attempt";
    private static final String JOB_COLUMNS = "flow_id, run_id, job_id, status, started_at_ms, ended_at_ms,"
            + " duration_ms, outputs_json, error, updated_at_ms";
    private static final String STEP_COLUMNS = "flow_id, run_id, job_id, step_id, status, step_type, served_by,"
            + " started_at_ms, ended_at_ms, duration_ms, outputs_json, error, updated_at_ms";

    private final Path file;
    private final StoreOptions options;
    private final Connection conn;
    private final Statement control;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** Runs begun through this instance: key flowId NUL runId. */
    private final Map<String, RunMeta> begun = new HashMap<>();
    private final long ownPid = ProcessHandle.current().pid();
    /** What {@link #reapOrphansInTx} killed, until {@link #takeReaped()}. */
    private final List<String> reaped = new ArrayList<>();
    private boolean closed;

    private SqliteStateStore(Path file, StoreOptions options, Connection conn) throws SQLException {
        this.file = file;
        this.options = options;
        this.conn = conn;
        this.control = conn.createStatement();
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
        Path abs = file.toAbsolutePath().normalize();
        prepareFile(abs);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        // nothing reads generated keys; left on, sqlite-jdbc runs "SELECT last_insert_rowid()" on a new
        // statement after every INSERT, i.e. on every status write
        config.setGetGeneratedKeys(false);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + abs);
        Connection c = null;
        try {
            c = ds.getConnection();
            SqliteStateStore store = new SqliteStateStore(abs, options, c);
            store.migrate();
            return store;
        } catch (SQLException e) {
            closeQuietly(c);
            throw translate(abs, "opening it", e, options);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Loads sqlite-jdbc's classes and native library without opening any file. The first
     * connection of a JVM spends tens of milliseconds there (every sqlite-jdbc configuration builds
     * date formats, which loads time-zone and locale data), so a caller that will open a store can
     * run this on another thread while it does other work. Failures are left to {@link #open} to
     * report: it does the same work again.
     */
    public static void preloadDriver() {
        try {
            new SQLiteConfig();
            SQLiteJDBCLoader.initialize();
        } catch (Exception | LinkageError e) {
            // open() loads the driver itself and reports the problem with the store's path
        }
    }

    private static void prepareFile(Path abs) {
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new StateStoreException("state store " + abs + ": cannot create directory " + dir + ": "
                        + reason(e) + "; set flow.state.path to a writable location", e);
            }
        }
        if (Files.isDirectory(abs)) {
            throw new StateStoreException("state store " + abs
                    + " is a directory: set flow.state.path to a file path");
        }
        if (!Files.exists(abs)) {
            try {
                try {
                    Files.createFile(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(abs); // not a POSIX file system: default permissions
                }
            } catch (FileAlreadyExistsException e) {
                // created concurrently by another process: fine, SQLite handles the rest
            } catch (IOException e) {
                throw new StateStoreException("state store " + abs + ": cannot create the file: " + reason(e)
                        + "; set flow.state.path to a writable location", e);
            }
        } else if (!Files.isReadable(abs) || !Files.isWritable(abs)) {
            throw new StateStoreException("state store " + abs
                    + ": permission denied (the file is not readable and writable by this user);"
                    + " fix its permissions or set flow.state.path to a writable location");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "a file is in the way of " + ((FileSystemException) e).getFile();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return String.valueOf(e.getMessage());
    }

    private void migrate() throws SQLException {
        int version = SqliteSchema.userVersion(conn);
        if (version == SqliteSchema.VERSION) {
            return;
        }
        if (version > SqliteSchema.VERSION) {
            throw SqliteSchema.newer(file, version);
        }
        inTransaction("creating or migrating the schema", () -> SqliteSchema.migrate(conn, file));
    }

    /** @return the store file (absolute) */
    public Path file() {
        return file;
    }

    /** @return the schema version of the open file ({@code PRAGMA user_version}) */
    public synchronized int schemaVersion() {
        ensureOpen();
        try {
            return SqliteSchema.userVersion(conn);
        } catch (SQLException e) {
            throw translate("reading the schema version", e);
        }
    }

    /**
     * Reads a pragma on the store's own connection (diagnostics: {@code aetherflow doctor}, tests).
     *
     * @param name pragma name, e.g. {@code synchronous}, {@code journal_mode}, {@code busy_timeout}
     * @return its value as text
     */
    public synchronized String pragma(String name) {
        ensureOpen();
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a pragma name: " + name);
        }
        try (ResultSet rs = control.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw translate("reading PRAGMA " + name, e);
        }
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public StoreOptions options() {
        return options;
    }

    // ------------------------------------------------------------------------------------- runs

    @Override
    public synchronized RunStart beginRun(String flowId, String runId, RunMeta meta) {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(meta, "meta");
        return inTransaction("beginning run " + runId + " of flow " + flowId, () -> {
            long now = nowMs();
            List<RunRecord> dead = markDeadRunsInTx(now);
            Optional<RunRecord> previous = selectRun(flowId, runId);
            if (previous.isPresent() && previous.get().status() == RunStatus.RUNNING) {
                RunRecord live = previous.get();
                long last = live.heartbeatAtMs() != null ? live.heartbeatAtMs() : live.startedAtMs();
                throw new RunActiveException("run " + runId + " of flow " + flowId + " is still running (pid "
                        + live.pid() + " on " + live.host() + ", last heartbeat " + Math.max(0, (now - last) / 1000)
                        + " s ago, state store " + file + "): wait for it to finish or use another --run-id", live);
            }
            PreparedStatement ps = ps("INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, 'RUNNING', ?, NULL, ?, ?, ?,"
                    + " ?, ?, ?, NULL, NULL, 1) ON CONFLICT (flow_id, run_id) DO UPDATE SET status = 'RUNNING',"
                    + " started_at_ms = excluded.started_at_ms, ended_at_ms = NULL,"
                    + " heartbeat_at_ms = excluded.heartbeat_at_ms, host = excluded.host, pid = excluded.pid,"
                    + " plugin_set_hash = excluded.plugin_set_hash, flow_yaml = excluded.flow_yaml,"
                    + " flow_sha256 = excluded.flow_sha256, error = NULL, summary_json = NULL,"
                    + " attempt = runs.attempt + 1");
            ps.setString(1, flowId);
            ps.setString(2, runId);
            ps.setLong(3, now);
            ps.setLong(4, now);
            ps.setString(5, meta.host());
            ps.setLong(6, meta.pid());
            ps.setString(7, meta.pluginSetHash());
            ps.setString(8, meta.flowYaml());
            ps.setString(9, meta.flowSha256());
            ps.executeUpdate();
            RunRecord run = selectRun(flowId, runId).orElseThrow();
            begun.put(runKey(flowId, runId), meta);
            return new RunStart(run, previous.orElse(null), dead);
        });
    }

    @Override
    public synchronized boolean heartbeat(String flowId, String runId) {
        RunMeta meta = begun.get(runKey(flowId, runId));
        if (meta == null) {
            throw new IllegalStateException("run " + runId + " of flow " + flowId + " was not begun by this store");
        }
        return inTransaction("recording the heartbeat of run " + runId, () -> {
            PreparedStatement ps = ps("UPDATE runs SET heartbeat_at_ms = ? WHERE flow_id = ? AND run_id = ?"
                    + " AND status = 'RUNNING' AND host = ? AND pid = ?");
            ps.setLong(1, nowMs());
            ps.setString(2, flowId);
            ps.setString(3, runId);
            ps.setString(4, meta.host());
            ps.setLong(5, meta.pid());
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public synchronized void endRun(String flowId, String runId, RunStatus status, String error, String summaryJson) {
        Objects.requireNonNull(status, "status");
        if (status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("endRun needs a final status, not RUNNING");
        }
        inTransaction("ending run " + runId + " of flow " + flowId, () -> {
            long now = nowMs();
            PreparedStatement ps = ps("UPDATE runs SET status = ?, ended_at_ms = ?, error = ?, summary_json = ?"
                    + " WHERE flow_id = ? AND run_id = ?");
            ps.setString(1, status.name());
            ps.setLong(2, now);
            ps.setString(3, error);
            ps.setString(4, summaryJson);
            ps.setString(5, flowId);
            ps.setString(6, runId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("run " + runId + " of flow " + flowId + " was never begun in " + file);
            }
            if (status == RunStatus.INTERRUPTED) {
                interruptChildren(flowId, runId, now, error == null ? "run interrupted" : error);
            } else if (status == RunStatus.FAILED) {
                // a step whose own end could not be written (the store was busy) is still RUNNING
                finishChildren(flowId, runId, now, "FAILED", error == null ? "run failed" : error);
            }
            PreparedStatement procs = ps("DELETE FROM step_processes WHERE run_id = ? AND flow_id = ?");
            procs.setString(1, runId);
            procs.setString(2, flowId);
            procs.executeUpdate();
            return null;
        });
        begun.remove(runKey(flowId, runId));
    }

    @Override
    public synchronized List<RunRecord> markDeadRuns() {
        return inTransaction("checking for dead runs", () -> markDeadRunsInTx(nowMs()));
    }

    private List<RunRecord> markDeadRunsInTx(long now) throws SQLException {
        List<RunRecord> running = new ArrayList<>();
        PreparedStatement q = ps("SELECT " + RUN_COLUMNS + " FROM runs WHERE status = 'RUNNING'");
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                running.add(run(rs));
            }
        }
        List<RunRecord> marked = new ArrayList<>();
        for (RunRecord r : running) {
            String why = deathReason(r, now);
            if (why == null) {
                continue;
            }
            long endedAt = r.heartbeatAtMs() != null ? r.heartbeatAtMs() : r.startedAtMs();
            String error = "run interrupted: " + why;
            PreparedStatement u = ps("UPDATE runs SET status = 'INTERRUPTED', ended_at_ms = ?, error = ?"
                    + " WHERE flow_id = ? AND run_id = ? AND status = 'RUNNING'");
            u.setLong(1, endedAt);
            u.setString(2, error);
            u.setString(3, r.flowId());
            u.setString(4, r.runId());
            u.executeUpdate();
            interruptChildren(r.flowId(), r.runId(), now, error);
            marked.add(selectRun(r.flowId(), r.runId()).orElseThrow());
        }
        reapOrphansInTx();
        return marked;
    }

    /**
     * Kills the recorded child processes (on this host) of runs that are no longer RUNNING, i.e.
     * that were found dead, then forgets them. Runs inside the caller's write transaction, so no
     * other run can start its guarded work before they are gone.
     */
    private void reapOrphansInTx() throws SQLException {
        PreparedStatement q = ps("SELECT p.flow_id, p.run_id, p.job_id, p.step_id, p.pid, p.pgid, p.started_at_ms"
                + " FROM step_processes p LEFT JOIN runs r ON r.flow_id = p.flow_id AND r.run_id = p.run_id"
                + " WHERE (r.status IS NULL OR r.status <> 'RUNNING') AND (p.host IS NULL OR p.host = ?)");
        q.setString(1, options.host());
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        getLong(rs, "pgid"), getLong(rs, "started_at_ms")});
            }
        }
        for (Object[] r : rows) {
            long pid = (Long) r[4];
            Long pgid = (Long) r[5];
            int n = OrphanReaper.reap(pid, pgid == null ? -1 : pgid, (Long) r[6]);
            if (n > 0) {
                reaped.add("killed " + n + " process(es) of process group " + (pgid == null || pgid <= 0 ? pid : pgid)
                        + " left running by step " + r[2] + "/" + r[3] + " of dead run " + r[1] + " (flow " + r[0] + ")");
            }
            PreparedStatement d = ps("DELETE FROM step_processes WHERE run_id = ? AND flow_id = ? AND pid = ?");
            d.setString(1, (String) r[1]);
            d.setString(2, (String) r[0]);
            d.setLong(3, pid);
            d.executeUpdate();
        }
    }

    @Override
    public synchronized List<String> takeReaped() {
        List<String> out = List.copyOf(reaped);
        reaped.clear();
        return out;
    }

    @Override
    public synchronized void recordProcess(String flowId, String runId, String jobId, String stepId, long pid, long pgid,
            Long startedAtMs) {
        inTransaction("recording process " + pid + " of step " + jobId + "/" + stepId, false, () -> {
            PreparedStatement ps = ps("INSERT INTO step_processes (flow_id, run_id, job_id, step_id, host, pid, pgid,"
                    + " started_at_ms, registered_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (run_id, flow_id, pid) DO UPDATE SET job_id = excluded.job_id,"
                    + " step_id = excluded.step_id, host = excluded.host, pgid = excluded.pgid,"
                    + " started_at_ms = excluded.started_at_ms, registered_at_ms = excluded.registered_at_ms");
            ps.setString(1, flowId);
            ps.setString(2, runId);
            ps.setString(3, jobId);
            ps.setString(4, stepId);
            ps.setString(5, options.host());
            ps.setLong(6, pid);
            if (pgid > 0) {
                ps.setLong(7, pgid);
            } else {
                ps.setNull(7, Types.INTEGER);
            }
            setLong(ps, 8, startedAtMs);
            ps.setLong(9, nowMs());
            ps.executeUpdate();
            return null;
        });
    }

    /** @return null when the run may be alive, else why it is dead */
    private String deathReason(RunRecord r, long now) {
        boolean sameHost = r.host() != null && r.host().equalsIgnoreCase(options.host());
        if (sameHost && r.pid() != null && r.pid() != ownPid) {
            Optional<ProcessHandle> ph = ProcessHandle.of(r.pid());
            if (ph.isEmpty() || !ph.get().isAlive()) {
                return "process " + r.pid() + " on " + r.host() + " is gone";
            }
            Optional<Instant> started = ph.get().info().startInstant();
            if (started.isPresent() && started.get().toEpochMilli() > r.startedAtMs() + PID_REUSE_SLACK_MS) {
                return "process " + r.pid() + " on " + r.host() + " is gone (the pid now belongs to a newer process)";
            }
            return null;
        }
        long last = r.heartbeatAtMs() != null ? r.heartbeatAtMs() : r.startedAtMs();
        if (now - last > options.staleAfter().toMillis()) {
            return "no heartbeat for " + (now - last) / 1000 + " s (process " + r.pid() + " on " + r.host() + ")";
        }
        return null;
    }

    /** Marks the run's RUNNING jobs and steps INTERRUPTED, reference rows first (they key off the details). */
    private void interruptChildren(String flowId, String runId, long now, String error) throws SQLException {
        finishChildren(flowId, runId, now, "INTERRUPTED", error);
    }

    /** Gives the run's RUNNING jobs and steps a final status, reference rows first (they key off the details). */
    private void finishChildren(String flowId, String runId, long now, String status, String error) throws SQLException {
        long nowSec = Math.floorDiv(now, 1000);
        PreparedStatement jr = ps("UPDATE job_runs SET status = ?, updated_at = ? WHERE run_id = ?"
                + " AND status = 'RUNNING' AND job_id IN (SELECT job_id FROM job_details WHERE run_id = ?"
                + " AND flow_id = ? AND status = 'RUNNING')");
        jr.setString(1, status);
        jr.setLong(2, nowSec);
        jr.setString(3, runId);
        jr.setString(4, runId);
        jr.setString(5, flowId);
        jr.executeUpdate();
        PreparedStatement sr = ps("UPDATE step_runs SET status = ?, updated_at = ? WHERE run_id = ?"
                + " AND status = 'RUNNING' AND EXISTS (SELECT 1 FROM step_details d WHERE d.run_id = step_runs.run_id"
                + " AND d.job_id = step_runs.job_id AND d.step_id = step_runs.step_id AND d.flow_id = ?"
                + " AND d.status = 'RUNNING')");
        sr.setString(1, status);
        sr.setLong(2, nowSec);
        sr.setString(3, runId);
        sr.setString(4, flowId);
        sr.executeUpdate();
        for (String table : new String[] {"job_details", "step_details"}) {
            PreparedStatement d = ps("UPDATE " + table + " SET status = ?, ended_at_ms = ?,"
                    + " duration_ms = ? - started_at_ms, error = COALESCE(error, ?), updated_at_ms = ?"
                    + " WHERE run_id = ? AND flow_id = ? AND status = 'RUNNING'");
            d.setString(1, status);
            d.setLong(2, now);
            d.setLong(3, now);
            d.setString(4, error);
            d.setLong(5, now);
            d.setString(6, runId);
            d.setString(7, flowId);
            d.executeUpdate();
        }
    }

    @Override
    public synchronized List<RunRecord> listRuns(int limit, String flowId) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return read("listing runs", () -> {
            PreparedStatement ps = flowId == null
                    ? ps("SELECT " + RUN_COLUMNS + " FROM runs ORDER BY started_at_ms DESC, rowid DESC LIMIT ?")
                    : ps("SELECT " + RUN_COLUMNS + " FROM runs WHERE flow_id = ?"
                            + " ORDER BY started_at_ms DESC, rowid DESC LIMIT ?");
            int i = 1;
            if (flowId != null) {
                ps.setString(i++, flowId);
            }
            ps.setInt(i, limit);
            List<RunRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(run(rs));
                }
            }
            return out;
        });
    }

    @Override
    public synchronized Optional<RunDetails> getRun(String flowId, String runId) {
        return snapshot("reading run " + runId, () -> {
            Optional<RunRecord> run = selectRun(flowId, runId);
            return run.isEmpty() ? Optional.<RunDetails>empty() : Optional.of(details(run.get()));
        });
    }

    @Override
    public synchronized Optional<RunDetails> getRun(String runId) {
        return snapshot("reading run " + runId, () -> {
            PreparedStatement ps = ps("SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ? ORDER BY flow_id");
            ps.setString(1, runId);
            List<RunRecord> found = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(run(rs));
                }
            }
            if (found.isEmpty()) {
                return Optional.<RunDetails>empty();
            }
            if (found.size() > 1) {
                throw new StateStoreException("run id " + runId + " exists for several flows ("
                        + String.join(", ", found.stream().map(RunRecord::flowId).toList()) + ") in state store "
                        + file + ": name the flow too");
            }
            return Optional.of(details(found.get(0)));
        });
    }

    private RunDetails details(RunRecord run) throws SQLException {
        PreparedStatement j = ps("SELECT " + JOB_COLUMNS + " FROM job_details WHERE run_id = ? AND flow_id = ?"
                + " ORDER BY rowid");
        j.setString(1, run.runId());
        j.setString(2, run.flowId());
        List<JobRecord> jobs = new ArrayList<>();
        try (ResultSet rs = j.executeQuery()) {
            while (rs.next()) {
                jobs.add(job(rs));
            }
        }
        PreparedStatement s = ps("SELECT " + STEP_COLUMNS + " FROM step_details WHERE run_id = ? AND flow_id = ?"
                + " ORDER BY rowid");
        s.setString(1, run.runId());
        s.setString(2, run.flowId());
        List<StepRecord> steps = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                steps.add(step(rs));
            }
        }
        return new RunDetails(run, jobs, steps);
    }

    private Optional<RunRecord> selectRun(String flowId, String runId) throws SQLException {
        PreparedStatement ps = ps("SELECT " + RUN_COLUMNS + " FROM runs WHERE flow_id = ? AND run_id = ?");
        ps.setString(1, flowId);
        ps.setString(2, runId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(run(rs)) : Optional.empty();
        }
    }

    // --------------------------------------------------------------------------- jobs and steps

    @Override
    public synchronized void setJobStatus(String flowId, String runId, String jobId, JobUpdate update) {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(update, "update");
        String outputs = Outputs.toJson(update.outputs());
        inTransaction("writing status " + update.status() + " of job " + jobId, () -> {
            long now = nowMs();
            PreparedStatement ref = ps("INSERT INTO job_runs (job_id, run_id, status, updated_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (job_id, run_id) DO UPDATE SET status = excluded.status,"
                    + " updated_at = excluded.updated_at");
            ref.setString(1, jobId);
            ref.setString(2, runId);
            ref.setString(3, update.status());
            ref.setLong(4, Math.floorDiv(now, 1000));
            ref.executeUpdate();
            PreparedStatement det = ps("INSERT INTO job_details (" + JOB_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (run_id, job_id, flow_id) DO UPDATE SET status = excluded.status,"
                    + " started_at_ms = COALESCE(excluded.started_at_ms, job_details.started_at_ms),"
                    + " ended_at_ms = excluded.ended_at_ms,"
                    + " duration_ms = excluded.ended_at_ms"
                    + " - COALESCE(excluded.started_at_ms, job_details.started_at_ms),"
                    + " outputs_json = excluded.outputs_json, error = excluded.error,"
                    + " updated_at_ms = excluded.updated_at_ms");
            det.setString(1, flowId);
            det.setString(2, runId);
            det.setString(3, jobId);
            det.setString(4, update.status());
            setLong(det, 5, update.startedAtMs());
            setLong(det, 6, update.endedAtMs());
            setLong(det, 7, duration(update.startedAtMs(), update.endedAtMs()));
            det.setString(8, outputs);
            det.setString(9, update.error());
            det.setLong(10, now);
            det.executeUpdate();
            return null;
        });
    }

    @Override
    public synchronized Optional<JobRecord> getJobRecord(String flowId, String runId, String jobId) {
        return read("reading job " + jobId, () -> {
            PreparedStatement ps = ps("SELECT " + JOB_COLUMNS + " FROM job_details WHERE run_id = ? AND job_id = ?"
                    + " AND flow_id = ?");
            ps.setString(1, runId);
            ps.setString(2, jobId);
            ps.setString(3, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(job(rs));
                }
            }
            PreparedStatement legacy = ps("SELECT r.status, r.updated_at FROM job_runs r WHERE r.job_id = ?"
                    + " AND r.run_id = ? AND NOT EXISTS (SELECT 1 FROM job_details d WHERE d.run_id = r.run_id"
                    + " AND d.job_id = r.job_id)");
            legacy.setString(1, jobId);
            legacy.setString(2, runId);
            try (ResultSet rs = legacy.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(new JobRecord(null, runId, jobId, rs.getString(1), null, null, null, Map.of(),
                            null, rs.getLong(2) * 1000, true));
                }
            }
            return Optional.<JobRecord>empty();
        });
    }

    @Override
    public synchronized void setStepStatus(String flowId, String runId, String jobId, String stepId,
            StepUpdate update) {
        Objects.requireNonNull(flowId, "flowId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(update, "update");
        String outputs = Outputs.toJson(update.outputs());
        boolean running = "RUNNING".equals(update.status());
        inTransaction("writing status " + update.status() + " of step " + jobId + "/" + stepId, !running, () -> {
            long now = nowMs();
            PreparedStatement ref = ps("INSERT INTO step_runs (job_id, run_id, step_id, status, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (job_id, run_id, step_id) DO UPDATE SET"
                    + " status = excluded.status, updated_at = excluded.updated_at");
            ref.setString(1, jobId);
            ref.setString(2, runId);
            ref.setString(3, stepId);
            ref.setString(4, update.status());
            ref.setLong(5, Math.floorDiv(now, 1000));
            ref.executeUpdate();
            PreparedStatement det = ps("INSERT INTO step_details (" + STEP_COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (run_id, job_id, step_id, flow_id) DO UPDATE SET status = excluded.status,"
                    + " step_type = COALESCE(excluded.step_type, step_details.step_type),"
                    + " served_by = COALESCE(excluded.served_by, step_details.served_by),"
                    + " started_at_ms = COALESCE(excluded.started_at_ms, step_details.started_at_ms),"
                    + " ended_at_ms = excluded.ended_at_ms,"
                    + " duration_ms = excluded.ended_at_ms"
                    + " - COALESCE(excluded.started_at_ms, step_details.started_at_ms),"
                    + " outputs_json = excluded.outputs_json, error = excluded.error,"
                    + " updated_at_ms = excluded.updated_at_ms");
            det.setString(1, flowId);
            det.setString(2, runId);
            det.setString(3, jobId);
            det.setString(4, stepId);
            det.setString(5, update.status());
            det.setString(6, update.stepType());
            det.setString(7, update.servedBy());
            setLong(det, 8, update.startedAtMs());
            setLong(det, 9, update.endedAtMs());
            setLong(det, 10, duration(update.startedAtMs(), update.endedAtMs()));
            det.setString(11, outputs);
            det.setString(12, update.error());
            det.setLong(13, now);
            det.executeUpdate();
            if (!running) {
                PreparedStatement procs = ps("DELETE FROM step_processes WHERE run_id = ? AND flow_id = ? AND job_id = ?"
                        + " AND step_id = ?");
                procs.setString(1, runId);
                procs.setString(2, flowId);
                procs.setString(3, jobId);
                procs.setString(4, stepId);
                procs.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public synchronized Optional<String> getStepStatus(String flowId, String runId, String jobId, String stepId) {
        return read("reading step " + jobId + "/" + stepId, () -> {
            PreparedStatement ps = ps("SELECT status FROM step_details WHERE run_id = ? AND job_id = ? AND step_id = ?"
                    + " AND flow_id = ?");
            ps.setString(1, runId);
            ps.setString(2, jobId);
            ps.setString(3, stepId);
            ps.setString(4, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(rs.getString(1));
                }
            }
            return legacyStep(runId, jobId, stepId).map(StepRecord::status);
        });
    }

    @Override
    public synchronized Optional<StepRecord> getStepRecord(String flowId, String runId, String jobId, String stepId) {
        return read("reading step " + jobId + "/" + stepId, () -> {
            PreparedStatement ps = ps("SELECT " + STEP_COLUMNS + " FROM step_details WHERE run_id = ? AND job_id = ?"
                    + " AND step_id = ? AND flow_id = ?");
            ps.setString(1, runId);
            ps.setString(2, jobId);
            ps.setString(3, stepId);
            ps.setString(4, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(step(rs));
                }
            }
            return legacyStep(runId, jobId, stepId);
        });
    }

    @Override
    public synchronized Map<String, StepRecord> getStepRecords(String flowId, String runId, String jobId) {
        return snapshot("reading the steps of job " + jobId, () -> {
            Map<String, StepRecord> out = new LinkedHashMap<>();
            PreparedStatement ps = ps("SELECT " + STEP_COLUMNS + " FROM step_details WHERE run_id = ? AND job_id = ?"
                    + " AND flow_id = ? ORDER BY rowid");
            ps.setString(1, runId);
            ps.setString(2, jobId);
            ps.setString(3, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StepRecord s = step(rs);
                    out.put(s.stepId(), s);
                }
            }
            PreparedStatement legacy = ps("SELECT r.step_id, r.status, r.updated_at FROM step_runs r WHERE r.job_id = ?"
                    + " AND r.run_id = ? AND NOT EXISTS (SELECT 1 FROM step_details d WHERE d.run_id = r.run_id"
                    + " AND d.job_id = r.job_id AND d.step_id = r.step_id) ORDER BY r.rowid");
            legacy.setString(1, jobId);
            legacy.setString(2, runId);
            try (ResultSet rs = legacy.executeQuery()) {
                while (rs.next()) {
                    String stepId = rs.getString(1);
                    out.putIfAbsent(stepId, legacyRecord(runId, jobId, stepId, rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /** A step_runs row no flow's detail row explains: written by the Python AetherFlow. */
    private Optional<StepRecord> legacyStep(String runId, String jobId, String stepId) throws SQLException {
        PreparedStatement ps = ps("SELECT r.status, r.updated_at FROM step_runs r WHERE r.job_id = ? AND r.run_id = ?"
                + " AND r.step_id = ? AND NOT EXISTS (SELECT 1 FROM step_details d WHERE d.run_id = r.run_id"
                + " AND d.job_id = r.job_id AND d.step_id = r.step_id)");
        ps.setString(1, jobId);
        ps.setString(2, runId);
        ps.setString(3, stepId);
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return Optional.of(legacyRecord(runId, jobId, stepId, rs.getString(1), rs.getLong(2)));
            }
        }
        return Optional.empty();
    }

    private static StepRecord legacyRecord(String runId, String jobId, String stepId, String status, long updatedSec) {
        return new StepRecord(null, runId, jobId, stepId, status, null, null, null, null, null, Map.of(), null,
                updatedSec * 1000, true);
    }

    // ------------------------------------------------------------------------------------ locks

    @Override
    public synchronized LockEvent acquireLock(String key, String owner, long ttlSeconds) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(owner, "owner");
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("lock ttl must be at least 1 second: " + ttlSeconds);
        }
        return inTransaction("acquiring lock " + key, () -> {
            long now = Math.floorDiv(nowMs(), 1000);
            long until = now + ttlSeconds;
            LockRecord current = selectLock(key);
            // the reference deletes every expired row on acquire; keep doing so
            PreparedStatement purge = ps("DELETE FROM locks WHERE expires_at <= ? AND key <> ?");
            purge.setLong(1, now);
            purge.setString(2, key);
            purge.executeUpdate();
            if (current != null && current.owner().equals(owner)) {
                PreparedStatement ext = ps("UPDATE locks SET expires_at = MAX(expires_at, ?) WHERE key = ? AND owner = ?");
                ext.setLong(1, until);
                ext.setString(2, key);
                ext.setString(3, owner);
                ext.executeUpdate();
                long expiry = Math.max(current.expiresAt(), until);
                return new LockEvent(current.expiresAt() > now ? LockEvent.Kind.REENTERED : LockEvent.Kind.ACQUIRED,
                        key, owner, null, expiry);
            }
            if (current != null && current.expiresAt() > now) {
                return new LockEvent(LockEvent.Kind.BUSY, key, owner, current.owner(), current.expiresAt());
            }
            if (current != null) {
                // taking over an expired lease: the holder may have died with its guarded child still
                // running; find dead runs and kill what they left before this run enters the lock
                markDeadRunsInTx(nowMs());
            }
            PreparedStatement del = ps("DELETE FROM locks WHERE key = ?");
            del.setString(1, key);
            del.executeUpdate();
            PreparedStatement ins = ps("INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)");
            ins.setString(1, key);
            ins.setString(2, owner);
            ins.setLong(3, until);
            ins.executeUpdate();
            return current == null ? new LockEvent(LockEvent.Kind.ACQUIRED, key, owner, null, until)
                    : new LockEvent(LockEvent.Kind.TAKEN_OVER, key, owner, current.owner(), until);
        });
    }

    @Override
    public synchronized boolean renewLock(String key, String owner, long ttlSeconds) {
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("lock ttl must be at least 1 second: " + ttlSeconds);
        }
        return inTransaction("renewing lock " + key, () -> {
            PreparedStatement ps = ps("UPDATE locks SET expires_at = MAX(expires_at, ?) WHERE key = ? AND owner = ?");
            ps.setLong(1, Math.floorDiv(nowMs(), 1000) + ttlSeconds);
            ps.setString(2, key);
            ps.setString(3, owner);
            return ps.executeUpdate() == 1;
        });
    }

    @Override
    public synchronized boolean releaseLock(String key, String owner) {
        return inTransaction("releasing lock " + key, () -> {
            PreparedStatement ps = ps("DELETE FROM locks WHERE key = ? AND owner = ?");
            ps.setString(1, key);
            ps.setString(2, owner);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public synchronized Optional<LockRecord> getLock(String key) {
        return read("reading lock " + key, () -> {
            LockRecord r = selectLock(key);
            return r != null && r.expiresAt() > Math.floorDiv(nowMs(), 1000) ? Optional.of(r)
                    : Optional.<LockRecord>empty();
        });
    }

    private LockRecord selectLock(String key) throws SQLException {
        PreparedStatement ps = ps("SELECT key, owner, expires_at FROM locks WHERE key = ?");
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new LockRecord(rs.getString(1), rs.getString(2), rs.getLong(3)) : null;
        }
    }

    // ----------------------------------------------------------------------------------- plumbing

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // closing anyway; the connection close below reports real problems
            }
        }
        statements.clear();
        try {
            control.close();
            conn.close();
        } catch (SQLException e) {
            throw translate("closing it", e);
        }
    }

    /** SQL work returning a value. */
    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs work in a durable {@code BEGIN IMMEDIATE} transaction; rolls back on any failure. */
    private <T> T inTransaction(String action, SqlWork<T> work) {
        return inTransaction(action, true, work);
    }

    /**
     * Runs work in a {@code BEGIN IMMEDIATE} transaction; rolls back on any failure. A non-durable
     * transaction commits with {@code synchronous=NORMAL}: in WAL mode it survives the death of
     * this process (the WAL is in the OS page cache) but not a power loss or OS crash; the next
     * durable commit syncs it along with its own frames.
     */
    private <T> T inTransaction(String action, boolean durable, SqlWork<T> work) {
        ensureOpen();
        if (!durable) {
            try {
                control.execute("PRAGMA synchronous = NORMAL");
            } catch (SQLException e) {
                throw translate(action, e);
            }
        }
        try {
            return inTransaction0(action, work);
        } finally {
            if (!durable) {
                try {
                    control.execute("PRAGMA synchronous = FULL");
                } catch (SQLException e) {
                    throw translate("restoring synchronous=FULL after " + action, e);
                }
            }
        }
    }

    private <T> T inTransaction0(String action, SqlWork<T> work) {
        try {
            control.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw translate(action, e);
        }
        boolean committed = false;
        Throwable failure = null;
        try {
            T result = work.run();
            control.execute("COMMIT");
            committed = true;
            return result;
        } catch (SQLException e) {
            StateStoreException t = translate(action, e);
            failure = t;
            throw t;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (!committed) {
                rollback(failure);
            }
        }
    }

    private void rollback(Throwable failure) {
        try {
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            // "no transaction is active" after SQLite rolled back itself (or after the first rollback)
            if (failure != null && !String.valueOf(e.getMessage()).contains("no transaction is active")) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Runs a single-statement read (autocommit). */
    private <T> T read(String action, SqlWork<T> work) {
        ensureOpen();
        try {
            return work.run();
        } catch (SQLException e) {
            throw translate(action, e);
        }
    }

    /** Runs several reads in one read transaction so they see one consistent snapshot. */
    private <T> T snapshot(String action, SqlWork<T> work) {
        ensureOpen();
        try {
            control.execute("BEGIN DEFERRED");
        } catch (SQLException e) {
            throw translate(action, e);
        }
        try {
            return work.run();
        } catch (SQLException e) {
            throw translate(action, e);
        } finally {
            rollback(null); // read-only: ending the snapshot
        }
    }

    private PreparedStatement ps(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = conn.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("state store " + file + " is closed");
        }
    }

    private long nowMs() {
        return options.clock().millis();
    }

    private static String runKey(String flowId, String runId) {
        return flowId + '\0' + runId;
    }

    private static Long duration(Long start, Long end) {
        return start != null && end != null ? end - start : null;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static RunRecord run(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getString("flow_id"), rs.getString("run_id"), RunStatus.valueOf(rs.getString("status")),
                rs.getLong("started_at_ms"), getLong(rs, "ended_at_ms"), getLong(rs, "heartbeat_at_ms"),
                rs.getString("host"), getLong(rs, "pid"), rs.getString("plugin_set_hash"), rs.getString("flow_yaml"),
                rs.getString("flow_sha256"), rs.getString("error"), rs.getString("summary_json"), rs.getInt("attempt"));
    }

    private static JobRecord job(ResultSet rs) throws SQLException {
        String jobId = rs.getString("job_id");
        return new JobRecord(rs.getString("flow_id"), rs.getString("run_id"), jobId, rs.getString("status"),
                getLong(rs, "started_at_ms"), getLong(rs, "ended_at_ms"), getLong(rs, "duration_ms"),
                Outputs.fromJson(rs.getString("outputs_json"), "job " + jobId), rs.getString("error"),
                rs.getLong("updated_at_ms"), false);
    }

    private static StepRecord step(ResultSet rs) throws SQLException {
        String jobId = rs.getString("job_id");
        String stepId = rs.getString("step_id");
        return new StepRecord(rs.getString("flow_id"), rs.getString("run_id"), jobId, stepId, rs.getString("status"),
                rs.getString("step_type"), rs.getString("served_by"), getLong(rs, "started_at_ms"),
                getLong(rs, "ended_at_ms"), getLong(rs, "duration_ms"),
                Outputs.fromJson(rs.getString("outputs_json"), "step " + jobId + "/" + stepId),
                rs.getString("error"), rs.getLong("updated_at_ms"), false);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already failing; the original error is reported
            }
        }
    }

    private StateStoreException translate(String action, SQLException e) {
        return translate(file, action, e, options);
    }

    /** Maps SQLite result codes to messages an operator can act on. */
    static StateStoreException translate(Path file, String action, SQLException e, StoreOptions options) {
        int code = e instanceof SQLiteException se && se.getResultCode() != null
                ? se.getResultCode().code & 0xff : -1;
        String msg = e.getMessage() == null ? "" : e.getMessage().replace('\n', ' ');
        if (code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
            long ms = options.busyTimeout().toMillis();
            String waited = ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
            return new StateStoreException("state store " + file + " is locked by another process (waited " + waited
                    + " while " + action + "): find the process holding it (fuser " + file
                    + ") and let it finish, or stop it", e);
        }
        if (code == SQLiteErrorCode.SQLITE_CORRUPT.code || code == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return new StateStoreException("state store " + file
                    + " is not a valid SQLite database (corrupt?): move it aside and rerun", e);
        }
        if (code == SQLiteErrorCode.SQLITE_READONLY.code || code == SQLiteErrorCode.SQLITE_PERM.code
                || code == SQLiteErrorCode.SQLITE_CANTOPEN.code || code == SQLiteErrorCode.SQLITE_AUTH.code) {
            return new StateStoreException("state store " + file + " cannot be written (" + msg + ") while " + action
                    + ": check the permissions of the file and its directory, or set flow.state.path to a"
                    + " writable location", e);
        }
        if (code == SQLiteErrorCode.SQLITE_FULL.code) {
            return new StateStoreException("state store " + file + ": disk full while " + action
                    + ": free space on that file system and rerun", e);
        }
        if (code == SQLiteErrorCode.SQLITE_IOERR.code) {
            return new StateStoreException("state store " + file + ": I/O error while " + action + " (" + msg
                    + "): check the disk and the file system (network file systems do not support WAL)", e);
        }
        return new StateStoreException("state store " + file + ": failed while " + action + ": " + msg, e);
    }
}
