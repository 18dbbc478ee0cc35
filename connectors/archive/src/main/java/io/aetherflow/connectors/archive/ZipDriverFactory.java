package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import org.osgi.service.component.annotations.Component;

/** The {@code archive:zip} driver: plain zips with Apache Commons Compress. */
@Component(service = ConnectorFactory.class, property = {
    ConnectorFactory.KIND_PROPERTY + "=archive",
    ConnectorFactory.DRIVER_PROPERTY + "=zip",
    ConnectorFactory.ALIASES_PROPERTY + "=zipfile",
})
public final class ZipDriverFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new CommonsZipConnector(config);
    }
}
