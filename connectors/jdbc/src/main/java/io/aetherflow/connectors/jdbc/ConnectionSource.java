package io.aetherflow.connectors.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Where a connector's connections come from: a driver's data source (a new connection per call) or a
 * pool over it; {@link #close()} releases what it holds (the pool, a memory database's anchor).
 */
final class ConnectionSource implements AutoCloseable {

    private final DataSource dataSource;
    private final AutoCloseable onClose;

    /**
     * @param dataSource hands out connections
     * @param onClose run once by {@link #close()}, or null
     */
    ConnectionSource(DataSource dataSource, AutoCloseable onClose) {
        this.dataSource = dataSource;
        this.onClose = onClose;
    }

    /** @return a new (or pooled) connection; the caller closes it */
    Connection open() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception e) {
                // best effort (I31: close failures are not errors)
            }
        }
    }
}
