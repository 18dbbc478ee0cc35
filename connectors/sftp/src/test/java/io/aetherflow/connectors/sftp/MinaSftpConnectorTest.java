package io.aetherflow.connectors.sftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sftp:mina connector against a real MINA SSHD server with the SFTP subsystem on loopback. */
class MinaSftpConnectorTest {

    static final String USER = "alice";
    static final String PASSWORD = "s3cret-Pa55";

    @TempDir
    Path tmp;
    Path root;
    Path knownHosts;
    KeyPair clientKey;
    TestSshServer server;
    final List<RemoteFiles> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("remote"));
        clientKey = TestSshServer.ecKey();
        server = TestSshServer.start(root, USER, PASSWORD, clientKey.getPublic());
        knownHosts = server.writeKnownHosts(tmp.resolve("known_hosts"));
    }

    @AfterEach
    void stop() throws Exception {
        open.forEach(RemoteFiles::close);
        server.close();
    }

    private RemoteFiles connector(Map<String, Object> config, Map<String, Object> options) {
        RemoteFiles f = (RemoteFiles) new SftpConnectorFactory()
                .create(new ConnectorConfig("files", "sftp", "paramiko", config, options));
        open.add(f);
        return f;
    }

    private Map<String, Object> passwordConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("host", "127.0.0.1");
        c.put("port", server.port());
        c.put("user", USER);
        c.put("password", PASSWORD);
        c.put("known_hosts", knownHosts.toString());
        return c;
    }

    @Test
    void everyOperationWorksOverOneReusedSession() throws Exception {
        RemoteFiles f = connector(passwordConfig(), Map.of());
        f.writeBytes("/in/sub/deep.csv", "a,b\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("a,b\n", Files.readString(root.resolve("in/sub/deep.csv")), "write_bytes creates parents");
        Files.writeString(root.resolve("in/b.csv"), "bee");
        Files.writeString(root.resolve("in/a.csv"), "ay");
        Files.writeString(root.resolve("in/notes.txt"), "n");

        List<RemoteFile> top = f.list("/in/");
        assertEquals(List.of("a.csv", "b.csv", "notes.txt", "sub"), top.stream().map(RemoteFile::relPath).toList());
        RemoteFile a = top.get(0);
        assertEquals("/in/a.csv", a.path());
        assertEquals(2L, a.size());
        assertFalse(a.isDir());
        assertTrue(a.mtime() > 1_600_000_000L, "mtime in epoch seconds");
        RemoteFile sub = top.get(3);
        assertTrue(sub.isDir());
        assertNull(sub.size(), "directories have no size");

        List<RemoteFile> csv = f.list("/in", "*.csv", true);
        assertEquals(List.of("a.csv", "b.csv", "sub/deep.csv"), csv.stream().map(RemoteFile::relPath).toList());
        assertEquals("/in/sub/deep.csv", csv.get(2).path());
        assertEquals(List.of("notes.txt"), f.list("/in", "[!abs]*", false).stream().map(RemoteFile::name).toList());

        assertTrue(f.exists("/in/a.csv"));
        assertFalse(f.exists("/in/missing.csv"));
        assertEquals(3L, f.stat("/in/b.csv").orElseThrow().size());

        Path local = tmp.resolve("a-local.csv");
        f.download("/in/a.csv", local);
        assertEquals("ay", Files.readString(local));
        assertFalse(Files.exists(tmp.resolve("a-local.csv.part")), "no partial file left behind");
        assertArrayEquals("bee".getBytes(StandardCharsets.UTF_8), f.readBytes("/in/b.csv"));

        f.upload(local, "/out/x/y/a.csv");
        assertEquals("ay", Files.readString(root.resolve("out/x/y/a.csv")), "upload creates remote parents");

        f.delete("/in/a.csv");
        assertFalse(Files.exists(root.resolve("in/a.csv")));
        f.mkdir("/empty");
        assertTrue(Files.isDirectory(root.resolve("empty")));
        f.delete("/empty");
        assertFalse(Files.exists(root.resolve("empty")), "delete removes an empty directory");
        f.mkdirs("/m/n/o");
        f.mkdirs("/m/n/o");
        assertTrue(Files.isDirectory(root.resolve("m/n/o")), "mkdirs is idempotent");
        f.deleteRecursive("/in");
        assertFalse(Files.exists(root.resolve("in")));
        f.deleteRecursive("/in");

        assertEquals(1, server.sessionsOpened(), "one SSH session for all operations");
        assertEquals(List.of(), f.takeNotices(), "host keys were checked: nothing to warn about");
    }

    @Test
    void encryptedPrivateKeyLogsIn() throws Exception {
        Path key = TestSshServer.writeOpenSshKey(clientKey, tmp.resolve("id_ecdsa"), "key-phrase");
        Map<String, Object> c = passwordConfig();
        c.remove("password");
        c.put("pkey_path", key.toString());
        c.put("passphrase", "key-phrase");
        RemoteFiles f = connector(c, Map.of());
        f.writeBytes("/k.txt", new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(root.resolve("k.txt")));
    }

    @Test
    void pkcs8KeyLogsIn() throws Exception {
        KeyPair rsa = TestSshServer.rsaKey();
        server.authorize(rsa.getPublic());
        Path key = TestSshServer.writePkcs8Key(rsa, tmp.resolve("id.pem"));
        Map<String, Object> c = passwordConfig();
        c.remove("password");
        c.put("pkey_path", key.toString());
        RemoteFiles f = connector(c, Map.of());
        assertTrue(f.list("/").isEmpty());
    }

    @Test
    void wrongPassphraseIsAClearError() throws Exception {
        Path key = TestSshServer.writeOpenSshKey(clientKey, tmp.resolve("id_ecdsa"), "key-phrase");
        Map<String, Object> c = passwordConfig();
        c.remove("password");
        c.put("pkey_path", key.toString());
        c.put("passphrase", "not-the-phrase");
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector(c, Map.of()).list("/"));
        assertTrue(e.getMessage().contains("cannot read private key " + key), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-phrase"), e.getMessage());
    }

    @Test
    void badPasswordFailsWithoutShowingIt() {
        Map<String, Object> c = passwordConfig();
        c.put("password", "Wr0ng-Secret-Value");
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector(c, Map.of()).list("/"));
        assertTrue(e.getMessage().startsWith("SFTP authentication failed for alice@127.0.0.1:" + server.port()
                + " with password"), e.getMessage());
        assertFalse(e.getMessage().contains("Wr0ng-Secret-Value"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void connectionRefused() throws Exception {
        Map<String, Object> c = passwordConfig();
        int port = TestSshServer.closedPort();
        c.put("port", port);
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector(c, Map.of()).list("/"));
        assertEquals("SFTP connect to 127.0.0.1:" + port + " failed: connection refused (check config.host and"
                + " config.port, and that the SSH server runs)", e.getMessage());
    }

    @Test
    void silentServerTimesOut() throws Exception {
        try (TestSshServer.SilentServer silent = new TestSshServer.SilentServer()) {
            Map<String, Object> c = passwordConfig();
            c.put("port", silent.port());
            long t0 = System.nanoTime();
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> connector(c, Map.of("timeout", 1)).list("/"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertTrue(ms < 20_000, "gave up after the timeout, not much later: " + ms + " ms");
        }
    }

    @Test
    void missingRemoteFileNamesPathAndHost() {
        RemoteFiles f = connector(passwordConfig(), Map.of());
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> f.download("/nope/missing.csv", tmp.resolve("x.csv")));
        assertEquals("SFTP download /nope/missing.csv on alice@127.0.0.1:" + server.port()
                + " failed: no such file or directory (check the path)", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x.csv")));
        ConnectorException d = assertThrows(ConnectorException.class, () -> f.delete("/nope.txt"));
        assertTrue(d.getMessage().contains("no such file"), d.getMessage());
        ConnectorException l = assertThrows(ConnectorException.class, () -> f.list("/no-dir"));
        assertTrue(l.getMessage().startsWith("SFTP list /no-dir on "), l.getMessage());
        // the session survives failed operations
        f.writeBytes("/ok.txt", new byte[] {7});
        assertEquals(1, server.sessionsOpened());
    }

    @Test
    void unknownHostKeyIsRefused() throws Exception {
        Files.writeString(knownHosts, "# nothing for this server\n");
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector(passwordConfig(), Map.of()).list("/"));
        assertTrue(e.getMessage().contains("is not in known_hosts " + knownHosts), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-keyscan -p " + server.port() + " 127.0.0.1"), e.getMessage());
        assertEquals("# nothing for this server\n", Files.readString(knownHosts), "known_hosts is never written");
    }

    @Test
    void missingKnownHostsFileRefusesToo() {
        Map<String, Object> c = passwordConfig();
        c.put("known_hosts", tmp.resolve("absent_known_hosts").toString());
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector(c, Map.of()).list("/"));
        assertTrue(e.getMessage().contains("(the file does not exist)"), e.getMessage());
    }

    @Test
    void changedHostKeyIsRefused() throws Exception {
        Files.writeString(knownHosts, TestSshServer.knownHostsLine(server.port(), TestSshServer.ecKey().getPublic())
                + "\n");
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector(passwordConfig(), Map.of()).list("/"));
        assertTrue(e.getMessage().contains("differs from the key recorded in known_hosts"), e.getMessage());
    }

    @Test
    void hostKeyCheckOffIsExplicitAndNoticedOnce() {
        Map<String, Object> c = passwordConfig();
        c.put("known_hosts", tmp.resolve("absent").toString());
        c.put("host_key_check", "false");
        RemoteFiles f = connector(c, Map.of());
        assertTrue(f.list("/").isEmpty());
        List<String> notices = f.takeNotices();
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("host key checking is disabled"), notices.get(0));
        assertEquals(List.of(), f.takeNotices(), "each notice is returned once");
    }

    @Test
    void parallelUploadsShareTheSession() throws Exception {
        RemoteFiles f = connector(passwordConfig(), Map.of());
        List<Path> locals = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path p = tmp.resolve("f" + i + ".bin");
            Files.write(p, ("payload-" + i).repeat(1000).getBytes(StandardCharsets.UTF_8));
            locals.add(p);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Path p : locals) {
                fs.add(pool.submit(() -> f.upload(p, "/up/par/" + p.getFileName())));
            }
            for (Future<?> x : fs) {
                x.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (Path p : locals) {
            assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(root.resolve("up/par/" + p.getFileName())));
        }
        assertEquals(1, server.sessionsOpened());
    }

    @Test
    void closedConnectorRefusesAndServerSessionIsReopenedAfterServerSideClose() throws Exception {
        RemoteFiles f = connector(passwordConfig(), Map.of());
        f.writeBytes("/a", new byte[] {1});
        f.close();
        ConnectorException e = assertThrows(ConnectorException.class, () -> f.list("/"));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    @Test
    void configurationIsCheckedAndSecretsStayOutOfToString() {
        ConnectorException noHost = assertThrows(ConnectorException.class,
                () -> connector(Map.of("user", "u", "password", "p"), Map.of()));
        assertEquals("resource files: config.host is required (the SFTP server's host name)", noHost.getMessage());
        ConnectorException badPort = assertThrows(ConnectorException.class,
                () -> connector(Map.of("host", "h", "user", "u", "port", "ssh"), Map.of()));
        assertEquals("resource files: config.port must be an integer", badPort.getMessage());
        ConnectorException portRange = assertThrows(ConnectorException.class,
                () -> connector(Map.of("host", "h", "user", "u", "port", 70000), Map.of()));
        assertEquals("resource files: config.port must be a TCP port between 1 and 65535", portRange.getMessage());
        ConnectorException badCheck = assertThrows(ConnectorException.class,
                () -> connector(Map.of("host", "h", "user", "u"), Map.of("host_key_check", "maybe")));
        assertEquals("resource files: host_key_check must be true or false", badCheck.getMessage());
        ConnectorException badTimeout = assertThrows(ConnectorException.class,
                () -> connector(Map.of("host", "h", "user", "u"), Map.of("timeout", "0")));
        assertEquals("resource files: options.timeout must be a positive number of seconds", badTimeout.getMessage());
        SftpSettings s = SftpSettings.from(new ConnectorConfig("r", "sftp", "mina", passwordConfig(), Map.of()));
        assertFalse(s.toString().contains(PASSWORD), s.toString());
        ConnectorException noCred = assertThrows(ConnectorException.class,
                () -> connector(Map.of("host", "127.0.0.1", "port", server.port(), "user", USER, "known_hosts",
                        knownHosts.toString()), Map.of()).list("/"));
        assertTrue(noCred.getMessage().contains("set config.password or config.pkey_path"), noCred.getMessage());
    }
}
