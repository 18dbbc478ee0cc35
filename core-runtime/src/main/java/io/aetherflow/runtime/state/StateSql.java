package io.aetherflow.runtime.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend-neutral JDBC layer of a state store: one connection, cached prepared statements with
 * parameter binding, the store's clock and options, and the transaction kinds the
 * {@link StateStore} contract needs ({@link #write}, {@link #read}, {@link #snapshot}), which each
 * backend implements with its own guarantees ({@link SqliteDatabase}, {@link PgDatabase}).
 *
 * <p>The table parts ({@link RunsTable}, {@link StepsTable}, {@link LocksTable},
 * {@link ProcessesTable}, {@link FiresTable}) hold SQL both backends accept ({@code INSERT ... ON
 * CONFLICT ... DO UPDATE}, {@code COALESCE}, {@code LIMIT ?}); the two places where the dialects
 * differ are named here: {@link #greatest} and {@link #insertOrder}. Every write transaction is
 * serialised against all other writers of the same store (SQLite: {@code BEGIN IMMEDIATE};
 * PostgreSQL: a transaction-scoped advisory lock), so a table part may read, decide and write in
 * one unit of work. Not thread-safe: {@link JdbcStateStore} calls it under its own monitor.
 */
abstract class StateSql implements AutoCloseable {

    /** SQL work returning a value. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final StoreOptions options;
    /** The connection (replaced only by {@link #replaceConnection}). */
    protected Connection conn;
    /** For transaction control statements. */
    protected Statement control;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean closed;

    protected StateSql(StoreOptions options, Connection conn) throws SQLException {
        this.options = options;
        this.conn = conn;
        this.control = conn.createStatement();
    }

    /** @return where the state lives, for messages (a file path, or a URL without its password) */
    abstract String location();

    /** Runs work in a durable write transaction serialised against all writers; rolls back on failure. */
    <T> T write(String action, SqlWork<T> work) {
        return write(action, true, work);
    }

    /**
     * Runs work in a write transaction serialised against all other writers; rolls back on any
     * failure. A non-durable one survives the death of this process but may be lost to a power
     * loss of the database host (RUNNING rows, process records).
     */
    abstract <T> T write(String action, boolean durable, SqlWork<T> work);

    /** Runs a single-statement read (autocommit). */
    abstract <T> T read(String action, SqlWork<T> work);

    /** Runs several reads in one read transaction so they see one consistent snapshot. */
    abstract <T> T snapshot(String action, SqlWork<T> work);

    /** @return a driver error as a one-line {@link StateStoreException} naming the action */
    abstract StateStoreException translate(String action, SQLException e);

    /**
     * @param column a column
     * @param value an expression (usually {@code ?})
     * @return the larger of both (SQLite's scalar {@code MAX(a, b)}, PostgreSQL's {@code GREATEST})
     */
    abstract String greatest(String column, String value);

    /** @return the column that orders rows by first insertion ({@code rowid}, {@code row_seq}) */
    abstract String insertOrder();

    /** @return the options the database was opened with */
    final StoreOptions options() {
        return options;
    }

    /** @return the store's clock, epoch milliseconds */
    final long nowMs() {
        return options.clock().millis();
    }

    /**
     * Runs an INSERT, UPDATE or DELETE.
     *
     * @param sql the statement (prepared once per connection)
     * @param args its parameters in order: String, Long, Integer, or null
     * @return the number of rows changed
     */
    final int update(String sql, Object... args) throws SQLException {
        return bound(sql, args).executeUpdate();
    }

    /** @return the first row mapped, or empty */
    final <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (ResultSet rs = bound(sql, args).executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
        }
    }

    /** @return every row mapped, in the query's order */
    final <T> List<T> list(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = bound(sql, args).executeQuery()) {
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
        }
        return out;
    }

    private PreparedStatement bound(String sql, Object[] args) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = conn.prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        for (int i = 0; i < args.length; i++) {
            Object v = args[i];
            if (v == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (v instanceof String s) {
                ps.setString(i + 1, s);
            } else if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                throw new IllegalArgumentException("unsupported SQL parameter type: " + v.getClass().getName());
            }
        }
        return ps;
    }

    /**
     * @param rs a result set on a row
     * @param column an integer column
     * @return its value, or null for SQL NULL
     */
    static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** @return true after {@link #close()} */
    final boolean closed() {
        return closed;
    }

    /**
     * Called when a pooled store goes idle between runs ({@link StorePool}): release what an idle
     * connection need not hold. Nothing by default.
     */
    void idle() {
    }

    /** @throws IllegalStateException after {@link #close()} */
    protected final void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("state store " + location() + " is closed");
        }
    }

    /** Closes the statements and the connection. Idempotent. */
    @Override
    public void close() {
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

    /**
     * Replaces a connection the server dropped (PostgreSQL restart): the cached statements and the
     * old connection are closed quietly, the fresh one is used from now on.
     *
     * @param fresh a newly opened connection
     */
    protected final void replaceConnection(Connection fresh) throws SQLException {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // the connection is gone anyway
            }
        }
        statements.clear();
        Statement c = fresh.createStatement();
        closeQuietly(conn);
        conn = fresh;
        control = c;
    }

    /** Closes a connection that failed to open, keeping the original error. */
    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already failing; the original error is reported
            }
        }
    }
}
