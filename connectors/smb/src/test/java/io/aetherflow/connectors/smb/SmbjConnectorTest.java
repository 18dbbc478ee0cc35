package io.aetherflow.connectors.smb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smb:smbj connector against a real Samba server on loopback, plus path parsing. */
class SmbjConnectorTest {

    @TempDir
    static Path tmp;
    static TestSambaServer server;

    static final String UNAVAILABLE = TestSambaServer.unavailableReason();

    // availability is checked per test, not in @BeforeAll: a class-level abort reports tests="0" and the
    // skipped tests would vanish from the totals instead of being counted as skipped
    @BeforeAll
    static void start() throws Exception {
        if (UNAVAILABLE == null) {
            server = new TestSambaServer(tmp.resolve("samba"));
        }
    }

    /** Tests that talk to the server call this first; path and config tests run without Samba. */
    static void requireSamba() {
        Assumptions.assumeTrue(UNAVAILABLE == null, () -> "skipped: " + UNAVAILABLE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static RemoteFiles connector(Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>(Map.of("server", "127.0.0.1", "port", server == null ? 445 : server.port(), "share",
                TestSambaServer.SHARE, "username", TestSambaServer.USER, "password", TestSambaServer.PASSWORD));
        c.putAll(overrides);
        return (RemoteFiles) new SmbConnectorFactory().create(new ConnectorConfig("fs", "smb", "smbj", c,
                Map.of("timeout", 10)));
    }

    @Test
    void pathForms() {
        assertEquals(new SmbPath("DATA", "dir\\file.txt"), SmbPath.parse("dir/file.txt", "DATA", "r"));
        assertEquals(new SmbPath("BUNDLES", "aetherflow\\bundles\\prod.zip"),
                SmbPath.parse("BUNDLES:/aetherflow/bundles/prod.zip", "DATA", "r"));
        assertEquals(new SmbPath("X_1", "a\\b"), SmbPath.parse("X_1:\\a\\b", null, "r"));
        assertEquals(new SmbPath("Other", "d\\f"), SmbPath.parse("\\\\fileserver\\Other\\d\\f", "DATA", "r"));
        assertEquals(new SmbPath("Other", ""), SmbPath.parse("//fileserver/Other", null, "r"));
        assertEquals(new SmbPath("DATA", "in\\x.csv"), SmbPath.parse("C:\\in\\x.csv", "DATA", "r"));
        assertEquals(new SmbPath("DATA", "in"), SmbPath.parse("D:/in/", "DATA", "r"));
        assertEquals(new SmbPath("DATA", ""), SmbPath.parse("/", "DATA", "r"));
        assertEquals("\\\\fileserver\\DATA\\dir\\file.txt",
                SmbPath.parse("dir/file.txt", "DATA", "r").unc("fileserver"));
        ConnectorException e = assertThrows(ConnectorException.class, () -> SmbPath.parse("dir/f", null, "r"));
        assertTrue(e.getMessage().contains("requires a share"), e.getMessage());
    }

    @Test
    void roundTripListStatDeleteAndPathForms() throws Exception {
        requireSamba();
        try (RemoteFiles fs = connector(Map.of())) {
            fs.writeBytes("rt/in/a.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
            fs.writeBytes("DATA:/rt/in/b.txt", "bee".getBytes(StandardCharsets.UTF_8));
            fs.writeBytes("\\\\127.0.0.1\\DATA\\rt\\in\\sub\\c.csv", "c".getBytes(StandardCharsets.UTF_8));
            assertEquals("a,b\n1,2\n", Files.readString(server.shareDir().resolve("rt/in/a.csv")));
            assertArrayEquals("bee".getBytes(StandardCharsets.UTF_8), fs.readBytes("C:\\rt\\in\\b.txt"));

            List<RemoteFile> flat = fs.list("rt/in", "*", false);
            assertEquals(List.of("a.csv", "b.txt", "sub"), flat.stream().map(RemoteFile::relPath).toList());
            assertTrue(flat.get(2).isDir());
            assertEquals(8L, flat.get(0).size());
            assertEquals("\\\\127.0.0.1\\DATA\\rt\\in\\a.csv", flat.get(0).path());
            List<RemoteFile> csv = fs.list("DATA:/rt/in", "*.csv", true);
            assertEquals(List.of("a.csv", "sub/c.csv"), csv.stream().map(RemoteFile::relPath).toList());

            Path local = Files.createDirectories(tmp.resolve("dl")).resolve("c.csv");
            fs.download(csv.get(1).path(), local);
            assertEquals("c", Files.readString(local));
            assertFalse(Files.exists(tmp.resolve("dl/c.csv.part")));

            Path up = Files.writeString(tmp.resolve("up.txt"), "uploaded");
            fs.upload(up, "rt/out/deep/up.txt");
            assertEquals("uploaded", Files.readString(server.shareDir().resolve("rt/out/deep/up.txt")));
            assertTrue(fs.exists("rt/out/deep"));
            assertTrue(fs.stat("rt/out/deep").orElseThrow().isDir());
            assertEquals(8L, fs.stat("rt/out/deep/up.txt").orElseThrow().size());
            assertTrue(fs.stat("rt/nothing").isEmpty());

            fs.delete(csv.get(0).path());
            assertFalse(Files.exists(server.shareDir().resolve("rt/in/a.csv")));
            fs.mkdir("rt/empty");
            fs.delete("rt/empty");
            assertFalse(Files.exists(server.shareDir().resolve("rt/empty")));
            fs.mkdirs("rt/x/y/z");
            fs.mkdirs("rt/x/y/z");
            fs.deleteRecursive("rt/x");
            fs.deleteRecursive("rt/x");
            assertFalse(Files.exists(server.shareDir().resolve("rt/x")));
        }
    }

    @Test
    void missingRemoteFileIsAClearError() throws Exception {
        requireSamba();
        try (RemoteFiles fs = connector(Map.of())) {
            Path local = Files.createDirectories(tmp.resolve("miss")).resolve("x");
            ConnectorException e = assertThrows(ConnectorException.class, () -> fs.download("nope/x.csv", local));
            assertTrue(e.getMessage().contains("download \\\\127.0.0.1\\DATA\\nope\\x.csv"), e.getMessage());
            assertTrue(e.getMessage().contains("no such file or directory"), e.getMessage());
            assertFalse(Files.exists(local));
            e = assertThrows(ConnectorException.class, () -> fs.delete("nope.txt"));
            assertTrue(e.getMessage().contains("no such file or directory"), e.getMessage());
            e = assertThrows(ConnectorException.class, () -> fs.list("nope", "*", false));
            assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
            e = assertThrows(ConnectorException.class, () -> fs.list("NOSHARE:/", "*", false));
            assertTrue(e.getMessage().contains("no such share"), e.getMessage());
        }
    }

    @Test
    void badCredentialsFailWithoutThePassword() throws Exception {
        requireSamba();
        String wrong = "wrong-Secret-77";
        try (RemoteFiles fs = connector(Map.of("password", wrong))) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> fs.list("/", "*", false));
            assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
            assertTrue(e.getMessage().contains("root@127.0.0.1:" + server.port()), e.getMessage());
            assertFalse(e.getMessage().contains(wrong), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void connectionRefused() throws Exception {
        int port = TestSambaServer.freePort();
        try (RemoteFiles fs = connector(Map.of("port", port))) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> fs.readBytes("a.txt"));
            assertTrue(e.getMessage().contains("cannot connect to 127.0.0.1:" + port), e.getMessage());
            assertFalse(e.getMessage().contains(TestSambaServer.PASSWORD), e.getMessage());
        }
    }

    @Test
    void configErrorsNameTheKey() {
        ConnectorException e = assertThrows(ConnectorException.class, () -> new SmbConnectorFactory().create(
                new ConnectorConfig("fs", "smb", "smbclient", Map.of("share", "D"), Map.of())));
        assertTrue(e.getMessage().contains("config.server"), e.getMessage());
        e = assertThrows(ConnectorException.class, () -> new SmbConnectorFactory().create(
                new ConnectorConfig("fs", "smb", "pysmb", Map.of("server", "h", "port", "x"), Map.of())));
        assertTrue(e.getMessage().contains("config.port must be an integer"), e.getMessage());
    }
}
