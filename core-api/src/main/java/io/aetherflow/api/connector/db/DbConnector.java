package io.aetherflow.api.connector.db;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorException;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A database bound to one {@code db} resource. The resource configures the connection (driver, URL
 * or path, user, password, pool); this interface runs statements on it.
 *
 * <p>SQL text uses named parameters in the reference's form {@code :name} (not inside string
 * literals, quoted identifiers or comments; {@code ::} casts are left alone); each name must have a
 * value in the parameter map, extra map entries are ignored. Implementations are thread-safe, connect
 * lazily, and never put the password or a URL with credentials into a message.
 */
@ProviderType
public interface DbConnector extends Connector {

    /**
     * Runs a query and returns a cursor over its rows. Rows are fetched from the database in batches
     * of {@link DbQuery#fetchSize()}; the whole result is never held in memory by the connector. The
     * caller must close the cursor (it releases the statement and the connection).
     *
     * <p>Column types come from the result's metadata when it is informative; when it is not (SQLite
     * declares no types for expressions, some drivers report {@code OTHER}), up to
     * {@link DbQuery#sampleSize()} rows are read ahead and each such column takes the type of its
     * first non-null value; those rows are then returned first, in order.
     *
     * @param query the statement and its parameters; never null
     * @return an open cursor; never null
     * @throws ConnectorException when the connection fails, the SQL is invalid, a parameter is
     *         missing or the query times out; the message names the resource and driver and the
     *         database's reason, never secrets
     */
    DbRows query(DbQuery query) throws ConnectorException;

    /**
     * Runs one statement that returns no rows (DDL, INSERT, UPDATE, DELETE, MERGE) and commits it.
     *
     * @param sql the statement, with {@code :name} parameters
     * @param params parameter values by name; may be null when the statement has none
     * @return the number of rows the statement changed, or 0 when the database does not say
     * @throws ConnectorException when the statement fails; the message names the resource, driver and
     *         reason, never secrets
     */
    long execute(String sql, Map<String, ?> params) throws ConnectorException;

    /**
     * @return the database product as the connector identifies it, lower case, e.g. {@code sqlite},
     *         {@code postgresql}, {@code mysql}, {@code mariadb}, {@code duckdb}, {@code oracle},
     *         {@code exasol}, {@code h2}
     */
    String dialect();
}
