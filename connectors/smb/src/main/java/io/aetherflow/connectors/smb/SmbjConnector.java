package io.aetherflow.connectors.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mserref.NtStatus;
import com.hierynomus.msfscc.FileAttributes;
import com.hierynomus.msfscc.fileinformation.FileAllInformation;
import com.hierynomus.msfscc.fileinformation.FileIdBothDirectoryInformation;
import com.hierynomus.mssmb2.SMB2CreateDisposition;
import com.hierynomus.mssmb2.SMB2CreateOptions;
import com.hierynomus.mssmb2.SMB2ShareAccess;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.security.bc.BCSecurityProvider;
import com.hierynomus.smbj.SMBClient;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.auth.AuthenticationContext;
import com.hierynomus.smbj.connection.Connection;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.share.DiskShare;
import com.hierynomus.smbj.share.File;
import com.hierynomus.smbj.share.Share;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.files.Glob;
import io.aetherflow.api.connector.files.RemoteFile;
import io.aetherflow.api.connector.files.RemoteFiles;
import io.aetherflow.api.support.ConfiguredConnector;
import io.aetherflow.api.support.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;

/**
 * {@link RemoteFiles} over one SMB session (smbj, NTLM through BouncyCastle), opened on first use
 * and reused until {@link #close()} (with the default cache policy: the run). Each share is
 * connected once and shared by all threads (smbj multiplexes requests over the session); a
 * connection the server dropped is reopened transparently on the next operation.
 *
 * <p>Paths: UNC ({@code \\server\share\dir}), {@code SHARE:/dir}, drive prefixes ({@code C:\dir},
 * stripped) or plain paths below {@code config.share}; see {@link SmbPath}. Listings return UNC
 * paths ({@code \\host\share\dir\name}), which every operation accepts back.
 */
final class SmbjConnector extends ConfiguredConnector<SmbSettings> implements RemoteFiles {

    private static final long DIRECTORY = FileAttributes.FILE_ATTRIBUTE_DIRECTORY.getValue();

    private final Object lock = new Object();
    private final Map<String, DiskShare> shares = new HashMap<>();
    private SMBClient client;
    private Connection connection;
    private Session session;
    private boolean closed;

    SmbjConnector(ConnectorConfig config, SmbSettings settings) {
        super(config, settings);
    }

    /** The connected share, connecting (or reconnecting) the session first when needed. */
    private DiskShare share(String name, String op, String shown) {
        synchronized (lock) {
            if (closed) {
                throw new ConnectorException("resource " + settings.resource() + ": " + op + " " + shown
                        + ": the connector is closed");
            }
            DiskShare ds = shares.get(name.toLowerCase(java.util.Locale.ROOT));
            if (ds != null && ds.isConnected() && connection != null && connection.isConnected()) {
                return ds;
            }
            if (connection == null || !connection.isConnected() || session == null) {
                openSession(op, shown);
            }
            Share sh;
            try {
                sh = session.connectShare(name);
            } catch (RuntimeException e) {
                throw fail(op, shown, e);
            }
            if (!(sh instanceof DiskShare d)) {
                closeQuietly(sh);
                throw new ConnectorException("resource " + settings.resource() + ": " + op + " " + shown + ": share " + name
                        + " on " + settings.host() + ":" + settings.port() + " is not a disk share (printer or IPC share)");
            }
            shares.put(name.toLowerCase(java.util.Locale.ROOT), d);
            return d;
        }
    }

    private void openSession(String op, String shown) {
        dropSession();
        SmbConfig cfg = SmbConfig.builder()
                .withSecurityProvider(new BCSecurityProvider())
                .withTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .withSocketFactory(new ConnectTimeoutSocketFactory((int) settings.connectTimeout().toMillis()))
                .withDfsEnabled(false)
                .build();
        client = new SMBClient(cfg);
        try {
            connection = client.connect(settings.host(), settings.port());
        } catch (IOException | RuntimeException e) {
            dropSession();
            throw fail(op, shown, e);
        }
        AuthenticationContext auth = settings.user() == null ? AuthenticationContext.anonymous()
                : new AuthenticationContext(settings.user(), settings.password() == null ? new char[0] : settings.password().toCharArray(),
                        settings.domain());
        try {
            session = connection.authenticate(auth);
        } catch (RuntimeException e) {
            dropSession();
            throw fail("log in for " + op, shown, e);
        }
    }

