package io.aetherflow.connectors.sftp;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.Glob;
import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import io.aetherflow.api.support.ConfiguredConnector;
import io.aetherflow.api.support.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * {@link RemoteFiles} over one SSH session (Apache MINA SSHD), opened on first use and reused until
 * {@link #close()} (with the default cache policy: the run). Each operation borrows an SFTP channel
 * from a small pool, so parallel uploads use parallel channels over the same session; a session the
 * server closed (or that stayed idle beyond the timeout) is reopened transparently.
 */
final class MinaSftpConnector extends ConfiguredConnector<SftpSettings> implements RemoteFiles {

    private final Object lock = new Object();
    private final Deque<SftpClient> idle = new ArrayDeque<>();
    private final List<String> notices = new ArrayList<>();
    private SshClient client;
    private KnownHostsCheck hostKeys;
    private ClientSession session;
    private boolean closed;

    MinaSftpConnector(ConnectorConfig config, SftpSettings settings) {
        super(config, settings);
        if (!settings.hostKeyCheck()) {
            notices.add("resource " + settings.resource() + ": host key checking is disabled (host_key_check: false):"
                    + " the server at " + settings.host() + ":" + settings.port() + " is not authenticated; record its"
                    + " key in a known_hosts file instead");
        }
    }

    @Override
    public List<String> takeNotices() {
        synchronized (lock) {
            List<String> out = List.copyOf(notices);
            notices.clear();
            return out;
        }
    }

    // ---------------------------------------------------------------- operations

    @Override
    public List<RemoteFile> list(String dir, String pattern, boolean recursive) {
        String base = stripTrailingSlashes(dir);
        Glob glob = Glob.of(pattern);
        return call("list", base, c -> {
            List<RemoteFile> out = new ArrayList<>();
            walk(c, base, "", glob, recursive, out);
            out.sort(Comparator.comparing(RemoteFile::relPath));
            return out;
        });
    }

    private void walk(SftpClient c, String dir, String relPrefix, Glob glob, boolean recursive, List<RemoteFile> out)
            throws IOException {
        for (SftpClient.DirEntry e : c.readDir(dir)) {
            String name = e.getFilename();
            if (name.equals(".") || name.equals("..")) {
                continue;
            }
            SftpClient.Attributes a = e.getAttributes();
            String full = join(dir, name);
            if (recursive && a.isDirectory()) {
                walk(c, full, relPrefix + name + "/", glob, true, out);
            } else if (glob.matches(name)) {
                out.add(meta(relPrefix + name, full, name, a));
            }
        }
    }

    @Override
    public Optional<RemoteFile> stat(String path) {
        return call("stat", path, c -> stat(c, path));
    }

    private static Optional<RemoteFile> stat(SftpClient c, String path) throws IOException {
        try {
            SftpClient.Attributes a = c.stat(path);
            String name = RemoteFile.lastSegment(path);
            return Optional.of(meta(name, path, name, a));
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void download(String remotePath, Path local) {
        call("download", remotePath, c -> {
            requireFile(c, remotePath);
            Path part = local.resolveSibling(local.getFileName() + ".part");
            try (InputStream in = c.read(remotePath)) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                FileTrees.moveOver(part, local);
            } catch (IOException e) {
                Files.deleteIfExists(part);
                throw e;
            }
            return null;
        });
    }

    @Override
    public void upload(Path local, String remotePath) {
        if (!Files.isRegularFile(local)) {
            throw new ConnectorException("SFTP upload to " + remotePath + " on " + settings.target() + ": local file " + local
                    + " does not exist or is not a regular file");
        }
        call("upload", remotePath, c -> {
            mkdirs(c, parentOf(remotePath));
            try (OutputStream out = c.write(remotePath)) {
                Files.copy(local, out);
            }
            return null;
        });
    }

    @Override
    public byte[] readBytes(String remotePath) {
        return call("read", remotePath, c -> {
            requireFile(c, remotePath);
            try (InputStream in = c.read(remotePath)) {
                return in.readAllBytes();
            }
        });
    }

    @Override
    public void writeBytes(String remotePath, byte[] data) {
        call("write", remotePath, c -> {
            mkdirs(c, parentOf(remotePath));
            try (OutputStream out = c.write(remotePath)) {
                out.write(data);
            }
            return null;
        });
    }

    @Override
    public void delete(String remotePath) {
        call("delete", remotePath, c -> {
            Optional<RemoteFile> st = stat(c, remotePath);
            if (st.isEmpty()) {
                throw new SftpException(SftpConstants.SSH_FX_NO_SUCH_FILE, "No such file");
            }
            if (st.get().isDir()) {
                c.rmdir(remotePath);
            } else {
                c.remove(remotePath);
            }
            return null;
        });
    }

    @Override
    public void mkdir(String remotePath) {
        call("mkdir", remotePath, c -> {
            c.mkdir(remotePath);
            return null;
        });
    }

    @Override
    public void mkdirs(String remotePath) {
        call("mkdirs", remotePath, c -> {
            mkdirs(c, remotePath);
            return null;
        });
    }

    private void mkdirs(SftpClient c, String dir) throws IOException {
        String d = stripTrailingSlashes(dir);
        if (d.isEmpty() || d.equals("/") || d.equals(".")) {
            return;
        }
        Optional<RemoteFile> st = stat(c, d);
        if (st.isPresent()) {
            if (!st.get().isDir()) {
                throw new SftpException(SftpConstants.SSH_FX_FILE_ALREADY_EXISTS, d + " exists and is not a directory");
            }
            return;
        }
        mkdirs(c, parentOf(d));
        try {
            c.mkdir(d);
        } catch (SftpException e) {
            // another thread (parallel uploads) or process may have created it meanwhile
            Optional<RemoteFile> again = stat(c, d);
            if (again.isEmpty() || !again.get().isDir()) {
                throw e;
            }
        }
    }

    @Override
    public void deleteRecursive(String remotePath) {
        call("delete_recursive", remotePath, c -> {
            deleteTree(c, stripTrailingSlashes(remotePath));
            return null;
        });
    }

    private void deleteTree(SftpClient c, String path) throws IOException {
        Optional<RemoteFile> st = stat(c, path);
        if (st.isEmpty()) {
            return;
        }
        if (st.get().isDir()) {
            List<String> children = new ArrayList<>();
            for (SftpClient.DirEntry e : c.readDir(path)) {
                if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
                    children.add(join(path, e.getFilename()));
                }
            }
            for (String child : children) {
                deleteTree(c, child);
            }
            c.rmdir(path);
        } else {
            c.remove(path);
        }
    }

    private static void requireFile(SftpClient c, String path) throws IOException {
        Optional<RemoteFile> st = stat(c, path);
        if (st.isEmpty()) {
            throw new SftpException(SftpConstants.SSH_FX_NO_SUCH_FILE, "No such file");
        }
        if (st.get().isDir()) {
            throw new SftpException(SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY, "is a directory");
        }
    }

    // ---------------------------------------------------------------- session and channel handling

    @FunctionalInterface
    private interface SftpCall<T> {
        T apply(SftpClient c) throws IOException;
    }

    private <T> T call(String op, String path, SftpCall<T> body) {
        SftpClient c = borrow();
        boolean reusable = false;
        try {
            T r = body.apply(c);
            reusable = true;
            return r;
        } catch (IOException e) {
            reusable = e instanceof SftpException;
            throw failure(op, path, e);
        } catch (UncheckedIOException e) {
            // directory listings report remote errors through their iterator
            reusable = e.getCause() instanceof SftpException;
            throw failure(op, path, e.getCause());
        } finally {
            giveBack(c, reusable);
        }
    }

    private ConnectorException failure(String op, String path, IOException e) {
        String where = "SFTP " + op + " " + path + " on " + settings.target();
        if (e instanceof SftpException se) {
            return new ConnectorException(where + " failed: " + SftpErrors.status(se), e);
        }
        if (e instanceof InterruptedIOException) {
            return new ConnectorException(where + " timed out or was interrupted (options.timeout is "
                    + SftpErrors.seconds(settings.timeout().toMillis()) + " s)", e);
        }
        return new ConnectorException(where + " failed: " + SftpErrors.brief(e) + timeoutHint(e), e);
    }

    private SftpClient borrow() {
        ClientSession sess;
        synchronized (lock) {
            if (closed) {
                throw new ConnectorException("SFTP connector for resource " + settings.resource() + " is closed");
            }
            sess = ensureSession();
            while (!idle.isEmpty()) {
                SftpClient c = idle.poll();
                if (c.isOpen()) {
                    return c;
                }
                closeQuietly(c);
            }
        }
        try {
            return SftpClientFactory.instance().createSftpClient(sess);
        } catch (IOException e) {
            throw new ConnectorException("SFTP channel to " + settings.target() + " could not be opened: "
                    + SftpErrors.brief(e)
                    + timeoutHint(e) + " (is the sftp subsystem enabled on the server?)", e);
        }
    }

    private void giveBack(SftpClient c, boolean reusable) {
        synchronized (lock) {
            if (reusable && !closed && c.isOpen() && session != null && session.isOpen()) {
                idle.push(c);
                return;
            }
        }
        closeQuietly(c);
    }

    /** Caller holds {@link #lock}. */
    private ClientSession ensureSession() {
        if (session != null && session.isOpen()) {
            return session;
        }
        dropSession();
        if (client == null) {
            client = SshClient.setUpDefaultClient();
            if (settings.hostKeyCheck()) {
                hostKeys = new KnownHostsCheck(settings.knownHosts());
                client.setServerKeyVerifier(hostKeys);
            } else {
                client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            }
            CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
            CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.timeout());
            CoreModuleProperties.CHANNEL_OPEN_TIMEOUT.set(client, settings.timeout());
            // SFTP responses are awaited up to the idle timeout; a session idle for longer is closed
            // by the client and reopened on next use
            CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.timeout());
            SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, settings.timeout());
            client.start();
        }
        List<KeyPair> keys = loadKeys();
        ClientSession sess;
        try {
            ConnectFuture f = client.connect(settings.user(), settings.host(), settings.port());
            f.verify(settings.connectTimeout());
            sess = f.getSession();
        } catch (IOException | RuntimeException e) {
            throw new ConnectorException("SFTP connect to " + settings.host() + ":" + settings.port() + " failed: "
                    + SftpErrors.connectReason(e),
                    e);
        }
        long authStart = System.nanoTime();
        try {
            for (KeyPair kp : keys) {
                sess.addPublicKeyIdentity(kp);
            }
            if (settings.password() != null) {
                sess.addPasswordIdentity(settings.password());
            }
            sess.auth().verify(settings.timeout());
        } catch (IOException | RuntimeException e) {
            // a peer that never sent an SSH identification line did not reject our credentials: MINA may
            // close such a session on its own timer ("Session is being closed") just before ours fires
            boolean peerSilent = sess.getServerVersion() == null;
            closeQuietly(sess);
            String hostProblem = hostKeys == null ? null : hostKeys.takeProblem();
            if (hostProblem != null) {
                throw new ConnectorException("SFTP server " + settings.host() + ":" + settings.port() + " refused: " + hostProblem
                        + "; add the server's key to that file (e.g. ssh-keyscan -p " + settings.port() + " " + settings.host()
                        + " >> " + settings.knownHosts() + ", after checking the fingerprint) or set config.known_hosts", e);
            }
            // the idle timeout (= options.timeout) may close a silent session before the auth timeout
            // fires, which surfaces as "session closed" rather than a timeout: judge by the greeting
            // and by the clock too
            long waitedMs = (System.nanoTime() - authStart) / 1_000_000L;
            if (peerSilent || SftpErrors.isTimeout(e) || waitedMs >= settings.timeout().toMillis() * 9 / 10) {
                throw new ConnectorException("SFTP session with " + settings.target() + " timed out during key exchange or"
                        + " authentication after " + SftpErrors.seconds(settings.timeout().toMillis()) + " s (options.timeout): is it an SSH"
                        + " server?", e);
            }
            throw new ConnectorException("SFTP authentication failed for " + settings.target() + " with "
                    + settings.authDescription() + ": check config.user and the credentials", e);
        }
        session = sess;
        return sess;
    }

    private List<KeyPair> loadKeys() {
        if (settings.keyPath() == null) {
            if (settings.password() == null) {
                throw new ConnectorException("resource " + settings.resource() + ": set config.password or config.pkey_path"
                        + " to log in to " + settings.target());
            }
            return List.of();
        }
        if (!Files.isReadable(settings.keyPath())) {
            throw new ConnectorException("resource " + settings.resource() + ": private key file " + settings.keyPath()
                    + " does not exist or is not readable (config.pkey_path)");
        }
        FilePasswordProvider pw = settings.passphrase() == null ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(settings.passphrase());
        List<KeyPair> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(settings.keyPath())) {
            Iterable<KeyPair> kps = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(settings.keyPath().toString()),
                    in, pw);
            if (kps != null) {
                kps.forEach(out::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ConnectorException("resource " + settings.resource() + ": cannot read private key " + settings.keyPath()
                    + " (wrong or missing config.passphrase, or an unsupported key format: use an OpenSSH, PEM or PKCS#8"
                    + " RSA or ECDSA key)", e);
        }
        if (out.isEmpty()) {
            throw new ConnectorException("resource " + settings.resource() + ": no key found in " + settings.keyPath());
        }
        return out;
    }

    /** Caller holds {@link #lock}. */
    private void dropSession() {
        while (!idle.isEmpty()) {
            closeQuietly(idle.poll());
        }
        if (session != null) {
            closeQuietly(session);
            session = null;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            dropSession();
            if (client != null) {
                try {
                    client.stop();
                } catch (RuntimeException e) {
                    // best effort: the client's threads are daemon threads
                }
                client = null;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static RemoteFile meta(String rel, String full, String name, SftpClient.Attributes a) {
        FileTime mt = a.getModifyTime();
        return new RemoteFile(rel, full, name, a.isDirectory(), a.isDirectory() ? null : a.getSize(),
                mt == null ? null : mt.toMillis() / 1000, null);
    }

    static String stripTrailingSlashes(String dir) {
        String d = dir == null ? "" : dir.trim();
        while (d.length() > 1 && d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? "/" : d;
    }

    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    static String parentOf(String path) {
        String p = stripTrailingSlashes(path);
        int i = p.lastIndexOf('/');
        if (i < 0) {
            return "";
        }
        return i == 0 ? "/" : p.substring(0, i);
    }


    private String timeoutHint(Throwable e) {
        return SftpErrors.isTimeout(e) ? " (options.timeout is " + SftpErrors.seconds(settings.timeout().toMillis()) + " s)"
                : "";
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // best effort
        }
    }
}
