package io.aetherflow.api.connector;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Creates connectors of one kind and driver. Registered as an OSGi service with
 * {@value #KIND_PROPERTY} and {@value #DRIVER_PROPERTY}; {@value #ALIASES_PROPERTY} may list further
 * driver names it answers to. The highest {@code service.ranking} wins on conflicts.
 */
@ConsumerType
public interface ConnectorFactory {

    /** Service property: the connector kind, e.g. {@code sftp}. */
    String KIND_PROPERTY = "aetherflow.connector.kind";
    /** Service property: the driver name, e.g. {@code mina}. */
    String DRIVER_PROPERTY = "aetherflow.connector.driver";
    /** Service property (String or String[]): alternative driver names, e.g. {@code paramiko}. */
    String ALIASES_PROPERTY = "aetherflow.connector.aliases";

    /**
     * Creates a connector. Should not open network connections yet: connect lazily on first use.
     *
     * @param config the resolved resource; never null
     * @return a new connector; never null
     * @throws ConnectorException when the configuration is invalid
     */
    Connector create(ConnectorConfig config) throws ConnectorException;
}
