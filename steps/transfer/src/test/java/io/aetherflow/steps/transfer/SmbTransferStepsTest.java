package io.aetherflow.steps.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.connectors.smb.SmbConnectorFactory;
import io.aetherflow.connectors.smb.TestSambaServer;
import io.aetherflow.testkit.FakeStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smb_* steps through the real smb connector (alias smbclient) against a loopback Samba smbd. */
class SmbTransferStepsTest {

    @TempDir
    static Path samba;
    static TestSambaServer server;

    @TempDir
    Path tmp;
    Path share;
    Path artifacts;
    FakeStepContext ctx;
    static final SmbConnectorFactory SMB = new SmbConnectorFactory();

    static final String UNAVAILABLE = TestSambaServer.unavailableReason();

    // availability is checked per test (in setUp), not in @BeforeAll: a class-level abort reports tests="0"
    // and the skipped tests would vanish from the totals instead of being counted as skipped
    @BeforeAll
    static void startSamba() throws Exception {
        if (UNAVAILABLE == null) {
            server = new TestSambaServer(samba);
        }
    }

    @AfterAll
    static void stopSamba() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(UNAVAILABLE == null, () -> "skipped: " + UNAVAILABLE);
        share = server.shareDir();
        try (var s = Files.list(share)) {
            for (Path p : s.toList()) {
                deleteTree(p);
            }
        }
        artifacts = Files.createDirectories(tmp.resolve("job/artifacts"));
        ctx = FakeStepContext.at(artifacts.getParent());
        ctx.secret(TestSambaServer.PASSWORD);
        ctx.resource("fs", "smb", "smbclient", config(TestSambaServer.PASSWORD, server.port()), Map.of("timeout", 5),
                SMB);
        Files.createDirectories(share.resolve("in/sub"));
        Files.writeString(share.resolve("in/b.csv"), "bbb");
        Files.writeString(share.resolve("in/a.csv"), "aa");
        Files.writeString(share.resolve("in/readme.txt"), "r");
        Files.writeString(share.resolve("in/sub/c.csv"), "c");
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.isDirectory(p)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }

    private static Map<String, Object> config(String password, int port) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("server", "127.0.0.1");
        c.put("port", port);
        c.put("share", TestSambaServer.SHARE);
        c.put("username", TestSambaServer.USER);
        c.put("password", password);
        return c;
    }

    @AfterEach
    void tearDown() {
        if (ctx != null) {
            ctx.close();
        }
    }

    /** Runs the transfer step registered for {@code type}, as the engine does: the context names the type. */
    private StepResult run(String type, Map<String, Object> inputs) throws Exception {
        ctx.stepType(type).inputs(inputs);
        return TransferSteps.forType(type).run(ctx);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> files(StepResult r) {
        return (List<Map<String, Object>>) r.output().get("files");
    }

    @Test
    void listFiltersRecursesAndAcceptsTheReferencePathForms() throws Exception {
        StepResult r = run("smb_list_files", Map.of("resource", "fs", "remote_dir", "in\\", "pattern", "*.csv"));
        assertEquals(StepResult.SUCCESS, r.status());
        assertEquals(2, r.output().get("count"));
        assertEquals(List.of("a.csv", "b.csv"), files(r).stream().map(m -> m.get("rel_path")).toList());
        assertEquals("\\\\127.0.0.1\\DATA\\in\\a.csv", files(r).get(0).get("path"));
        assertEquals(2L, files(r).get(0).get("size"));

        StepResult rec = run("smb_list_files", Map.of("resource", "fs", "remote_dir", "DATA:/in/",
                "pattern", "*.csv", "recursive", true));
        assertEquals(List.of("a.csv", "b.csv", "sub/c.csv"), files(rec).stream().map(m -> m.get("rel_path")).toList());
        StepResult unc = run("smb_list_files", Map.of("resource", "fs", "remote_dir", "\\\\127.0.0.1\\DATA\\in"));
        assertEquals(List.of("a.csv", "b.csv", "readme.txt", "sub"),
                files(unc).stream().map(m -> m.get("rel_path")).toList());
    }

    @Test
    void listBelowMinCountIsSkipped() throws Exception {
        StepResult r = run("smb_list_files", Map.of("resource", "fs", "remote_dir", "in", "pattern", "*.xml"));
        assertTrue(r.isSkipped());
        assertEquals(Map.of("has_data", false, "count", 0, "files", List.of(), "reason", "count(0) < min_count(1)"),
                r.asOutput());
    }

    @Test
    void listOfAMissingDirectoryFails() {
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("smb_list_files",
                Map.of("resource", "fs", "remote_dir", "nowhere")));
        assertEquals("smb_list_files: resource fs: list \\\\127.0.0.1\\DATA\\nowhere on root@127.0.0.1:"
                + server.port() + " failed: no such directory (check remote_dir)", e.getMessage());
    }

    @Test
    void downloadTakesTheListOutputAndSkipsEmptyLists() throws Exception {
        StepResult list = run("smb_list_files", Map.of("resource", "fs", "remote_dir", "in",
                "pattern", "*.csv", "recursive", true));
        StepResult r = run("smb_download_files", Map.of("resource", "fs", "files", files(list),
                "dest_dir", "inbox"));
        assertEquals(StepResult.SUCCESS, r.status());
        Path dest = artifacts.resolve("inbox");
        assertEquals(List.of(dest.resolve("a.csv").toString(), dest.resolve("b.csv").toString(),
                dest.resolve("sub/c.csv").toString()), r.output().get("local_files"));
        assertEquals("c", Files.readString(dest.resolve("sub/c.csv")));

        StepResult none = run("smb_download_files", Map.of("resource", "fs", "files", List.of(),
                "dest_dir", "inbox"));
        assertTrue(none.isSkipped());
        assertEquals("no files to download", none.reason());
    }

    @Test
    void downloadOfAMissingRemoteFileFailsClearly() {
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("smb_download_files",
                Map.of("resource", "fs", "files", List.of("DATA:/in/gone.csv"), "dest_dir", "inbox")));
        assertEquals("smb_download_files: resource fs: download \\\\127.0.0.1\\DATA\\in\\gone.csv on root@127.0.0.1:"
                + server.port() + " failed: no such file or directory", e.getMessage());
        assertFalse(Files.exists(artifacts.resolve("inbox/gone.csv")));
    }

    @Test
    void deleteRemovesListedFilesAndSkipsEmptyLists() throws Exception {
        StepResult list = run("smb_list_files", Map.of("resource", "fs", "remote_dir", "in", "pattern", "*.csv"));
        StepResult r = run("smb_delete_files", Map.of("resource", "fs", "files", files(list)));
        assertEquals(StepResult.SUCCESS, r.status());
        assertEquals(true, r.output().get("is_deleted"));
        assertFalse(Files.exists(share.resolve("in/a.csv")));
        assertFalse(Files.exists(share.resolve("in/b.csv")));
        assertTrue(Files.exists(share.resolve("in/readme.txt")));

        StepResult none = run("smb_delete_files", Map.of("resource", "fs", "files", List.of()));
        assertTrue(none.isSkipped());
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("smb_delete_files",
                Map.of("resource", "fs", "files", List.of("in/a.csv"))));
        assertTrue(e.getMessage().endsWith("failed: no such file or directory"), e.getMessage());
    }

    @Test
    void uploadFlattensLocalFilesAndReportsThemAsTheReferenceDoes() throws Exception {
        Files.createDirectories(artifacts.resolve("out/deep"));
        Files.writeString(artifacts.resolve("out/r1.csv"), "one");
        Files.writeString(artifacts.resolve("out/deep/r2.csv"), "two");
        StepResult r = run("smb_upload_files",
                Map.of("resource", "fs", "local_files", List.of("out/r1.csv", "out/deep/r2.csv"),
                        "remote_dir", "DATA:/outbox/2024\\"));
        assertEquals(StepResult.SUCCESS, r.status());
        assertEquals(List.of(artifacts.resolve("out/r1.csv").toString(),
                artifacts.resolve("out/deep/r2.csv").toString()),
                r.output().get("uploaded"));
        assertEquals("DATA:/outbox/2024", r.output().get("remote_dir"));
        assertEquals("one", Files.readString(share.resolve("outbox/2024/r1.csv")));
        assertEquals("two", Files.readString(share.resolve("outbox/2024/r2.csv")));

        StepResult none = run("smb_upload_files", Map.of("resource", "fs", "local_files", List.of(),
                "remote_dir", "outbox"));
        assertTrue(none.isSkipped());
        assertEquals(List.of(), none.output().get("uploaded"));
    }

    @Test
    void badCredentialsAreReportedWithoutThePassword() throws Exception {
        String wrong = "Wrong-Pass-99";
        ctx.secret(wrong);
        ctx.resource("bad", "smb", "smbclient", config(wrong, server.port()), Map.of("timeout", 5), SMB);
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("smb_list_files",
                Map.of("resource", "bad", "remote_dir", "in")));
        assertTrue(e.getMessage().startsWith("smb_list_files: resource bad: log in for list \\\\127.0.0.1\\DATA\\in on"
                + " root@127.0.0.1:" + server.port() + " failed: authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
    }

    @Test
    void connectionRefusedIsOneClearLine() throws Exception {
        int port = TestSambaServer.freePort();
        ctx.resource("down", "smb", "smbclient", config(TestSambaServer.PASSWORD, port), Map.of("timeout", 5), SMB);
        Files.writeString(artifacts.resolve("x.txt"), "x");
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("smb_upload_files",
                Map.of("resource", "down", "local_files", List.of("x.txt"), "remote_dir", "out")));
        assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port + " (connection refused"),
                e.getMessage());
    }
}
