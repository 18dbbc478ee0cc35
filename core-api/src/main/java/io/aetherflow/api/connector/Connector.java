package io.aetherflow.api.connector;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Base of every connector. Per-kind contracts (remote files, mail, archive, HTTP, JDBC) extend it.
 * The engine closes run-scoped connectors at the end of the run.
 */
@ConsumerType
public interface Connector extends AutoCloseable {

    /** @return the resolved configuration this connector was created from */
    ConnectorConfig config();

    /** Releases sessions and sockets; best effort, must not throw. The default does nothing. */
    @Override
    default void close() {
    }
}
