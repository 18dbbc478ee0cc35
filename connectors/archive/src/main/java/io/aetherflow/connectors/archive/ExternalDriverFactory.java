package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import org.osgi.service.component.annotations.Component;

/** The {@code archive:external} driver: templated external commands (e.g. 7z). */
@Component(service = ConnectorFactory.class, property = {
    ConnectorFactory.KIND_PROPERTY + "=archive",
    ConnectorFactory.DRIVER_PROPERTY + "=external",
})
public final class ExternalDriverFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new ExternalZipConnector(config);
    }
}