    private void dropSession() {
        for (DiskShare d : shares.values()) {
            closeQuietly(d);
        }
        shares.clear();
        if (session != null) {
            closeQuietly(session);
            session = null;
        }
        if (connection != null) {
            try {
                connection.close(true);
            } catch (IOException | RuntimeException ignored) {
                // best effort: the connection is being discarded
            }
            connection = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort: closing a session or share that is already gone
        }
    }

    @Override
    public List<RemoteFile> list(String dir, String pattern, boolean recursive) {
        SmbPath p = parse(dir);
        String shown = shown(p);
        DiskShare d = share(p.share(), "list", shown);
        Glob glob = pattern == null || pattern.isEmpty() ? null : Glob.of(pattern);
        List<RemoteFile> out = new ArrayList<>();
        try {
            if (!d.folderExists(p.path())) {
                throw new ConnectorException("resource " + settings.resource() + ": list " + shown + " on " + settings.target()
                        + " failed: no such directory (check remote_dir)");
            }
            walk(d, p, "", glob, recursive, out);
        } catch (RuntimeException e) {
            throw fail("list", shown, e);
        }
        out.sort(Comparator.comparing(RemoteFile::relPath));
        return out;
    }

    private void walk(DiskShare d, SmbPath dir, String relPrefix, Glob glob, boolean recursive, List<RemoteFile> out) {
        for (FileIdBothDirectoryInformation e : d.list(dir.path())) {
            String name = e.getFileName();
            if (name.equals(".") || name.equals("..")) {
                continue;
            }
            boolean isDir = (e.getFileAttributes() & DIRECTORY) != 0;
            SmbPath child = dir.child(name);
            String rel = relPrefix.isEmpty() ? name : relPrefix + "/" + name;
            if (recursive && isDir) {
                walk(d, child, rel, glob, true, out);
                continue;
            }
            if (glob != null && !glob.matches(name)) {
                continue;
            }
            out.add(new RemoteFile(rel, child.unc(settings.host()), name, isDir, isDir ? null : e.getEndOfFile(),
                    e.getLastWriteTime().toEpochMillis() / 1000, null));
        }
    }

    @Override
    public Optional<RemoteFile> stat(String path) {
        SmbPath p = parse(path);
        String shown = shown(p);
        DiskShare d = share(p.share(), "stat", shown);
        FileAllInformation info;
        try {
            info = d.getFileInformation(p.path());
        } catch (SMBApiException e) {
            if (notFound(e.getStatus())) {
                return Optional.empty();
            }
            throw fail("stat", shown, e);
        } catch (RuntimeException e) {
            throw fail("stat", shown, e);
        }
        boolean isDir = info.getStandardInformation().isDirectory();
        String name = p.path().isEmpty() ? p.share() : p.name();
        return Optional.of(new RemoteFile(name, p.unc(settings.host()), name, isDir,
                isDir ? null : info.getStandardInformation().getEndOfFile(),
                info.getBasicInformation().getLastWriteTime().toEpochMillis() / 1000, null));
    }

    @Override
    public void download(String remotePath, Path local) {
        SmbPath p = parse(remotePath);
        String shown = shown(p);
        DiskShare d = share(p.share(), "download", shown);
        Path part = local.resolveSibling(local.getFileName() + ".part");
        try (File f = openRead(d, p); InputStream in = f.getInputStream()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(part);
            throw fail("download", shown, e);
        }
        try {
            FileTrees.moveOver(part, local);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new ConnectorException("resource " + settings.resource() + ": download " + shown + ": cannot write "
                    + local + ": " + e.getMessage());
        }
    }

    @Override
    public void upload(Path local, String remotePath) {
        SmbPath p = parse(remotePath);
        String shown = shown(p);
        if (!Files.isRegularFile(local)) {
            throw new ConnectorException("resource " + settings.resource() + ": upload to " + shown
                    + ": local file not found: " + local);
        }
        try (InputStream in = Files.newInputStream(local)) {
            write(p, shown, "upload", in);
        } catch (IOException e) {
            throw new ConnectorException("resource " + settings.resource() + ": upload to " + shown + ": cannot read "
                    + local + ": " + e.getMessage());
        }
    }

