package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.connectors.sftp.TestSshServer;
import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution runs the shipped SFTP example (list → download → upload on an
 * {@code sftp:paramiko} resource) against a MINA SSHD server started by the test, with host keys
 * checked against a known_hosts file the test writes; an unknown host key stops the run with exit
 * 1 and one line; a listing with nothing in it skips the job through {@code on_no_data: skip_job}.
 */
@RunsExamples("sftp")
class SftpIT {

    private static final String PASSWORD = "dist-Sftp-Pa55word";

    @TempDir
    Path tmp;

    private Path remote;
    private TestSshServer server;

    @BeforeEach
    void startServer() throws Exception {
        remote = Files.createDirectories(tmp.resolve("remote"));
        server = TestSshServer.start(remote, "etl", PASSWORD, null);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private Map<String, String> env(Path knownHosts) {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("SFTP_HOST", "127.0.0.1");
        env.put("SFTP_PORT", Integer.toString(server.port()));
        env.put("SFTP_USER", "etl");
        env.put("SFTP_PASSWORD", PASSWORD);
        env.put("SFTP_KNOWN_HOSTS", knownHosts.toString());
        return env;
    }

    @Test
    void exampleFlowListsDownloadsAndArchives() throws Exception {
        Files.createDirectories(remote.resolve("inbox"));
        Files.writeString(remote.resolve("inbox/orders.csv"), "id,qty\n1,5\n");
        Files.writeString(remote.resolve("inbox/stock.csv"), "sku\nA\n");
        Files.writeString(remote.resolve("inbox/readme.txt"), "not a csv");
        Path kh = server.writeKnownHosts(tmp.resolve("known_hosts"));

        Result r = Aetherflow.run(Aetherflow.REPO, env(kh), "run", "--flow-yaml", "examples/sftp/flow.yaml",
                "--run-id", "s1");

        assertEquals(0, r.exit(), r.toString());
        assertEquals("id,qty\n1,5\n", Files.readString(remote.resolve("archive/s1/orders.csv")));
        assertEquals("sku\nA\n", Files.readString(remote.resolve("archive/s1/stock.csv")));
        assertFalse(Files.exists(remote.resolve("archive/s1/readme.txt")));
        assertTrue(r.stderr().contains("fetched 2 files, archived 2"), r.stderr());
        assertTrue(Files.exists(tmp.resolve("work/sftp_example/fetch/s1/manifests/archive.manifest.json")));
        assertTrue(Files.exists(tmp.resolve("work/sftp_example/fetch/s1/artifacts/inbox/orders.csv")));
        assertFalse(r.stderr().contains(PASSWORD), r.stderr());
        assertFalse(r.stdout().contains(PASSWORD), r.stdout());
    }

    @Test
    void emptyInboxSkipsTheJob() throws Exception {
        Files.createDirectories(remote.resolve("inbox"));
        Path kh = server.writeKnownHosts(tmp.resolve("known_hosts"));
        Result r = Aetherflow.run(Aetherflow.REPO, env(kh), "run", "--flow-yaml", "examples/sftp/flow.yaml",
                "--run-id", "s2");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("count(0) < min_count(1)"), r.stderr());
        assertFalse(r.stderr().contains("fetched"), r.stderr());
        assertFalse(Files.exists(remote.resolve("archive")));
    }

    @Test
    void unknownHostKeyStopsTheRunWithOneLine() throws Exception {
        Files.createDirectories(remote.resolve("in"));
        Path kh = Files.writeString(tmp.resolve("known_hosts"), "# empty\n");
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), "resources:\n"
                + "  files:\n"
                + "    kind: sftp\n"
                + "    driver: paramiko\n"
                + "    config:\n"
                + "      host: 127.0.0.1\n"
                + "      port: " + server.port() + "\n"
                + "      user: etl\n"
                + "      password: \"{{env.SFTP_PASSWORD}}\"\n"
                + "      known_hosts: \"" + kh + "\"\n"
                + flow("sftp_hostkey", "  - id: pull\n    steps:\n"
                        + "      - id: list\n"
                        + "        type: sftp_list_files\n"
                        + "        inputs: {resource: files, remote_dir: /in}\n"));
        Result r = Aetherflow.run(tmp, env(kh), "run", "--flow-yaml", f.toString(), "--run-id", "k1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("sftp_list_files: SFTP server 127.0.0.1:" + server.port() + " refused: host key"),
                r.stderr());
        assertTrue(r.stderr().contains("is not in known_hosts " + kh), r.stderr());
        assertFalse(r.stderr().contains(PASSWORD), r.stderr());
    }
}
