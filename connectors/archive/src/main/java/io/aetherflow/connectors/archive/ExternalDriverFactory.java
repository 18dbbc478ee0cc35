package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConnectorDriver;
import org.osgi.service.component.annotations.Component;

/** The {@code archive:external} driver: templated external commands (e.g. 7z). */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "archive", driver = "external")
public final class ExternalDriverFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new ExternalZipConnector(config);
    }
}
