package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.db.DbQuery;
import io.aetherflow.api.connector.db.DbRows;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * The one {@link DbConnector} of every {@code db} driver: JDBC over a {@link ConnectionSource} that
 * is created on first use (nothing connects before the first statement).
 */
final class JdbcDbConnector implements DbConnector {

    /** Creates the connection source on first use. */
    @FunctionalInterface
    interface SourceFactory {
        /** @return the source; never null */
        ConnectionSource create() throws SQLException;
    }

    private final ConnectorConfig config;
    private final Dialect dialect;
    private final Errors errors;
    private final String target;
    private final SourceFactory factory;
    private final Integer defaultFetchSize;
    private ConnectionSource source;
    private boolean closed;

    /**
     * @param config the resource
     * @param dialect the database product
     * @param errors the resource's message builder (knows the secrets)
     * @param target what is connected to, for messages (masked again before use)
     * @param factory creates the connection source on first use
     * @param defaultFetchSize a fetch size that overrides the query's default ({@code arraysize}), or null
     */
    JdbcDbConnector(ConnectorConfig config, Dialect dialect, Errors errors, String target, SourceFactory factory,
            Integer defaultFetchSize) {
        this.config = config;
        this.dialect = dialect;
        this.errors = errors;
        this.target = target;
        this.factory = factory;
        this.defaultFetchSize = defaultFetchSize;
    }

    @Override
    public ConnectorConfig config() {
        return config;
    }

    @Override
    public String dialect() {
        return dialect.id();
    }

    private Connection connect() {
        ConnectionSource s;
        synchronized (this) {
            if (closed) {
                throw errors.error("the connector is closed");
            }
            if (source == null) {
                try {
                    source = factory.create();
                } catch (SQLException | RuntimeException e) {
                    throw errors.failed("cannot connect to " + errors.mask(target), e);
                }
            }
            s = source;
        }
        try {
            return s.open();
        } catch (SQLException | RuntimeException e) {
            throw errors.failed("cannot connect to " + errors.mask(target), e);
        }
    }

    private Object[] bindValues(String sql, Map<String, ?> params, NamedSql[] parsed) {
        NamedSql ns = NamedSql.parse(sql);
        parsed[0] = ns;
        try {
            return ns.bind(params);
        } catch (IllegalArgumentException e) {
            throw errors.error(e.getMessage());
        }
    }

    @Override
    public DbRows query(DbQuery query) throws ConnectorException {
        NamedSql[] parsed = new NamedSql[1];
        Object[] args = bindValues(query.sql(), query.params(), parsed);
        Connection c = connect();
        PreparedStatement ps = null;
        ResultSet rs = null;
        Watchdog dog = null;
        long started = System.nanoTime();
        try {
            if (dialect.cursorNeedsTransaction()) {
                c.setAutoCommit(false);
            }
            ps = c.prepareStatement(parsed[0].sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            int fetch = defaultFetchSize != null && query.fetchSize() == DbQuery.DEFAULT_FETCH_SIZE
                    ? defaultFetchSize : query.fetchSize();
            ps.setFetchSize(fetch);
            prepare(ps, args, query.timeout());
            dog = dialect == Dialect.SQLITE ? Watchdog.start(ps, query.timeout()) : null;
            rs = ps.executeQuery();
            JdbcRows rows = JdbcRows.open(c, ps, rs, errors, dialect, query.sampleSize());
            if (dog != null) {
                dog.close();
            }
            return rows;
        } catch (SQLException | RuntimeException e) {
            if (dog != null) {
                dog.close();
            }
            release(c, ps, rs);
            if (dog != null && dog.fired() || e instanceof java.sql.SQLTimeoutException
                    || query.timeout() != null && System.nanoTime() - started >= query.timeout().toNanos()) {
                throw errors.failed("query failed: statement timeout after " + query.timeout().toSeconds() + " s", e);
            }
            throw errors.failed("query failed", e);
        }
    }

    @Override
    public long execute(String sql, Map<String, ?> params) throws ConnectorException {
        NamedSql[] parsed = new NamedSql[1];
        Object[] args = bindValues(sql, params, parsed);
        Connection c = connect();
        PreparedStatement ps = null;
        try {
            c.setAutoCommit(false);
            ps = c.prepareStatement(parsed[0].sql());
            prepare(ps, args, null);
            long count = ps.execute() ? 0 : Math.max(0, updateCount(ps));
            c.commit();
            return count;
        } catch (SQLException | RuntimeException e) {
            throw errors.failed("statement failed", e);
        } finally {
            release(c, ps, null);
        }
    }

    private static long updateCount(Statement s) throws SQLException {
        try {
            return s.getLargeUpdateCount();
        } catch (UnsupportedOperationException | java.sql.SQLFeatureNotSupportedException e) {
            return s.getUpdateCount();
        }
    }

    private void prepare(PreparedStatement ps, Object[] args, java.time.Duration timeout) throws SQLException {
        if (timeout != null) {
            ps.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
        }
        for (int i = 0; i < args.length; i++) {
            bind(ps, i + 1, args[i]);
        }
    }

    private void bind(PreparedStatement ps, int index, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.NULL);
        } else if (v instanceof BigInteger b) {
            ps.setBigDecimal(index, new BigDecimal(b));
        } else if (dialect == Dialect.SQLITE && (v instanceof LocalDate || v instanceof LocalDateTime
                || v instanceof OffsetDateTime)) {
            // as Python's sqlite3 adapters store them: ISO text with a blank between date and time
            ps.setString(index, v.toString().replace('T', ' '));
        } else if (v instanceof Map<?, ?> || v instanceof Iterable<?>) {
            ps.setString(index, io.aetherflow.api.support.Json.write(v));
        } else {
            ps.setObject(index, v);
        }
    }

    /** Closes what a statement holds; a connection left in a transaction is rolled back first. */
    static void release(Connection c, Statement s, ResultSet rs) {
        try {
            if (rs != null) {
                rs.close();
            }
        } catch (SQLException | RuntimeException e) {
            // best effort
        }
        try {
            if (s != null) {
                s.close();
            }
        } catch (SQLException | RuntimeException e) {
            // best effort
        }
        if (c == null) {
            return;
        }
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            // best effort: a broken connection is discarded below
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // best effort
        }
    }

    @Override
    public void close() {
        ConnectionSource s;
        synchronized (this) {
            closed = true;
            s = source;
            source = null;
        }
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcDbConnector[" + config.name() + " " + dialect.id() + "]";
    }
}
