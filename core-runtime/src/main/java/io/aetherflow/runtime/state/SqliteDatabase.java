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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The database part of the SQLite store: the file (created with mode 0600), one connection (WAL,
 * {@code synchronous=FULL}, busy timeout), the schema migration, transactions ({@code BEGIN
 * IMMEDIATE} for every write, durable or not, entered through the file's in-process write gate),
 * cached prepared statements with parameter binding, and the translation of SQLite result codes
 * into one-line {@link StateStoreException}s.
 *
 * <p>Not thread-safe: {@link SqliteStateStore} calls it under its own monitor. The table parts
 * ({@link RunsTable}, {@link StepsTable}, {@link LocksTable}, {@link ProcessesTable}) run their
 * statements through {@link #update}, {@link #one} and {@link #list} inside a unit of work given to
 * {@link #write}, {@link #read} or {@link #snapshot}.
 */
final class SqliteDatabase extends StateSql {

    private final Path file;
    /**
     * The transaction-control statements, prepared once: {@code Statement.execute(String)} parses,
     * runs and finalizes the text on every call, and a step boundary runs six of them.
     */
    private final Map<String, PreparedStatement> controls = new HashMap<>();
    /** The write gate of this file, shared by every connection to it in this JVM ({@link #enterGate}). */
    private final ReentrantLock gate;

    /**
     * One lock per store file (absolute, normalized) for the life of the JVM. Not fair: under CPU
     * contention a fair hand-off waits for the next queued thread to be scheduled (a lock convoy).
     */
    private static final ConcurrentMap<Path, ReentrantLock> GATES = new ConcurrentHashMap<>();

    private SqliteDatabase(Path file, StoreOptions options, Connection conn) throws SQLException {
        super(options, conn);
        this.file = file;
        this.gate = GATES.computeIfAbsent(file, f -> new ReentrantLock());
    }

    /**
     * Creates the file and its directories when missing, opens the connection and migrates the
     * schema to the current version in place.
     *
     * @param abs the SQLite file, absolute and normalized
     * @param options busy timeout and the rest
     * @return the open database
     * @throws StateStoreException with a one-line reason when the file cannot be used
     */
    static SqliteDatabase open(Path abs, StoreOptions options) {
        prepareFile(abs);
        preloadDriver();
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
            explicitTransactionsOnly(c);
            SqliteDatabase db = new SqliteDatabase(abs, options, c);
            db.migrate();
            return db;
        } catch (SQLException e) {
            closeQuietly(c);
            throw translate(abs, "opening it", e, options);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Tells sqlite-jdbc that this connection's transactions are the store's own. In JDBC auto-commit
     * mode the driver follows every statement that completes with a {@code begin;} and a
     * {@code commit;} of its own (a guard for statements left open by a caller): inside the
     * store's {@code BEGIN IMMEDIATE} transactions that {@code begin;} fails, after each of the
     * statements of a step boundary, and after a single read it commits an empty transaction.
     * The store never leaves a statement open (every result set is closed, every transaction ends
     * in {@code COMMIT} or {@code ROLLBACK}), and SQLite itself commits a single statement run
     * outside a transaction, so the guard only costs time. Only the driver's flag is changed (no
     * statement runs, so no transaction is opened here); the store never calls
     * {@link Connection#commit()} or {@link Connection#rollback()}.
     */
    private static void explicitTransactionsOnly(Connection c) throws SQLException {
        c.unwrap(SQLiteConnection.class).getConnectionConfig().setAutoCommit(false);
    }

    /**
     * See {@link SqliteStateStore#preloadDriver()}. Once per class loader, and a second caller (the run's
     * {@link #open} while the preload thread is still at it) waits for the first instead of doing the same
     * work beside it: the locale and time-zone data that a first {@link SQLiteConfig} loads are JDK caches
     * that two threads would otherwise both fill, on the same two cores.
     */
    static synchronized void preloadDriver() {
        if (driverLoaded) {
            return;
        }
        try {
            new SQLiteConfig();
            SQLiteJDBCLoader.initialize();
        } catch (Exception | LinkageError e) {
            // open() goes on and reports the problem with the store's path
        }
        driverLoaded = true;
    }

    /** Whether {@link #preloadDriver()} ran (a failure is not tried again: open() reports it). */
    private static boolean driverLoaded;

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
        write("creating or migrating the schema", () -> SqliteSchema.migrate(conn, file));
    }

    /** @return the store file (absolute) */
    Path file() {
        return file;
    }

    @Override
    String location() {
        return file.toString();
    }

    @Override
    String greatest(String column, String value) {
        return "MAX(" + column + ", " + value + ")";
    }

    @Override
    String insertOrder() {
        return "rowid";
    }

    /** @return {@code PRAGMA user_version} */
    int schemaVersion() {
        ensureOpen();
        try {
            return SqliteSchema.userVersion(conn);
        } catch (SQLException e) {
            throw translate("reading the schema version", e);
        }
    }

    /**
     * @param name a pragma name ({@code [a-z_]+})
     * @return its value on this connection, as text
     */
    String pragma(String name) {
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

    // ------------------------------------------------------------------------------ transactions

    /**
     * Runs work in a {@code BEGIN IMMEDIATE} transaction; rolls back on any failure. A non-durable
     * transaction commits with {@code synchronous=NORMAL}: in WAL mode it survives the death of
     * this process (the WAL is in the OS page cache) but not a power loss or OS crash; the next
     * durable commit syncs it along with its own frames.
     */
    @Override
    <T> T write(String action, boolean durable, SqlWork<T> work) {
        ensureOpen();
        enterGate(action);
        try {
            return gatedWrite(action, durable, work);
        } finally {
            gate.unlock();
        }
    }

    /**
     * Waits (up to the busy timeout) for the other writers of this file in this JVM. Without the
     * gate, concurrent runs of one warm host (scheduler fires) meet at SQLite's file lock, whose
     * busy handler polls with sleeps of up to 100 ms; queued here, the next writer starts the
     * moment the last one commits. Writers in other processes still meet at the file lock. An
     * interrupt does not cut the wait short (a run records its INTERRUPTED status through here);
     * it is kept for the caller.
     */
    private void enterGate(String action) {
        long deadline = System.nanoTime() + options().busyTimeout().toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (gate.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    long ms = options().busyTimeout().toMillis();
                    throw new StateStoreException("state store " + file + " is locked by another run of this process"
                            + " (waited " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms") + " while " + action
                            + "): let it finish, or raise AETHERFLOW_STATE_BUSY_TIMEOUT (seconds)",
                            new SQLiteException("write gate busy", SQLiteErrorCode.SQLITE_BUSY));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return whether a writer of this file in this JVM waits at the gate (tests) */
    boolean gateQueued() {
        return gate.hasQueuedThreads();
    }

    /** @return the gate of this file (tests: one per file, shared by its connections) */
    ReentrantLock gate() {
        return gate;
    }

    private <T> T gatedWrite(String action, boolean durable, SqlWork<T> work) {
        if (!durable) {
            try {
                control("PRAGMA synchronous = NORMAL");
            } catch (SQLException e) {
                throw translate(action, e);
            }
        }
        try {
            return immediate(action, work);
        } finally {
            if (!durable) {
                try {
                    control("PRAGMA synchronous = FULL");
                } catch (SQLException e) {
                    throw translate("restoring synchronous=FULL after " + action, e);
                }
            }
        }
    }

    private <T> T immediate(String action, SqlWork<T> work) {
        try {
            control("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            throw translate(action, e);
        }
        boolean committed = false;
        Throwable failure = null;
        try {
            T result = work.run();
            control("COMMIT");
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

    /** Runs one of the fixed transaction-control statements through its cached prepared statement. */
    private void control(String sql) throws SQLException {
        PreparedStatement ps = controls.get(sql);
        if (ps == null) {
            ps = conn.prepareStatement(sql);
            controls.put(sql, ps);
        }
        ps.execute();
    }

    /** Frees the connection's page cache (an idle pooled connection keeps only its statements). */
    @Override
    void idle() {
        try {
            control("PRAGMA shrink_memory");
        } catch (SQLException e) {
            // only memory: the next use works either way
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : controls.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // closing anyway; the connection close reports real problems
            }
        }
        controls.clear();
        super.close();
    }

    private void rollback(Throwable failure) {
        try {
            control("ROLLBACK");
        } catch (SQLException e) {
            // "no transaction is active" after SQLite rolled back itself (or after the first rollback)
            if (failure != null && !String.valueOf(e.getMessage()).contains("no transaction is active")) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    <T> T read(String action, SqlWork<T> work) {
        ensureOpen();
        try {
            return work.run();
        } catch (SQLException e) {
            throw translate(action, e);
        }
    }

    @Override
    <T> T snapshot(String action, SqlWork<T> work) {
        ensureOpen();
        try {
            control("BEGIN DEFERRED");
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

    @Override
    StateStoreException translate(String action, SQLException e) {
        return translate(file, action, e, options());
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
