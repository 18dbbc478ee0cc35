package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConnectorDriver;
import org.osgi.service.component.annotations.Component;

/** The {@code archive:aes} driver: AES-encrypted zips with zip4j. */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "archive", driver = "aes", aliases = {"pyzipper", "pyminizip"})
public final class AesDriverFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new AesZipConnector(config);
    }
}
