package com.example.vendor.acme;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code rest:acme-static} driver: a {@code rest} resource whose replies are written in the flow
 * ({@code config.replies}), served through the core API's HTTP contract
 * ({@link io.aetherflow.api.connector.http.HttpConnector}) so that any step using that contract
 * ({@code acme.greet}, the built-in {@code http_request}) works with it unchanged.
 */
@Component(service = ConnectorFactory.class, property = {
    ConnectorFactory.KIND_PROPERTY + "=rest",
    ConnectorFactory.DRIVER_PROPERTY + "=acme-static",
})
public final class StaticRestConnectorFactory implements ConnectorFactory {

    /** For Declarative Services. */
    public StaticRestConnectorFactory() {
    }

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return StaticRestConnector.from(config);
    }
}
