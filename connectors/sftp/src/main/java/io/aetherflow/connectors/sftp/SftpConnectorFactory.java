package io.aetherflow.connectors.sftp;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConnectorDriver;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code sftp:mina} driver (alias {@code sftp:paramiko}, so reference flows run unchanged): a
 * {@link io.aetherflow.api.connector.files.RemoteFiles} connector over Apache MINA SSHD. The
 * configuration is checked here; nothing connects until the first operation.
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "sftp", driver = "mina", aliases = "paramiko")
public final class SftpConnectorFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new MinaSftpConnector(config, SftpSettings.from(config));
    }
}
