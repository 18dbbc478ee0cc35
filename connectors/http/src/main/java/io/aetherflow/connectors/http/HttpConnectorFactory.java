package io.aetherflow.connectors.http;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConnectorDriver;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code rest:http} driver (alias {@code rest:httpx}, so reference flows run unchanged): an
 * {@link io.aetherflow.api.connector.http.HttpConnector} over the JDK HttpClient. Configuration is
 * validated here; no connection is opened until the first request.
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "rest", driver = "http", aliases = "httpx")
public final class HttpConnectorFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new JdkHttpConnector(config, HttpSettings.from(config));
    }
}
