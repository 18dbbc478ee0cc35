package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConnectorDriver;
import org.osgi.service.component.annotations.Component;

/** The {@code archive:zip} driver: plain zips with Apache Commons Compress. */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "archive", driver = "zip", aliases = "zipfile")
public final class ZipDriverFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new CommonsZipConnector(config);
    }
}
