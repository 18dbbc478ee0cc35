package io.aetherflow.runtime.state;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/**
 * The state store cannot do what was asked: unwritable location, database locked by another
 * process for longer than the busy timeout, corrupt file, newer schema, disk full. The message is
 * one line naming the store file and what to do; the CLI maps it to exit code 4 (environment).
 */
public class StateStoreException extends UserError {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what, where, what to do
     */
    public StateStoreException(String message) {
        super(ExitCodes.ENVIRONMENT, message);
    }

    /**
     * @param message what, where, what to do
     * @param cause the underlying SQL or I/O failure
     */
    public StateStoreException(String message, Throwable cause) {
        super(ExitCodes.ENVIRONMENT, message, cause);
    }

    /**
     * For subclasses that map to another exit code.
     *
     * @param exitCode exit code
     * @param message what, where, what to do
     */
    protected StateStoreException(int exitCode, String message) {
        super(exitCode, message);
    }

    /** @return true when the cause is SQLite's "database is locked" (another process held it too long) */
    public boolean busy() {
        return getCause() instanceof org.sqlite.SQLiteException se && se.getResultCode() != null
                && ((se.getResultCode().code & 0xff) == org.sqlite.SQLiteErrorCode.SQLITE_BUSY.code
                        || (se.getResultCode().code & 0xff) == org.sqlite.SQLiteErrorCode.SQLITE_LOCKED.code)
                || getCause() instanceof java.sql.SQLException pe && PgDatabase.LOCK_NOT_AVAILABLE.equals(pe.getSQLState());
    }
}
