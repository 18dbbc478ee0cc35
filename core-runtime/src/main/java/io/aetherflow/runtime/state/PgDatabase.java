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
 *
 * <p>A connection the server drops (a PostgreSQL restart, a network cut) is replaced from the data
 * source at the next call; a call that finds the server down fails with the one-line "cannot
 * connect" error, and the store keeps trying on every later call, so a long-lived process (the
 * scheduler) carries on once the database is back. See {@link #transaction} for which calls are
 * repeated on the new connection.
 */
final class PgDatabase extends StateSql {

    /** The advisory lock key serialising writers ("AEFL" + 1). */
    static final long WRITE_LOCK = 0x4145464C_00000001L;

    /** SQLSTATE of a {@code lock_timeout}. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private final StateUrl url;
    private final DataSource dataSource;
    /** The server dropped the connection (restart, network): reconnect before the next use. */
    private boolean broken;

    private PgDatabase(StateUrl url, StoreOptions options, Connection conn, DataSource dataSource) throws SQLException {
        super(options, conn);
        this.url = url;
        this.dataSource = dataSource;
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
            PgDatabase db = new PgDatabase(url, options, c, dataSource);
            db.session();
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

    private void session() throws SQLException {
        control.execute("SET synchronous_commit = on");
        control.execute("SET lock_timeout = " + options().busyTimeout().toMillis());
        control.execute("SET application_name = 'aetherflow'");
    }

    /**
     * @param e a driver error
     * @return true when the connection is gone: SQLSTATE class 08 (connection exception) or
     *         57P01-57P03 (server shut down, crashed, or still starting)
     */
    static boolean connectionLost(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.startsWith("57P0");
    }

    /** Opens a new connection when the last one was dropped; fails with the one-line connect error. */
    private void reconnectIfBroken(String action) {
        try {
            if (!broken && !conn.isClosed()) {
                return;
            }
            replaceConnection(dataSource.getConnection());
            session();
            broken = false;
        } catch (SQLException e) {
            broken = true;
            throw translate(action, e);
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
        }, work, true);
    }

    /**
     * A single-statement read; on a dropped connection it reconnects and reads once more (a read
     * changes nothing, so repeating it is safe).
     */
    @Override
    <T> T read(String action, SqlWork<T> work) {
        ensureOpen();
        for (int attempt = 0;; attempt++) {
            reconnectIfBroken(action);
            try {
                return work.run();
            } catch (SQLException e) {
                if (connectionLost(e)) {
                    broken = true;
                    if (attempt == 0) {
                        continue;
                    }
                }
                throw translate(action, e);
            }
        }
    }

    @Override
    <T> T snapshot(String action, SqlWork<T> work) {
        return transaction(action, () -> control.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"),
                work, false);
    }

    /** Statements run at the start of a transaction, before its work. */
    @FunctionalInterface
    private interface Prelude {
        void run() throws SQLException;
    }

    /**
     * Runs a transaction. A connection the server dropped since the last use (a PostgreSQL restart)
     * is noticed by the prelude's first statement: then nothing of the work ran, so the transaction
     * is repeated once on a new connection. A connection lost during the work or the commit is not
     * retried (the commit may have happened): the error is reported and the next call reconnects.
     * A read-only snapshot is always safe to repeat.
     */
    private <T> T transaction(String action, Prelude prelude, SqlWork<T> work, boolean commit) {
        ensureOpen();
        for (int attempt = 0;; attempt++) {
            reconnectIfBroken(action);
            boolean workStarted = false;
            boolean done = false;
            Throwable failure = null;
            try {
                conn.setAutoCommit(false);
                prelude.run();
                workStarted = commit;
                T result = work.run();
                if (commit) {
                    conn.commit();
                } else {
                    conn.rollback();
                }
                done = true;
                return result;
            } catch (SQLException e) {
                if (connectionLost(e)) {
                    broken = true;
                    if (attempt == 0 && !workStarted) {
                        continue;
                    }
                }
                StateStoreException t = translate(action, e);
                failure = t;
                throw t;
            } catch (RuntimeException | Error e) {
                failure = e;
                throw e;
            } finally {
                if (!broken) {
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
        if (state.startsWith("08") || state.startsWith("57P0")) {
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
