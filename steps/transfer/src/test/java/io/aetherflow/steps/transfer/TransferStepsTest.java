package io.aetherflow.steps.transfer;

import io.aetherflow.api.support.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.connectors.sftp.SftpConnectorFactory;
import io.aetherflow.connectors.sftp.TestSshServer;
import io.aetherflow.testkit.FakeStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sftp_* steps through the real sftp:mina connector against a loopback MINA SSHD SFTP server. */
class TransferStepsTest {

    static final String PASSWORD = "Top-Secret-42";

    @TempDir
    Path tmp;
    Path remote;
    Path artifacts;
    TestSshServer server;
    FakeStepContext ctx;
    static final SftpConnectorFactory SFTP = new SftpConnectorFactory();

    @BeforeEach
    void start() throws Exception {
        remote = Files.createDirectories(tmp.resolve("remote"));
        artifacts = Files.createDirectories(tmp.resolve("job/artifacts"));
        server = TestSshServer.start(remote, "bob", PASSWORD, null);
        Path kh = server.writeKnownHosts(tmp.resolve("known_hosts"));
        ctx = FakeStepContext.at(artifacts.getParent());
        ctx.secret(PASSWORD);
        ctx.resource("sftp_main", "sftp", "paramiko", config(kh, PASSWORD), Map.of("timeout", 5), SFTP);
        Files.createDirectories(remote.resolve("in/sub"));
        Files.writeString(remote.resolve("in/b.csv"), "bbb");
        Files.writeString(remote.resolve("in/a.csv"), "aa");
        Files.writeString(remote.resolve("in/readme.txt"), "r");
        Files.writeString(remote.resolve("in/sub/c.csv"), "c");
    }

    private Map<String, Object> config(Path kh, String password) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("host", "127.0.0.1");
        c.put("port", server.port());
        c.put("user", "bob");
        c.put("password", password);
        c.put("known_hosts", kh.toString());
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        ctx.close();
        server.close();
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
    void listFiltersSortsAndRecurses() throws Exception {
        StepResult r = run("sftp_list_files", Map.of("resource", "sftp_main", "remote_dir", "/in/",
                "pattern", "*.csv"));
        assertEquals(StepResult.SUCCESS, r.status());
        assertEquals(true, r.output().get("has_data"));
        assertEquals(2, r.output().get("count"));
        assertEquals(List.of("a.csv", "b.csv"), files(r).stream().map(m -> m.get("rel_path")).toList());
        Map<String, Object> a = files(r).get(0);
        assertEquals("/in/a.csv", a.get("path"));
        assertEquals(2L, a.get("size"));
        assertEquals(false, a.get("is_dir"));

        StepResult rec = run("sftp_list_files", Map.of("resource", "sftp_main", "remote_dir", "/in",
                "pattern", "*.csv", "recursive", "true"));
        assertEquals(List.of("a.csv", "b.csv", "sub/c.csv"), files(rec).stream().map(m -> m.get("rel_path")).toList());

        StepResult all = run("sftp_list_files", Map.of("resource", "sftp_main", "remote_dir", "/in"));
        assertEquals(List.of("a.csv", "b.csv", "readme.txt", "sub"),
                files(all).stream().map(m -> m.get("rel_path")).toList(), "non-recursive lists directories too");
        assertEquals(1, server.sessionsOpened(), "the run's connector keeps one session");
    }

    @Test
    void listBelowMinCountIsSkippedWithTheReferenceReason() throws Exception {
        StepResult r = run("sftp_list_files", Map.of("resource", "sftp_main", "remote_dir", "/in",
                "pattern", "*.xml"));
        assertTrue(r.isSkipped());
        assertEquals("count(0) < min_count(1)", r.reason());
        assertEquals(Map.of("has_data", false, "count", 0, "files", List.of(), "reason", "count(0) < min_count(1)"),
                r.asOutput());
        StepResult two = run("sftp_list_files", Map.of("resource", "sftp_main", "remote_dir", "/in",
                "pattern", "*.csv", "min_count", 3));
        assertEquals("count(2) < min_count(3)", two.reason());
    }

