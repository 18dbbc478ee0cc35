package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConnectorDriver;
import org.osgi.service.component.annotations.Component;

/** The {@code archive:os} driver: the system zip and unzip tools. */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "archive", driver = "os")
public final class OsDriverFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new OsZipConnector(config);
    }
}
