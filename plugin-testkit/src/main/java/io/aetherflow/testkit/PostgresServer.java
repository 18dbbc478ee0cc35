package io.aetherflow.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, started from the installed binaries ({@code initdb} and
 * {@code postgres} under {@code /usr/lib/postgresql/<version>/bin}, or {@code $AETHERFLOW_PG_BIN}) in a
 * fresh temp data directory, on a free loopback port, with its socket in the temp directory. As root
 * it runs as {@code nobody} (initdb refuses root). TCP logins need the password ({@code scram-sha-256}).
 * Closing stops it and deletes the directory. Start one per test class:
 *
 * <pre>{@code
 * static PostgresServer pg;
 * @BeforeAll static void start() throws IOException { if (PostgresServer.available()) pg = PostgresServer.start(); }
 * @AfterAll static void stop() { if (pg != null) pg.close(); }
 * @Test void t() { assumeTrue(pg != null, "PostgreSQL binaries not installed"); ... pg.jdbcUrl() ... }
 * }</pre>
 */
public final class PostgresServer extends LocalDatabaseServer {

    /** The superuser the server is initialised with. */
    public static final String USER = "aetherflow";
    /** Its password. */
    public static final String PASSWORD = "pg-Secret-42";
    /** The database that always exists. */
    public static final String DATABASE = "postgres";

    private PostgresServer(Started started) {
        super(started, "postgresql", "postgresql", USER, PASSWORD, DATABASE);
    }

    /** @return the directory of {@code initdb} and {@code postgres}, or null when PostgreSQL is not installed */
    public static Path binDir() {
        String env = System.getenv("AETHERFLOW_PG_BIN");
        if (env != null && Files.isExecutable(Path.of(env, "postgres"))) {
            return Path.of(env);
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))
                    && Files.isExecutable(b.resolve("postgres"))).max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** @return true when the binaries are installed */
    public static boolean available() {
        return binDir() != null;
    }

    /**
     * @return a running server
     * @throws IOException when it cannot be initialised or started (the message carries its log)
     */
    public static PostgresServer start() throws IOException {
        Path bin = binDir();
        if (bin == null) {
            throw new IOException("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin or AETHERFLOW_PG_BIN)");
        }
        PostgresServer server = new PostgresServer(launch("aetherflow-pg-", (dir, log) -> {
            Path data = dir.resolve("data");
            Path pw = dir.resolve("pw");
            Files.writeString(pw, PASSWORD + "\n");
            List<String> as = new ArrayList<>();
            if (LocalServerProcess.root()) {
                LocalServerProcess.run(dir, log, List.of("chown", "-R", "nobody:nogroup", dir.toString()));
                as.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
            }
            List<String> init = new ArrayList<>(as);
            init.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pw,
                    "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync", "--locale=C"));
            LocalServerProcess.run(dir, log, init);
            int port = LocalServerProcess.freePort();
            List<String> run = new ArrayList<>(as);
            run.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                    "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                    "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
            return serve(dir, log, port, run, () -> { });
        }));
        // the port opens before the server accepts logins ("the database system is starting up")
        try {
            server.awaitLogins();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Stops the server with a fast shutdown (SIGINT: open sessions are cut, as in a restart by the
     * operator), keeping its data; {@link #restart()} starts it again. For reconnect tests.
     */
    public void stop() {
        stopWith("-INT");
    }

    /**
     * Starts a stopped server again on the same port and data, and waits until it accepts logins.
     *
     * @throws IOException when it does not come up
     */
    public void restart() throws IOException {
        startAgain();
        // the port opens before recovery ends ("the database system is starting up"): wait for logins
        awaitLogins();
    }

    /**
     * Waits (up to 60 s) until {@code pg_isready} says the server accepts connections.
     *
     * @throws IOException when it does not within that time
     */
    private void awaitLogins() throws IOException {
        Path ready = binDir().resolve("pg_isready");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (Files.isExecutable(ready) && System.nanoTime() < deadline) {
            try {
                if (new ProcessBuilder(ready.toString(), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port()))
                        .start().waitFor() == 0) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LocalServerProcess.sleep(50);
        }
        if (Files.isExecutable(ready)) {
            throw new IOException("PostgreSQL on port " + port() + " did not accept logins within 60 s");
        }
    }
}
