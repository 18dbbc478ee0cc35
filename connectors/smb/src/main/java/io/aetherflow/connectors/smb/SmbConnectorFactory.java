package io.aetherflow.connectors.smb;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.support.ConnectorDriver;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code smb:smbj} driver (aliases {@code smb:smbclient} and {@code smb:pysmb}, so reference
 * flows run unchanged): a {@link io.aetherflow.api.connector.files.RemoteFiles} connector over
 * smbj (SMB 2/3, NTLM). The configuration is checked here; nothing connects until the first
 * operation.
 */
@Component(service = ConnectorFactory.class)
@ConnectorDriver(kind = "smb", driver = "smbj", aliases = {"smbclient", "pysmb"})
public final class SmbConnectorFactory implements ConnectorFactory {

    @Override
    public Connector create(ConnectorConfig config) throws ConnectorException {
        return new SmbjConnector(config, SmbSettings.from(config));
    }
}
