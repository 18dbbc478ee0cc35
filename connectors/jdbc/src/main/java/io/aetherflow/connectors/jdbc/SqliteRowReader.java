package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.db.DbType;
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

    private SqliteRowReader(SafeStmtPtr pointer, DbType[] types) {
        this.pointer = pointer;
        this.types = types;
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
            return p == null ? null : new SqliteRowReader(p, types);
        } catch (SQLException | RuntimeException e) {
            return null; // not the driver this class was built against: the JDBC getters are used
        }
    }

    /**
     * Reads the current row (after {@link java.sql.ResultSet#next()} returned true).
     *
     * @return the row's values
     * @throws SQLException when the statement is closed
     */
    Object[] read() throws SQLException {
        return pointer.safeRun(this);
    }

    @Override
    public Object[] run(DB db, long ptr) throws SQLException {
        Object[] row = new Object[types.length];
        for (int i = 0; i < row.length; i++) {
            Object v = switch (db.column_type(ptr, i)) {
                case Codes.SQLITE_INTEGER -> db.column_long(ptr, i);
                case Codes.SQLITE_FLOAT -> db.column_double(ptr, i);
                case Codes.SQLITE_BLOB -> db.column_blob(ptr, i);
                case Codes.SQLITE_NULL -> null;
                default -> db.column_text(ptr, i);
            };
            row[i] = DbTypes.convert(v, types[i]);
        }
        return row;
    }
}
