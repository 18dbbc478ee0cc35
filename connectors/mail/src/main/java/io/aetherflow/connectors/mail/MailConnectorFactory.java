package io.aetherflow.connectors.mail;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConnectorDriver;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code mail:smtp} driver (the reference's own name): a
 * {@link io.aetherflow.api.connector.mail.MailConnector} over Jakarta Mail with Eclipse Angus.
 * Configuration is validated here; no connection is opened until the first message.
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "mail", driver = "smtp")
public final class MailConnectorFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new AngusMailConnector(config, MailSettings.from(config));
    }
}
