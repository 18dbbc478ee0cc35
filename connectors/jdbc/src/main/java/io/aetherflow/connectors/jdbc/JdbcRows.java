package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.connector.db.DbType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A cursor over an open {@link ResultSet}: rows are fetched in the statement's fetch size; rows read
 * ahead for type inference are kept and returned first.
 */
final class JdbcRows implements DbRows {

    private final Connection connection;
    private final Statement statement;
    private final ResultSet rs;
    private final Errors errors;
    private final int[] sqlTypes;
    private final DbType[] types;
    private final List<DbColumn> columns;
    private final Column[] readers;
    private final ArrayDeque<Object[]> sampled = new ArrayDeque<>();
    /** SQLite's whole-row reader (after sampling), else null: the per-column readers are used. */
    private final SqliteRowReader sqlite;
    private boolean done;
    private boolean closed;

    private JdbcRows(Connection connection, Statement statement, ResultSet rs, Errors errors, Dialect dialect,
            int sampleSize) throws SQLException {
        this.connection = connection;
        this.statement = statement;
        this.rs = rs;
        this.errors = errors;
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        sqlTypes = new int[n];
        types = new DbType[n];
        String[] names = new String[n];
        String[] dbTypes = new String[n];
        boolean unknown = false;
        for (int i = 0; i < n; i++) {
            String label = md.getColumnLabel(i + 1);
            names[i] = label == null || label.isEmpty() ? "col_" + (i + 1) : label;
            sqlTypes[i] = md.getColumnType(i + 1);
            dbTypes[i] = md.getColumnTypeName(i + 1);
            types[i] = dialect.typesFromValues() ? DbType.UNKNOWN
                    : DbTypes.fromMetadata(sqlTypes[i], dbTypes[i], safe(md::getPrecision, i + 1), safe(md::getScale, i + 1));
            unknown |= types[i] == DbType.UNKNOWN;
        }
        readers = new Column[n];
        Arrays.fill(readers, (Column) this::value); // sampling reads each value by its own type
        if (unknown && sampleSize > 0) {
            sample(sampleSize);
        }
        for (int i = 0; i < n; i++) {
            readers[i] = reader(i, dialect, dbTypes[i]);
        }
        sqlite = dialect == Dialect.SQLITE ? sqliteReader(statement, types) : null;
        List<DbColumn> cols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            cols.add(new DbColumn(names[i], types[i], dbTypes[i]));
        }
        columns = List.copyOf(cols);
    }

    /**
     * The one-call row reader on sqlite-jdbc's native layer, or null for the JDBC getters: also when the
     * installed sqlite-jdbc does not export {@code org.sqlite.core} (an optional import), so a driver
     * upgrade that moves those classes costs speed, not the connector.
     */
    private static SqliteRowReader sqliteReader(Statement statement, DbType[] types) {
        try {
            return SqliteRowReader.of(statement, types);
        } catch (LinkageError e) {
            return null;
        }
    }

    /** Reads one column of the current row (chosen once per result set, by the column's type). */
    @FunctionalInterface
    private interface Column {
        Object read(int index) throws SQLException;
    }

    /**
     * The typed getter of a column: {@code getLong}/{@code getDouble}/{@code getString} (with
     * {@code wasNull}) where the column's JDBC type says every value has that Java type, else
     * {@code getObject} and {@link DbTypes#convert}. SQLite types each value by itself (its metadata
     * reports the first row's value types): a column sampled as text is read with {@code getString},
     * and a value whose text is how SQLite renders a number is read again by its own type. These
     * serve the sampled rows; after them {@link SqliteRowReader} reads SQLite's rows whole.
     */
    private Column reader(int i, Dialect dialect, String typeName) {
        int col = i + 1;
        String name = typeName == null ? "" : typeName.toUpperCase(java.util.Locale.ROOT);
        if (dialect.typesFromValues()) {
            if (types[i] != DbType.STRING) {
                return this::value;
            }
            return x -> {
                String v = rs.getString(col);
                return v != null && sqliteNumber(v) ? value(x) : v;
            };
        }
        if (types[i] == DbType.INT && !name.contains("UNSIGNED") && (sqlTypes[i] == Types.BIGINT
                || sqlTypes[i] == Types.INTEGER || sqlTypes[i] == Types.SMALLINT || sqlTypes[i] == Types.TINYINT)) {
            return x -> {
                long v = rs.getLong(col);
                return v == 0 && rs.wasNull() ? null : (Object) v;
            };
        }
        if (types[i] == DbType.FLOAT && (sqlTypes[i] == Types.DOUBLE || sqlTypes[i] == Types.FLOAT)) {
            return x -> {
                double v = rs.getDouble(col);
                return v == 0 && rs.wasNull() ? null : (Object) v;
            };
        }
        if (types[i] == DbType.STRING && (sqlTypes[i] == Types.VARCHAR || sqlTypes[i] == Types.CHAR
                || sqlTypes[i] == Types.LONGVARCHAR || sqlTypes[i] == Types.NVARCHAR || sqlTypes[i] == Types.NCHAR
                || sqlTypes[i] == Types.LONGNVARCHAR)) {
            return x -> rs.getString(col);
        }
        return this::value;
    }

    /** Whether a text is how SQLite renders an INTEGER or REAL value ({@code -12}, {@code 1.5}, {@code 1.0e+16}, {@code Inf}). */
    static boolean sqliteNumber(String s) {
        int n = s.length();
        int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        if (s.startsWith("Inf", i) && n == i + 3) {
            return true;
        }
        int digits = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == digits) {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            int f = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == f) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int e = i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == e) {
                return false;
            }
        }
        return i == n;
    }

    private interface IntGetter {
        int get(int column) throws SQLException;
    }

    private static int safe(IntGetter g, int column) {
        try {
            return g.get(column);
        } catch (SQLException | RuntimeException e) {
            return 0; // some drivers do not know (computed columns)
        }
    }

    /**
     * Wraps an executed query; on failure the statement and connection are released.
     *
     * @return the cursor
     * @throws SQLException when the metadata or the sampled rows cannot be read
     */
    static JdbcRows open(Connection connection, Statement statement, ResultSet rs, Errors errors, Dialect dialect,
            int sampleSize) throws SQLException {
        return new JdbcRows(connection, statement, rs, errors, dialect, sampleSize);
    }

    /** Reads up to {@code size} rows ahead; each UNKNOWN column takes the type of its first non-null value. */
    private void sample(int size) throws SQLException {
        while (sampled.size() < size) {
            Object[] row = read();
            if (row == null) {
                break;
            }
            sampled.add(row);
        }
        for (int i = 0; i < types.length; i++) {
            if (types[i] != DbType.UNKNOWN) {
                continue;
            }
            for (Object[] row : sampled) {
                DbType t = DbTypes.ofValue(row[i]);
                if (t != null) {
                    types[i] = t;
                    break;
                }
            }
        }
    }

    @Override
    public List<DbColumn> columns() {
        return columns;
    }

    @Override
    public Object[] next() {
        return next(false);
    }

    /** SQLite's text values come as their UTF-8 bytes ({@link io.aetherflow.api.connector.db.DbText}). */
    @Override
    public Object[] nextLazyText() {
        return next(true);
    }

    private Object[] next(boolean lazyText) {
        if (!sampled.isEmpty()) {
            return sampled.poll();
        }
        try {
            return read(lazyText);
        } catch (SQLException | RuntimeException e) {
            close();
            throw errors.failed("fetching rows failed", e);
        }
    }

    private Object[] read() throws SQLException {
        return read(false);
    }

    private Object[] read(boolean lazyText) throws SQLException {
        if (done || closed) {
            return null;
        }
        if (!rs.next()) {
            done = true;
            return null;
        }
        if (sqlite != null) {
            return sqlite.read(lazyText);
        }
        Object[] row = new Object[readers.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = readers[i].read(i);
        }
        return row;
    }

    private Object value(int i) throws SQLException {
        int col = i + 1;
        Class<?> wanted = switch (types[i]) {
            case DATE -> LocalDate.class;
            case DATETIME -> sqlTypes[i] == Types.TIMESTAMP_WITH_TIMEZONE ? OffsetDateTime.class : LocalDateTime.class;
            default -> null;
        };
        if (wanted != null) {
            try {
                return DbTypes.convert(rs.getObject(col, wanted), types[i]);
            } catch (SQLException | RuntimeException e) {
                // the driver cannot give java.time for this column: convert what it has
            }
        }
        return DbTypes.convert(rs.getObject(col), types[i]);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sampled.clear();
        JdbcDbConnector.release(connection, statement, rs);
    }

    @Override
    public String toString() {
        return "JdbcRows" + Arrays.toString(columns.stream().map(DbColumn::name).toArray());
    }
}
