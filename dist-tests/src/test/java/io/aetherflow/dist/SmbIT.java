package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.connectors.smb.TestSambaServer;
import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution runs the shipped SMB example (list → download → upload → delete on an
 * {@code smb:smbclient} resource) against a real Samba {@code smbd} started by the test; an empty
 * inbox skips the job through {@code on_no_data: skip_job}; a wrong password stops the run with
 * exit 1 and one line without the password.
 */
@RunsExamples("smb")
class SmbIT {

    @TempDir
    Path tmp;

    private TestSambaServer server;

    @BeforeEach
    void startServer() throws Exception {
        String why = TestSambaServer.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "skipped: " + why);
        server = new TestSambaServer(tmp.resolve("samba"));
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Map<String, String> env(String password) {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("SMB_SERVER", "127.0.0.1");
        env.put("SMB_PORT", Integer.toString(server.port()));
        env.put("SMB_SHARE", TestSambaServer.SHARE);
        env.put("SMB_USER", TestSambaServer.USER);
        env.put("SMB_PASSWORD", password);
        return env;
    }

    @Test
    void exampleFlowListsDownloadsArchivesAndCleans() throws Exception {
        Path share = server.shareDir();
        Files.createDirectories(share.resolve("inbox"));
        Files.writeString(share.resolve("inbox/orders.csv"), "id,qty\n1,5\n");
        Files.writeString(share.resolve("inbox/stock.csv"), "sku\nA\n");
        Files.writeString(share.resolve("inbox/readme.txt"), "not a csv");

        Result r = Aetherflow.run(Aetherflow.REPO, env(TestSambaServer.PASSWORD), "run", "--flow-yaml",
                "examples/smb/flow.yaml", "--run-id", "m1");

        assertEquals(0, r.exit(), r.toString());
        assertEquals("id,qty\n1,5\n", Files.readString(share.resolve("archive/m1/orders.csv")));
        assertEquals("sku\nA\n", Files.readString(share.resolve("archive/m1/stock.csv")));
        assertFalse(Files.exists(share.resolve("inbox/orders.csv")), "smb_delete_files removed the original");
        assertTrue(Files.exists(share.resolve("inbox/readme.txt")));
        assertTrue(r.stderr().contains("fetched 2 files, archived 2"), r.stderr());
        assertTrue(Files.exists(tmp.resolve("work/smb_example/fetch/m1/artifacts/inbox/orders.csv")));
        assertFalse(r.stderr().contains(TestSambaServer.PASSWORD), r.stderr());
        assertFalse(r.stdout().contains(TestSambaServer.PASSWORD), r.stdout());
    }

    @Test
    void emptyInboxSkipsTheJob() throws Exception {
        Files.createDirectories(server.shareDir().resolve("inbox"));
        Result r = Aetherflow.run(Aetherflow.REPO, env(TestSambaServer.PASSWORD), "run", "--flow-yaml",
                "examples/smb/flow.yaml", "--run-id", "m2");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("count(0) < min_count(1)"), r.stderr());
        assertFalse(r.stderr().contains("fetched"), r.stderr());
        assertFalse(Files.exists(server.shareDir().resolve("archive")));
    }

    @Test
    void wrongPasswordStopsTheRunWithOneLine() throws Exception {
        String wrong = "Not-The-Password-1";
        Files.createDirectories(server.shareDir().resolve("inbox"));
        Result r = Aetherflow.run(Aetherflow.REPO, env(wrong), "run", "--flow-yaml", "examples/smb/flow.yaml",
                "--run-id", "m3");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("smb_list_files: resource share: log in for list \\\\127.0.0.1\\DATA\\inbox on"
                + " root@127.0.0.1:" + server.port() + " failed: authentication failed"), r.stderr());
        assertFalse(r.stderr().contains(wrong), r.stderr());
    }
}
