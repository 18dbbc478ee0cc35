package io.aetherflow.connectors.jdbc;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConfigValues;

/**
 * What every {@code db} connector factory of this bundle starts with: the resource's {@code config}
 * and {@code options} read strictly, and the one-line error for missing settings.
 */
abstract class DbConnectorFactory implements ConnectorFactory {

    @Override
    public final Connector create(ConnectorConfig config) throws ConnectorException {
        return create(config, ConfigValues.of(config.name(), "config", config.config()),
                ConfigValues.of(config.name(), "options", config.options()));
    }

    /**
     * @param config the resource
     * @param c its {@code config}
     * @param o its {@code options}
     * @return the connector (nothing connects yet)
     * @throws ConnectorException bad settings, named with the resource
     */
    abstract Connector create(ConnectorConfig config, ConfigValues c, ConfigValues o) throws ConnectorException;

    /**
     * @param driver the driver as messages name it, e.g. {@code db:exasol}
     * @param config the resource
     * @param what what is needed, e.g. {@code config.url}
     * @return {@code <driver> requires <what> (resource <name>)}
     */
    static ConnectorException requires(String driver, ConnectorConfig config, String what) {
        return new ConnectorException(driver + " requires " + what + " (resource " + config.name() + ")");
    }
}
