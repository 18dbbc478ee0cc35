package io.aetherflow.connectors.smb;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Samba {@code smbd} on a free loopback port, in the foreground (in its own process group:
 * smbd signals its whole group when it stops, which must not reach the test JVM), with its own smb.conf,
 * private/lock/state directories and passdb in a temporary directory: one writable share
 * {@value #SHARE} (backed by {@link #shareDir()}) and one user {@value #USER} / {@value #PASSWORD}.
 * Needs the Debian {@code samba} package ({@code .ci/run} installs it) and root (to serve files as
 * root and add the passdb user). {@link #unavailableReason()} tells tests why it cannot run.
 */
public final class TestSambaServer implements AutoCloseable {

    /** The share name. */
    public static final String SHARE = "DATA";
    /** The login. */
    public static final String USER = "root";
    /** The password. */
    public static final String PASSWORD = "s3cret-Pw!";

    private static final Path SMBD = Path.of("/usr/sbin/smbd");
    private static final Path SMBPASSWD = Path.of("/usr/bin/smbpasswd");

    private final Path dir;
    private final Path share;
    private final int port;
    private final Process process;

    /**
     * @return null when smbd can run here, else why not (for the skip message)
     */
    public static String unavailableReason() {
        if (!Files.isExecutable(SMBD) || !Files.isExecutable(SMBPASSWD)) {
            return "Samba is not installed (" + SMBD + " missing; apt-get install samba, as .ci/run does)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the test Samba server needs root (found user " + System.getProperty("user.name") + ")";
        }
        return null;
    }

    /**
     * Starts smbd and waits until it accepts connections.
     *
     * @param base a temporary directory owned by the test
     * @throws IOException when smbd cannot be configured or started (with its output)
     * @throws InterruptedException when interrupted while waiting
     */
    public TestSambaServer(Path base) throws IOException, InterruptedException {
        this.dir = base.toAbsolutePath();
        this.share = Files.createDirectories(dir.resolve("share"));
        for (String d : List.of("private", "lock", "state", "cache", "pid", "ncalrpc")) {
            Files.createDirectories(dir.resolve(d));
        }
        this.port = freePort();
        Path conf = dir.resolve("smb.conf");
        Files.writeString(conf, String.join("\n",
                "[global]",
                "  netbios name = AFTEST",
                "  server role = standalone server",
                "  smb ports = " + port,
                "  interfaces = 127.0.0.1",
                "  bind interfaces only = yes",
                "  private dir = " + dir.resolve("private"),
                "  lock directory = " + dir.resolve("lock"),
                "  state directory = " + dir.resolve("state"),
                "  cache directory = " + dir.resolve("cache"),
                "  pid directory = " + dir.resolve("pid"),
                "  ncalrpc dir = " + dir.resolve("ncalrpc"),
                "  log file = " + dir.resolve("log.%m"),
                "  passdb backend = tdbsam:" + dir.resolve("private/passdb.tdb"),
                "  load printers = no",
                "  printing = bsd",
                "  printcap name = /dev/null",
                "  disable spoolss = yes",
                "  map to guest = Never",
                "",
                "[" + SHARE + "]",
                "  path = " + share,
                "  read only = no",
                "  force user = root",
                ""), StandardCharsets.UTF_8);
        Process pw = new ProcessBuilder(SMBPASSWD.toString(), "-c", conf.toString(), "-a", "-s", USER)
                .redirectErrorStream(true).redirectOutput(dir.resolve("smbpasswd.out").toFile()).start();
        try (OutputStream in = pw.getOutputStream()) {
            in.write((PASSWORD + "\n" + PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!pw.waitFor(30, TimeUnit.SECONDS) || pw.exitValue() != 0) {
            pw.destroyForcibly();
            throw new IOException("smbpasswd -a failed: " + Files.readString(dir.resolve("smbpasswd.out")).strip());
        }
        Path out = dir.resolve("smbd.out");
        process = new ProcessBuilder(SMBD.toString(), "--foreground", "--debug-stdout",
                "-s", conf.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket so = new Socket()) {
                so.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("smbd did not start on 127.0.0.1:" + port + ": "
                            + Files.readString(out).strip());
                }
                Thread.sleep(100);
            }
        }
    }

    /** @return the port smbd listens on (127.0.0.1) */
    public int port() {
        return port;
    }

    /** @return the local directory behind share {@value #SHARE} */
    public Path shareDir() {
        return share;
    }

    /** @return a port nothing listens on (for connection-refused tests) */
    public static int freePort() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return ss.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