    @Test
    void downloadTakesTheListOutput() throws Exception {
        StepResult list = run("sftp_list_files", Map.of("resource", "sftp_main", "remote_dir", "/in",
                "pattern", "*.csv", "recursive", true));
        StepResult r = run("sftp_download_files", Map.of("resource", "sftp_main", "files", files(list),
                "dest_dir", "inbox"));
        assertEquals(StepResult.SUCCESS, r.status());
        Path dest = artifacts.resolve("inbox");
        assertEquals(dest.toString(), r.output().get("dest_dir"));
        assertEquals(List.of(dest.resolve("a.csv").toString(), dest.resolve("b.csv").toString(),
                dest.resolve("sub/c.csv").toString()), r.output().get("local_files"));
        assertEquals("c", Files.readString(dest.resolve("sub/c.csv")));
        assertEquals("bbb", Files.readString(dest.resolve("b.csv")));
    }

    @Test
    void downloadRefusesEscapesAndSkipsEmptyLists() throws Exception {
        Map<String, Object> evil = Map.of("path", "/in/a.csv", "rel_path", "../../escape.csv");
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("sftp_download_files",
                Map.of("resource", "sftp_main", "files", List.of(evil), "dest_dir", "inbox")));
        assertEquals("sftp_download_files: dest path escapes dest_dir: ../../escape.csv", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("job/escape.csv")));

        StepResult none = run("sftp_download_files", Map.of("resource", "sftp_main", "files", List.of(),
                "dest_dir", "inbox"));
        assertTrue(none.isSkipped());
        assertEquals("no files to download", none.reason());
        assertEquals(List.of(), none.output().get("local_files"));
        assertEquals(0, server.sessionsOpened(), "nothing to do: no connection");
    }

    @Test
    void downloadOfAMissingRemoteFileFailsClearly() {
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("sftp_download_files",
                Map.of("resource", "sftp_main", "files", List.of("/in/gone.csv"), "dest_dir", "inbox")));
        assertEquals("sftp_download_files: SFTP download /in/gone.csv on bob@127.0.0.1:" + server.port()
                + " failed: no such file or directory (check the path)", e.getMessage());
        assertFalse(Files.exists(artifacts.resolve("inbox/gone.csv")));
    }

    @Test
    void deleteRemovesListedFilesAndSkipsEmptyLists() throws Exception {
        StepResult list = run("sftp_list_files", Map.of("resource", "sftp_main", "remote_dir", "/in",
                "pattern", "*.csv"));
        StepResult r = run("sftp_delete_files", Map.of("resource", "sftp_main", "files", files(list)));
        assertEquals(Map.of("is_deleted", true, "count", 2), r.output());
        assertFalse(Files.exists(remote.resolve("in/a.csv")));
        assertFalse(Files.exists(remote.resolve("in/b.csv")));
        assertTrue(Files.exists(remote.resolve("in/readme.txt")));

        StepResult none = run("sftp_delete_files", Map.of("resource", "sftp_main", "files", List.of()));
        assertTrue(none.isSkipped());
        assertEquals("no files to delete", none.reason());

        StepFailedException e = assertThrows(StepFailedException.class, () -> run("sftp_delete_files",
                Map.of("resource", "sftp_main", "files", List.of(Map.of("path", "/in/a.csv")))));
        assertTrue(e.getMessage().startsWith("sftp_delete_files: SFTP delete /in/a.csv on bob@127.0.0.1:"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("no such file or directory (check the path)"), e.getMessage());
    }

    @Test
    void uploadRunsInParallelWritesTheManifestAndSkipsKnownIds() throws Exception {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Files.writeString(artifacts.resolve("r" + i + ".csv"), "row-" + i);
            items.add("r" + i + ".csv");
        }
        Path abs = Files.writeString(tmp.resolve("abs.txt"), "absolute");
        items.add(Map.of("file", abs.toString(), "id", "the-abs", "remote_name", "renamed/abs.txt"));
        ctx.stepId("push");
        Map<String, Object> inputs = Map.of("resource", "sftp_main", "items", items, "remote_dir", "/out/daily/",
                "parallelism", Map.of("workers", 3));
        StepResult r = run("sftp_upload_files", inputs);
        assertEquals(StepResult.SUCCESS, r.status());
        Path manifest = artifacts.resolveSibling("manifests").resolve("push.manifest.json");
        assertEquals(manifest.toString(), r.output().get("manifest"));
        assertEquals(7, r.output().get("count"));
        assertEquals(7, r.output().get("uploaded"));
        assertEquals(0, r.output().get("skipped"));
        assertEquals("/out/daily", r.output().get("remote_dir"));
        for (int i = 0; i < 6; i++) {
            assertEquals("row-" + i, Files.readString(remote.resolve("out/daily/r" + i + ".csv")));
        }
        assertEquals("absolute", Files.readString(remote.resolve("out/daily/renamed/abs.txt")));
        String json = Files.readString(manifest);
        assertTrue(json.startsWith("[\n  {\n    \"id\": \"r0.csv\",\n    \"file\": \""), json);
        assertTrue(json.contains("\"remote_path\": \"/out/daily/renamed/abs.txt\""), json);
        assertEquals(7, Json.parse(json) instanceof List<?> l ? l.size() : -1);

        Files.delete(remote.resolve("out/daily/r0.csv"));
        StepResult again = run("sftp_upload_files", inputs);
        assertEquals(7, again.output().get("count"));
        assertEquals(0, again.output().get("uploaded"));
        assertEquals(7, again.output().get("skipped"));
        assertFalse(Files.exists(remote.resolve("out/daily/r0.csv")), "known ids are not uploaded again");
        assertTrue(Files.readString(manifest).contains("\"skipped\": true"));
    }

    @Test
    void failedUploadKeepsProgressInTheManifest() throws Exception {
        Files.createDirectories(remote.resolve("out"));
        Files.writeString(remote.resolve("out/blocker"), "a file where a directory is needed");
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Files.writeString(artifacts.resolve("u" + i + ".csv"), "u" + i);
            items.add("u" + i + ".csv");
        }
        Files.writeString(artifacts.resolve("bad.csv"), "bad");
        items.add(Map.of("file", "bad.csv", "remote_name", "blocker/bad.csv"));
        ctx.stepId("push");
        Map<String, Object> inputs = Map.of("resource", "sftp_main", "items", items, "remote_dir", "/out",
                "parallelism", Map.of("workers", 2, "fail_fast", false));
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("sftp_upload_files", inputs));
        assertTrue(e.getMessage().startsWith("sftp_upload_files: SFTP upload /out/blocker/bad.csv on bob@127.0.0.1:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("(4 of 5 uploaded; the manifest "), e.getMessage());
        Path manifest = artifacts.resolveSibling("manifests").resolve("push.manifest.json");
        List<?> recs = (List<?>) Json.parse(Files.readString(manifest));
        assertEquals(4, recs.size(), "completed uploads are recorded even though the step failed");

        Files.delete(remote.resolve("out/blocker"));
        StepResult resumed = run("sftp_upload_files", inputs);
        assertEquals(1, resumed.output().get("uploaded"), "a resume uploads only what is missing");
        assertEquals(4, resumed.output().get("skipped"));
        assertEquals("bad", Files.readString(remote.resolve("out/blocker/bad.csv")));
    }

    @Test
    void uploadChecksLocalFilesAndSkipsEmptyItems() throws Exception {
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("sftp_upload_files",
                Map.of("resource", "sftp_main", "items", List.of("nope.csv"), "remote_dir", "/out")));
        assertTrue(e.getMessage().startsWith("sftp_upload_files: local file not found: " + artifacts.resolve("nope.csv")),
                e.getMessage());
        StepResult none = run("sftp_upload_files", Map.of("resource", "sftp_main", "items", List.of(),
                "remote_dir", "/out"));
        assertTrue(none.isSkipped());
        assertEquals("no items to upload", none.reason());
        assertEquals(0, server.sessionsOpened());
    }

    @Test
    void badCredentialsAreReportedMasked() throws Exception {
        Path kh = server.writeKnownHosts(tmp.resolve("kh2"));
        ctx.resource("wrong", "sftp", "paramiko", config(kh, "Other-" + PASSWORD), Map.of(), SFTP);
        StepFailedException e = assertThrows(StepFailedException.class, () -> run("sftp_list_files",
                Map.of("resource", "wrong", "remote_dir", "/in")));
        assertEquals("sftp_list_files: SFTP authentication failed for bob@127.0.0.1:" + server.port()
                + " with password: check config.user and the credentials", e.getMessage());
    }

    @Test
    void disabledHostKeyCheckIsLoggedAsAWarningOnce() throws Exception {
        Map<String, Object> c = config(tmp.resolve("no-such-file"), PASSWORD);
        c.put("host_key_check", false);
        ctx.resource("lax", "sftp", "paramiko", c, Map.of(), SFTP);
        run("sftp_list_files", Map.of("resource", "lax", "remote_dir", "/in"));
        run("sftp_list_files", Map.of("resource", "lax", "remote_dir", "/in"));
        assertEquals(1, ctx.logs().size(), ctx.logs().toString());
        assertTrue(ctx.logs().get(0).startsWith("WARNING resource lax: host key checking is disabled"),
                ctx.logs().get(0));
        assertNull(ctx.resourceConfig("lax").config().get("known_hosts_file"));
    }
}
