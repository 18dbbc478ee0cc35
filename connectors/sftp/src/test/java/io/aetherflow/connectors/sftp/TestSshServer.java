package io.aetherflow.connectors.sftp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server with the SFTP subsystem on loopback for tests: a generated host key, password
 * and public-key authentication, files served from a local directory. Public so that other
 * modules' tests (steps/transfer, dist-tests) can start one too.
 */
public final class TestSshServer implements AutoCloseable {

    private final SshServer server;
    private final KeyPair hostKey;
    private final AtomicInteger sessions = new AtomicInteger();
    private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();

    private TestSshServer(SshServer server, KeyPair hostKey) {
        this.server = server;
        this.hostKey = hostKey;
    }

    /**
     * Starts a server on 127.0.0.1 with an ephemeral port.
     *
     * @param root the directory served as {@code /}
     * @param user the only user
     * @param password its password
     * @param authorizedKey a public key that may log in as {@code user}, or null
     * @return the running server
     * @throws IOException when it cannot start
     */
    public static TestSshServer start(Path root, String user, String password, PublicKey authorizedKey)
            throws IOException {
        KeyPair hostKey = ecKey();
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator((u, p, s) -> user.equals(u) && password.equals(p));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root.toAbsolutePath()));
        TestSshServer t = new TestSshServer(sshd, hostKey);
        if (authorizedKey != null) {
            t.authorized.add(authorizedKey);
        }
        sshd.setPublickeyAuthenticator((u, k, s) -> user.equals(u)
                && t.authorized.stream().anyMatch(a -> KeyUtils.compareKeys(k, a)));
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                t.sessions.incrementAndGet();
            }
        });
        sshd.start();
        return t;
    }

    /** @return the listening port */
    public int port() {
        return server.getPort();
    }

    /**
     * Lets one more public key log in.
     *
     * @param key the key
     */
    public void authorize(PublicKey key) {
        authorized.add(key);
    }

    /** @return a new RSA 2048 key pair */
    public static KeyPair rsaKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return how many SSH sessions clients opened so far */
    public int sessionsOpened() {
        return sessions.get();
    }

    /** @return the server's host public key */
    public PublicKey hostKey() {
        return hostKey.getPublic();
    }

    /** @return the known_hosts line for this server ({@code [127.0.0.1]:port <type> <base64>}) */
    public String knownHostsLine() {
        return knownHostsLine(port(), hostKey.getPublic());
    }

    /**
     * @param port a port
     * @param key a public key
     * @return a known_hosts line for 127.0.0.1 at that port with that key
     */
    public static String knownHostsLine(int port, PublicKey key) {
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key);
    }

    /**
     * Writes a known_hosts file holding this server's key.
     *
     * @param file the file to write
     * @return the file
     * @throws IOException on write failure
     */
    public Path writeKnownHosts(Path file) throws IOException {
        Files.writeString(file, "# test known_hosts\n" + knownHostsLine() + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** @return a new EC P-256 key pair */
    public static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a private key file in the OpenSSH format, encrypted when a passphrase is given.
     *
     * @param kp the key pair
     * @param file the target file
     * @param passphrase the passphrase, or null for none
     * @return the file
     * @throws IOException on failure
     */
    public static Path writeOpenSshKey(KeyPair kp, Path file, String passphrase) throws IOException {
        OpenSSHKeyEncryptionContext enc = null;
        if (passphrase != null) {
            enc = new OpenSSHKeyEncryptionContext();
            enc.setPassword(passphrase);
            enc.setCipherName("AES");
            enc.setCipherMode("CTR");
            enc.setCipherType("256");
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "test", enc, out);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        return file;
    }

    /**
     * Writes an unencrypted PKCS#8 PEM private key file.
     *
     * @param kp the key pair
     * @param file the target file
     * @return the file
     * @throws IOException on failure
     */
    public static Path writePkcs8Key(KeyPair kp, Path file) throws IOException {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(kp.getPrivate().getEncoded());
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
        return file;
    }

    /** Stops the server. */
    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /**
     * A TCP server on loopback that accepts connections and never says anything (an SSH client
     * waiting for the server's banner times out).
     */
    public static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new ArrayList<>();
        private final Thread acceptor;

        /** @throws IOException when the port cannot be opened */
        public SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** @return the listening port */
        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    /**
     * @return a loopback port nothing listens on (bound, then released)
     * @throws IOException when no port can be bound
     */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
