package io.aetherflow.api.connector.db;

import io.aetherflow.api.connector.ConnectorException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open cursor over a query's rows, returned by {@link DbConnector#query(DbQuery)}. Not thread-safe:
 * one consumer reads it, then closes it.
 */
@ProviderType
public interface DbRows extends AutoCloseable {

    /**
     * @return the result's columns in order, with their types (after sampling, see
     *         {@link DbConnector#query(DbQuery)}); never null; a column without a name is called
     *         {@code col_<n>} (1-based)
     */
    List<DbColumn> columns();

    /**
     * Reads the next row.
     *
     * @return the row's values in column order (a new array each call, values mapped as the package
     *         description says), or null when there are no more rows
     * @throws ConnectorException when the database fails while fetching; the message names the
     *         resource and reason, never secrets
     */
    Object[] next() throws ConnectorException;

    /**
     * Reads the next row as {@link #next()} does, except that a {@code STRING} value may come as a
     * {@link DbText} whose bytes are decoded when it is first used, so a consumer that hands rows to
     * another thread decodes them there ({@link DbText#decodeAll(Object[])}). A connector that has
     * nothing to defer returns what {@link #next()} returns (the default).
     *
     * @return the row's values (a new array each call), or null when there are no more rows
     * @throws ConnectorException as {@link #next()}
     * @since 1.1
     */
    default Object[] nextLazyText() throws ConnectorException {
        return next();
    }

    /** Releases the statement and the connection; idempotent, never throws. */
    @Override
    void close();
}
