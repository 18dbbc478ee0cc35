package io.aetherflow.runtime.state;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The database part of the PostgreSQL store: one connection from a {@link DataSource} (in the
 * OSGi host the PostgreSQL driver bundle's {@code org.osgi.service.jdbc.DataSourceFactory}), the
 * versioned schema ({@link PgSchema}), the transactions and the translation of SQLSTATEs into
 * one-line {@link StateStoreException}s that never show the password.
 *
 * <p>Every write transaction first takes the transaction-scoped advisory lock
 * {@code pg_advisory_xact_lock(}{@link #WRITE_LOCK}{@code )}: all writers of one database, on
 * every host, are serialised exactly as SQLite's {@code BEGIN IMMEDIATE} serialises the processes
 * of one file, so the backend-neutral table parts keep their read-decide-write logic (lock
 * take-over, fire claims, dead-run detection) without races. The lock is released by the
 * commit or rollback, also when the connection dies. Waiting for it is bounded by
 * {@code lock_timeout} = {@link StoreOptions#busyTimeout()}. Durable writes commit with
 * {@code synchronous_commit = on} (the session default set at connect): the commit returns only
 * after the WAL record is flushed, before the next step starts. Non-durable writes (RUNNING rows,
 * process records) use {@code SET LOCAL synchronous_commit = off}: they survive the death of this
 * process (the server has them) but not a crash of the database host. Snapshots are
 * {@code REPEATABLE READ READ ONLY} transactions.
 */
final class PgDatabase extends StateSql {

    /** The advisory lock key serialising writers ("AEFL" + 1). */
    static final long WRITE_LOCK = 0x4145464C_00000001L;

    /** SQLSTATE of a {@code lock_timeout}. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private final StateUrl url;

    private PgDatabase(StateUrl url, StoreOptions options, Connection conn) throws SQLException {
        super(options, conn);
        this.url = url;
    }

    /**
     * Connects, sets the session ({@code synchronous_commit = on}, {@code lock_timeout}, the
     * application name) and migrates the schema.
     *
     * @param url the state URL
     * @param options busy timeout and the rest
     * @param dataSource the driver's data source for that URL
     * @return the open database
     * @throws StateStoreException with a one-line reason (no password) when it cannot be used
     */
    static PgDatabase open(StateUrl url, StoreOptions options, DataSource dataSource) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            PgDatabase db = new PgDatabase(url, options, c);
            db.control.execute("SET synchronous_commit = on");
            db.control.execute("SET lock_timeout = " + options.busyTimeout().toMillis());
            db.control.execute("SET application_name = 'aetherflow'");
            db.write("creating or migrating the schema", () -> PgSchema.migrate(db.conn, url.masked(), db.nowMs()));
            return db;
        } catch (SQLException e) {
            closeQuietly(c);
            throw translate(url, "connecting", e, options);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    @Override
    String location() {
        return url.masked();
    }

    @Override
    String greatest(String column, String value) {
        return "GREATEST(" + column + ", " + value + ")";
    }

    @Override
    String insertOrder() {
        return "row_seq";
    }

    /** @return the highest applied schema version */
    int schemaVersion() {
        return read("reading the schema version", () -> PgSchema.version(conn));
    }

    @Override
    <T> T write(String action, boolean durable, SqlWork<T> work) {
        return transaction(action, () -> {
            control.execute("SELECT pg_advisory_xact_lock(" + WRITE_LOCK + ")");
            if (!durable) {
                control.execute("SET LOCAL synchronous_commit = off");
            }
            return work.run();
        }, true);
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
        return transaction(action, () -> {
            control.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
            return work.run();
        }, false);
    }

    private <T> T transaction(String action, SqlWork<T> work, boolean commit) {
        ensureOpen();
        boolean done = false;
        Throwable failure = null;
        try {
            conn.setAutoCommit(false);
            T result = work.run();
            if (commit) {
                conn.commit();
            } else {
                conn.rollback();
            }
            done = true;
            return result;
        } catch (SQLException e) {
            StateStoreException t = translate(action, e);
            failure = t;
            throw t;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                if (!done) {
                    conn.rollback();
                }
                conn.setAutoCommit(true);
            } catch (SQLException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    @Override
    StateStoreException translate(String action, SQLException e) {
        return translate(url, action, e, options());
    }

    /** Maps SQLSTATE classes to messages an operator can act on; the password never appears. */
    static StateStoreException translate(StateUrl url, String action, SQLException e, StoreOptions options) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String msg = url.scrub(e.getMessage() == null ? "" : e.getMessage().replace('\n', ' '));
        String where = "state store " + url.masked();
        if (LOCK_NOT_AVAILABLE.equals(state)) {
            return new StateStoreException(where + " is locked by another writer (waited "
                    + options.busyTimeout().toMillis() + " ms while " + action
                    + "): find the session holding it (pg_stat_activity, application_name aetherflow) and let it"
                    + " finish", e);
        }
        if (state.startsWith("08")) {
            return new StateStoreException(where + ": cannot connect while " + action + " (" + msg
                    + "): check that the server runs and accepts connections on " + url.host() + ":" + url.port(), e);
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return new StateStoreException(where + ": authentication failed for user " + url.user() + " while "
                    + action + ": check the user and password in state.url or AETHERFLOW_STATE_URL", e);
        }
        if (state.equals("3D000")) {
            return new StateStoreException(where + ": database " + url.database()
                    + " does not exist: create it (createdb " + url.database() + ") or fix state.url", e);
        }
        if (state.equals("42501")) {
            return new StateStoreException(where + ": permission denied while " + action + " (" + msg
                    + "): grant the user CREATE on the database (first use) and read/write on the AetherFlow tables", e);
        }
        return new StateStoreException(where + ": failed while " + action + ": " + msg, e);
    }
}
