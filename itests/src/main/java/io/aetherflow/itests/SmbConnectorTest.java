package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.files.RemoteFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The SMB connector bundle registers {@code smb:smbj} with aliases {@code smbclient} and
 * {@code pysmb} (smbj embedded, BouncyCastle resolved from its bundle), and the transfer step
 * bundle provides the four {@code smb_*} steps: a flow lists, downloads and uploads against a real
 * Samba {@code smbd} started here on loopback, and a second job is skipped by
 * {@code on_no_data: skip_job}.
 */
@ExtendWith(BundleContextExtension.class)
class SmbConnectorTest {

    private static final String PASSWORD = "itest-Smb-pw";

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    @Test
    void smbjFactoryIsRegisteredWithAliasesSmbclientAndPysmb() throws Exception {
        for (String alias : List.of("smbclient", "pysmb")) {
            ServiceReference<ConnectorFactory> ref = Registrations.factory(context, "smb", alias,
                    "io.aetherflow.connectors.smb", "smbj");
            Registrations.creates(context, ref, RemoteFiles.class, "share", alias,
                    Map.of("server", "127.0.0.1", "share", "DATA"));
        }
        Registrations.stepsServedBy(context, "io.aetherflow.steps.transfer",
                "smb_list_files", "smb_download_files", "smb_delete_files", "smb_upload_files");
    }

    @Test
    void flowListsDownloadsAndUploadsThroughSmbclientAgainstSamba() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/smbd")),
                "skipped: Samba is not installed (/usr/sbin/smbd missing; .ci/run installs it)");
        Path share = Files.createDirectories(home.resolve("share"));
        Files.createDirectories(share.resolve("in"));
        Files.writeString(share.resolve("in/a.csv"), "1,2\n");
        Files.writeString(share.resolve("in/b.csv"), "3,4\n");
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        Process smbd = startSamba(home.resolve("samba"), share, port);
        try {
            Path flow = EngineFixture.writeFlow(home,
                    EngineFixture.resources("files", "smb", "smbclient", "server: 127.0.0.1", "port: " + port,
                            "share: DATA", "username: root", "password: " + PASSWORD),
                    EngineFixture.flowBlock(home, "itest_smb", "cleanup_policy: never"),
                    EngineFixture.transferJobs(home, "smb", "'DATA:/in'", "local_files", "'archive\\2024'", "in"));
            EngineFixture.assertTransferred(EngineFixture.runFlow(context, home, flow, "smb1"), home,
                    share.resolve("archive/2024"), PASSWORD);
        } finally {
            List<ProcessHandle> children = smbd.descendants().toList();
            smbd.destroy();
            children.forEach(ProcessHandle::destroy);
            smbd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** smbd in the foreground (own process group) with its own smb.conf, passdb and share {@code DATA}. */
    private static Process startSamba(Path dir, Path share, int port) throws IOException, InterruptedException {
        for (String d : List.of("private", "lock", "state", "cache", "pid", "ncalrpc")) {
            Files.createDirectories(dir.resolve(d));
        }
        Path conf = Files.writeString(dir.resolve("smb.conf"), String.join("\n", "[global]",
                "  netbios name = AFITEST", "  server role = standalone server", "  smb ports = " + port,
                "  interfaces = 127.0.0.1", "  bind interfaces only = yes",
                "  private dir = " + dir.resolve("private"), "  lock directory = " + dir.resolve("lock"),
                "  state directory = " + dir.resolve("state"), "  cache directory = " + dir.resolve("cache"),
                "  pid directory = " + dir.resolve("pid"), "  ncalrpc dir = " + dir.resolve("ncalrpc"),
                "  log file = " + dir.resolve("log.%m"),
                "  passdb backend = tdbsam:" + dir.resolve("private/passdb.tdb"), "  load printers = no",
                "  printing = bsd", "  printcap name = /dev/null", "  disable spoolss = yes",
                "  map to guest = Never", "", "[DATA]", "  path = " + share, "  read only = no",
                "  force user = root", ""));
        Process pw = new ProcessBuilder("/usr/bin/smbpasswd", "-c", conf.toString(), "-a", "-s", "root")
                .redirectErrorStream(true).redirectOutput(dir.resolve("smbpasswd.out").toFile()).start();
        try (OutputStream in = pw.getOutputStream()) {
            in.write((PASSWORD + "\n" + PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(pw.waitFor(30, TimeUnit.SECONDS) && pw.exitValue() == 0,
                () -> "smbpasswd failed: " + read(dir.resolve("smbpasswd.out")));
        Path out = dir.resolve("smbd.out");
        Process p = new ProcessBuilder(Arrays.asList("/usr/sbin/smbd", "--foreground", "--debug-stdout", "-s",
                conf.toString())).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket so = new Socket()) {
                so.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("smbd did not start on 127.0.0.1:" + port + ": " + read(out));
                }
                Thread.sleep(100);
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
