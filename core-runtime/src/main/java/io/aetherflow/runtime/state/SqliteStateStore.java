package io.aetherflow.runtime.state;

import java.nio.file.Path;
import java.util.Objects;
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
 * busy handling) and the backend-neutral parts shared with {@link PgStateStore}
 * ({@link JdbcStateStore}, {@link StateSql} and the table parts). All SQLite-specific SQL lives in
 * {@link SqliteDatabase} and {@link SqliteSchema}.
 *
 * <p>Call {@link SqliteNative#prepare(Path)} once before the first {@link #open} so the native
 * library is not extracted to the temp directory on every run.
 */
public final class SqliteStateStore extends JdbcStateStore {

    private final SqliteDatabase db;

    private SqliteStateStore(SqliteDatabase db) {
        super(db);
        this.db = db;
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
}
