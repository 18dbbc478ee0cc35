package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.files.RemoteFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The SFTP connector bundle registers {@code sftp:mina} with alias {@code paramiko} (the reference's
 * {@code sftp:paramiko}), and the transfer step bundle finds it through the engine: a flow lists,
 * downloads and uploads against a MINA SSHD server started here (sshd-osgi and sshd-sftp resolve in
 * the framework), and a second job is skipped by {@code on_no_data: skip_job}.
 */
@ExtendWith(BundleContextExtension.class)
class SftpConnectorTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    @Test
    void sftpMinaFactoryIsRegisteredWithAliasParamiko() throws Exception {
        ServiceReference<ConnectorFactory> ref = Registrations.factory(context, "sftp", "paramiko",
                "io.aetherflow.connectors.sftp", "mina");
        Registrations.creates(context, ref, RemoteFiles.class, "files", "paramiko",
                Map.of("host", "127.0.0.1", "user", "u", "password", "p"));
        Registrations.stepsServedBy(context, "io.aetherflow.steps.transfer",
                "sftp_list_files", "sftp_download_files", "sftp_delete_files", "sftp_upload_files");
    }

    @Test
    void flowListsDownloadsAndUploadsThroughSftpParamiko() throws Exception {
        Path remote = Files.createDirectories(home.resolve("remote"));
        Files.createDirectories(remote.resolve("in"));
        Files.writeString(remote.resolve("in/a.csv"), "1,2\n");
        Files.writeString(remote.resolve("in/b.csv"), "3,4\n");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair hostKey = g.generateKeyPair();
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator((u, p, s) -> "etl".equals(u) && "itest-pw".equals(p));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(remote));
        sshd.start();
        try {
            Path kh = Files.writeString(home.resolve("known_hosts"),
                    "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
            Path flow = EngineFixture.writeFlow(home,
                    EngineFixture.resources("files", "sftp", "paramiko", "host: 127.0.0.1", "port: " + sshd.getPort(),
                            "user: etl", "password: itest-pw", "known_hosts: \"" + kh + "\""),
                    EngineFixture.flowBlock(home, "itest_sftp", "cleanup_policy: never"),
                    EngineFixture.transferJobs(home, "sftp", "/in", "items", "/archive", "/in"));
            EngineFixture.assertTransferred(EngineFixture.runFlow(context, home, flow, "sftp1"), home,
                    remote.resolve("archive"), "itest-pw");
            assertTrue(Files.exists(home.resolve("work/itest_sftp/pull/sftp1/manifests/put.manifest.json")),
                    "upload manifest under the job's manifests directory");
        } finally {
            sshd.stop(true);
        }
    }
}