    @Override
    public byte[] readBytes(String remotePath) {
        SmbPath p = parse(remotePath);
        String shown = shown(p);
        DiskShare d = share(p.share(), "read", shown);
        try (File f = openRead(d, p); InputStream in = f.getInputStream()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw fail("read", shown, e);
        }
    }

    @Override
    public void writeBytes(String remotePath, byte[] data) {
        SmbPath p = parse(remotePath);
        write(p, shown(p), "write", new ByteArrayInputStream(data));
    }

    private void write(SmbPath p, String shown, String op, InputStream in) {
        if (p.path().isEmpty()) {
            throw new ConnectorException("resource " + settings.resource() + ": " + op + " " + shown
                    + ": the target names a share, not a file");
        }
        SmbPath parent = p.parent();
        if (!parent.path().isEmpty()) {
            mkdirs(parent, shown(parent));
        }
        DiskShare d = share(p.share(), op, shown);
        try (File f = d.openFile(p.path(), EnumSet.of(AccessMask.GENERIC_WRITE),
                EnumSet.of(FileAttributes.FILE_ATTRIBUTE_NORMAL), SMB2ShareAccess.ALL,
                SMB2CreateDisposition.FILE_OVERWRITE_IF, EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE));
                OutputStream out = f.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            throw fail(op, shown, e);
        }
    }

    private static File openRead(DiskShare d, SmbPath p) {
        return d.openFile(p.path(), EnumSet.of(AccessMask.GENERIC_READ), null, SMB2ShareAccess.ALL,
                SMB2CreateDisposition.FILE_OPEN, EnumSet.of(SMB2CreateOptions.FILE_NON_DIRECTORY_FILE));
    }

    @Override
    public void delete(String remotePath) {
        SmbPath p = parse(remotePath);
        String shown = shown(p);
        DiskShare d = share(p.share(), "delete", shown);
        remove("delete", shown, d, p, () -> d.getFileInformation(p.path()).getStandardInformation().isDirectory(),
                false);
    }

    @Override
    public void mkdir(String remotePath) {
        SmbPath p = parse(remotePath);
        String shown = shown(p);
        DiskShare d = share(p.share(), "mkdir", shown);
        try {
            d.mkdir(p.path());
        } catch (RuntimeException e) {
            throw fail("mkdir", shown, e);
        }
    }

    @Override
    public void mkdirs(String remotePath) {
        SmbPath p = parse(remotePath);
        mkdirs(p, shown(p));
    }

    private void mkdirs(SmbPath p, String shown) {
        DiskShare d = share(p.share(), "mkdirs", shown);
        SmbPath cur = new SmbPath(p.share(), "");
        for (String seg : p.path().isEmpty() ? new String[0] : p.path().split("\\\\")) {
            cur = cur.child(seg);
            try {
                if (d.folderExists(cur.path())) {
                    continue;
                }
                d.mkdir(cur.path());
            } catch (SMBApiException e) {
                // another thread (or process) may have created it meanwhile
                if (e.getStatus() == NtStatus.STATUS_OBJECT_NAME_COLLISION && d.folderExists(cur.path())) {
                    continue;
                }
                throw fail("mkdirs", shown(cur), e);
            } catch (RuntimeException e) {
                throw fail("mkdirs", shown(cur), e);
            }
        }
    }

    @Override
    public void deleteRecursive(String remotePath) {
        SmbPath p = parse(remotePath);
        String shown = shown(p);
        if (p.path().isEmpty()) {
            throw new ConnectorException("resource " + settings.resource() + ": delete_recursive " + shown
                    + ": refusing to delete a whole share");
        }
        Optional<RemoteFile> st = stat(remotePath);
        if (st.isEmpty()) {
            return;
        }
        DiskShare d = share(p.share(), "delete_recursive", shown);
        remove("delete_recursive", shown, d, p, st.get()::isDir, true);
    }

    /** Removes a file, or a directory ({@code recursive}: with what it holds); a failure is reported as {@code op}. */
    private void remove(String op, String shown, DiskShare d, SmbPath p, BooleanSupplier isDir, boolean recursive) {
        try {
            if (isDir.getAsBoolean()) {
                d.rmdir(p.path(), recursive);
            } else {
                d.rm(p.path());
            }
        } catch (RuntimeException e) {
            throw fail(op, shown, e);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            dropSession();
        }
    }

    /** @return a remote path parsed against the resource's default share */
    private SmbPath parse(String remotePath) {
        return SmbPath.parse(remotePath, settings.share(), settings.resource());
    }

    private String shown(SmbPath p) {
        return p.unc(settings.host());
    }

    private static boolean notFound(NtStatus st) {
        return st == NtStatus.STATUS_OBJECT_NAME_NOT_FOUND || st == NtStatus.STATUS_OBJECT_PATH_NOT_FOUND
                || st == NtStatus.STATUS_NO_SUCH_FILE || st == NtStatus.STATUS_NOT_FOUND;
    }

    /** What a failure with one of these NT statuses is called in an error message. */
    private static final Map<NtStatus, String> STATUS_TEXT = Map.of(
            NtStatus.STATUS_ACCESS_DENIED, "permission denied (STATUS_ACCESS_DENIED)",
            NtStatus.STATUS_BAD_NETWORK_NAME, "no such share (STATUS_BAD_NETWORK_NAME; check config.share or the path's share)",
            NtStatus.STATUS_DISK_FULL, "the server's disk is full (STATUS_DISK_FULL)",
            NtStatus.STATUS_OBJECT_NAME_COLLISION, "it already exists (STATUS_OBJECT_NAME_COLLISION)",
            NtStatus.STATUS_DIRECTORY_NOT_EMPTY, "the directory is not empty (STATUS_DIRECTORY_NOT_EMPTY)",
            NtStatus.STATUS_FILE_IS_A_DIRECTORY, "it is a directory (STATUS_FILE_IS_A_DIRECTORY)");

    /** One-line error naming the operation, the path and the server; the password never appears. */
    private ConnectorException fail(String op, String shown, Exception e) {
        if (e instanceof ConnectorException ce) {
            return ce;
        }
        String what;
        SMBApiException api = cause(e, SMBApiException.class);
        if (api != null) {
            NtStatus st = api.getStatus();
            if (notFound(st)) {
                what = "no such file or directory";
            } else if (st == NtStatus.STATUS_LOGON_FAILURE || st == NtStatus.STATUS_ACCOUNT_DISABLED
                    || st == NtStatus.STATUS_PASSWORD_EXPIRED) {
                what = "authentication failed (" + st + "; check config.username, config.password and config.domain)";
            } else if (st != null && STATUS_TEXT.containsKey(st)) {
                what = STATUS_TEXT.get(st);
            } else {
                what = st == null ? String.format("NT status 0x%08x", api.getStatusCode()) : st.toString();
            }
        } else if (cause(e, ConnectException.class) != null) {
            what = "cannot connect to " + settings.host() + ":" + settings.port() + " (connection refused; is the SMB server"
                    + " running and config.port right?)";
        } else if (cause(e, UnknownHostException.class) != null) {
            what = "unknown host " + settings.host() + " (check config.server)";
        } else if (cause(e, SocketTimeoutException.class) != null
                || cause(e, java.util.concurrent.TimeoutException.class) != null) {
            what = "timed out after " + settings.timeout().toMillis() + " ms (options.timeout)";
        } else {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        }
        String msg = "resource " + settings.resource() + ": " + op + " " + shown + " on " + settings.target() + " failed: " + what;
        if (settings.password() != null && !settings.password().isEmpty()) {
            msg = msg.replace(settings.password(), "***");
        }
        return new ConnectorException(msg.replace('\n', ' ').replace('\r', ' '), e);
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the partial file is left behind; the next download replaces it
        }
    }

    /** Plain sockets whose connect without timeout uses the resource's {@code connect_timeout}. */
    private static final class ConnectTimeoutSocketFactory extends SocketFactory {
        private final int connectMillis;

        ConnectTimeoutSocketFactory(int connectMillis) {
            this.connectMillis = connectMillis;
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    super.connect(endpoint, timeout > 0 ? Math.min(timeout, connectMillis) : connectMillis);
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(null, new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(null, new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
        }

        /** @return a socket bound to {@code local} (unless null) and connected to {@code remote} */
        private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
            Socket so = createSocket();
            if (local != null) {
                so.bind(local);
            }
            so.connect(remote);
            return so;
        }
    }
}
