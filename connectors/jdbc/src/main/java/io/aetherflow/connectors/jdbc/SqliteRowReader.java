package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.db.DbText;
import io.aetherflow.api.connector.db.DbType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.core.Codes;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;
import org.sqlite.core.SafeStmtPtr;

/**
 * Reads a whole row of a sqlite-jdbc statement in one call into the driver's native layer: for each
 * column the value's SQLite type ({@code sqlite3_column_type}) and then the value by that type,
 * inside one {@link SafeStmtPtr#safeRun} (one lock, one open check). Through the JDBC getters a row
 * costs about twice the native calls ({@code getObject} asks the type, then {@code getDouble} asks
 * it again), each behind its own lock, check and lambda. The values are those {@code getObject}
 * gives, converted with {@link DbTypes#convert} as {@link JdbcRows} does.
 */
final class SqliteRowReader implements SafeStmtPtr.SafePtrFunction<Object[], SQLException> {

    private final SafeStmtPtr pointer;
    private final DbType[] types;
    private final boolean utf8;
    /** Whether the row being read gives text as {@link DbText} (set by {@link #read(boolean)}, same thread). */
    private boolean lazy;

    private SqliteRowReader(SafeStmtPtr pointer, DbType[] types, boolean utf8) {
        this.pointer = pointer;
        this.types = types;
        this.utf8 = utf8;
    }

    /**
     * @param statement the statement the result set came from (a pool's proxy is unwrapped)
     * @param types the columns' types (none of them a date or date-time: those take the JDBC path)
     * @return the reader, or null when the statement is not sqlite-jdbc's or a type needs the JDBC path
     */
    static SqliteRowReader of(Statement statement, DbType[] types) {
        for (DbType t : types) {
            if (t == DbType.DATE || t == DbType.DATETIME) {
                return null;
            }
        }
        try {
            if (!statement.isWrapperFor(CoreStatement.class)) {
                return null;
            }
            SafeStmtPtr p = statement.unwrap(CoreStatement.class).pointer;
            return p == null ? null : new SqliteRowReader(p, types, utf8(statement.getConnection()));
        } catch (SQLException | RuntimeException e) {
            return null; // not the driver this class was built against: the JDBC getters are used
        }
    }

    /**
     * Whether the database stores text as UTF-8 (SQLite's default; the other encodings are UTF-16):
     * then a text value's bytes are taken as they are stored ({@code sqlite3_column_blob}, one array
     * made by the native layer) and decoded here, as the driver's {@code column_text} decodes them,
     * without the direct buffer that {@code column_text} makes from native code for every value.
     */
    private static boolean utf8(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA encoding")) {
            return rs.next() && "UTF-8".equalsIgnoreCase(rs.getString(1));
        }
    }

    /**
     * Reads the current row (after {@link java.sql.ResultSet#next()} returned true).
     *
     * @param lazyText whether text values of a UTF-8 database come as {@link DbText} (their bytes,
     *        decoded by the consumer), else as strings
     * @return the row's values
     * @throws SQLException when the statement is closed
     */
    Object[] read(boolean lazyText) throws SQLException {
        lazy = lazyText;
        return pointer.safeRun(this);
    }

    @Override
    public Object[] run(DB db, long ptr) throws SQLException {
        Object[] row = new Object[types.length];
        for (int i = 0; i < row.length; i++) {
            DbType t = types[i];
            // DbTypes.convert changes only a bool column's integers and texts and a decimal column's
            // reals; the other values are taken as they are (no chain of type tests per value)
            row[i] = switch (db.column_type(ptr, i)) {
                case Codes.SQLITE_INTEGER -> t == DbType.BOOL ? DbTypes.convert(db.column_long(ptr, i), t)
                        : (Object) db.column_long(ptr, i);
                case Codes.SQLITE_FLOAT -> t == DbType.DECIMAL ? DbTypes.convert(db.column_double(ptr, i), t)
                        : (Object) db.column_double(ptr, i);
                case Codes.SQLITE_BLOB -> db.column_blob(ptr, i);
                case Codes.SQLITE_NULL -> null;
                default -> t == DbType.BOOL ? DbTypes.convert(text(db, ptr, i), t)
                        : lazy && utf8 ? lazyText(db, ptr, i) : text(db, ptr, i);
            };
        }
        return row;
    }

    /** The stored bytes, decoded later by the consumer (about a fifth of a row's read time is decoding). */
    private static Object lazyText(DB db, long ptr, int i) throws SQLException {
        byte[] b = db.column_blob(ptr, i);
        return b == null ? null : new DbText(b);
    }

    private String text(DB db, long ptr, int i) throws SQLException {
        if (!utf8) {
            return db.column_text(ptr, i);
        }
        byte[] b = db.column_blob(ptr, i);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
