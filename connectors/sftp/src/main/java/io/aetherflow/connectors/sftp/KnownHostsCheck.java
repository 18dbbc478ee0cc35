package io.aetherflow.connectors.sftp;

import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host key verification against a known_hosts file (OpenSSH format, hashed host names and
 * {@code [host]:port} entries included). Unknown, changed and revoked keys are refused, the file is
 * never written, and the reason is kept so the connection error can say exactly what happened.
 */
final class KnownHostsCheck extends KnownHostsServerKeyVerifier {

    private final Path file;
    private final AtomicReference<String> problem = new AtomicReference<>();

    KnownHostsCheck(Path file) {
        super(RejectAllServerKeyVerifier.INSTANCE, file);
        this.file = file;
    }

    /** @return why the last key was refused (one sentence without the file's contents), or null */
    String takeProblem() {
        return problem.getAndSet(null);
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
        problem.set("host key " + describe(key) + " is not in known_hosts " + file
                + (Files.exists(file) ? "" : " (the file does not exist)"));
        return false;
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
            PublicKey expected, PublicKey actual) {
        problem.set("host key " + describe(actual) + " differs from the key recorded in known_hosts " + file
                + " (" + describe(expected) + "): the server's key changed or someone is intercepting the connection");
        return false;
    }

    @Override
    protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey key) {
        problem.set("host key " + describe(key) + " is marked @revoked in known_hosts " + file);
        super.handleRevokedKey(session, remote, key);
    }

    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
}
