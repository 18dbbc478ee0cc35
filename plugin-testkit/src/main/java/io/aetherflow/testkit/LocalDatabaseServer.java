package io.aetherflow.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the database server fixtures ({@link PostgresServer}, {@link MariaDbServer}) share: a server
 * process started from the installed binaries in its own temp directory, listening on a free loopback
 * port, with one test user and database; its JDBC and SQLAlchemy URLs; closing stops the process and
 * deletes the directory. Not meant to be extended outside this package.
 */
public abstract class LocalDatabaseServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final List<String> command;
    private Process process;
    private final String jdbcScheme;
    private final String sqlalchemyScheme;
    private final String credentials;
    private final String database;

    /**
     * @param started the running server
     * @param jdbcScheme the JDBC URL scheme after {@code jdbc:}
     * @param sqlalchemyScheme the SQLAlchemy URL scheme
     * @param user the test user
     * @param password its password
     * @param database the test database
     */
    LocalDatabaseServer(Started started, String jdbcScheme, String sqlalchemyScheme, String user, String password,
            String database) {
        this.dir = started.dir();
        this.port = started.port();
        this.process = started.process();
        this.command = List.copyOf(started.command());
        this.jdbcScheme = jdbcScheme;
        this.sqlalchemyScheme = sqlalchemyScheme;
        this.credentials = user + ":" + password;
        this.database = database;
    }

    /** A started server: its directory, port, process and the command that started it. */
    record Started(Path dir, int port, Process process, List<String> command) {
    }

    /** Initialises and starts a server in a given directory (its log file exists). */
    interface Boot {
        Started boot(Path dir, Path log) throws IOException;
    }

    /** Runs once the server listens (creating users and databases). */
    interface Setup {
        void run() throws IOException;
    }

    /**
     * Boots a server in a fresh temp directory, which is deleted when booting fails.
     *
     * @param prefix the temp directory's name prefix
     * @param boot initialises and starts the server
     * @return the started server
     */
    static Started launch(String prefix, Boot boot) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Path log = dir.resolve("server.log");
        try {
            Files.createFile(log);
            return boot.boot(dir, log);
        } catch (IOException | RuntimeException e) {
            LocalServerProcess.delete(dir);
            throw e;
        }
    }

    /**
     * Starts the server process, waits until it listens on the port, then runs the setup; the process
     * is stopped when either fails.
     */
    static Started serve(Path dir, Path log, int port, List<String> command, Setup setup) throws IOException {
        Process p = LocalServerProcess.start(dir, log, command);
        try {
            LocalServerProcess.awaitPort(p, port, log);
            setup.run();
        } catch (IOException | RuntimeException e) {
            LocalServerProcess.stop(p);
            throw e;
        }
        return new Started(dir, port, p, command);
    }

    /** @return the TCP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** @return {@code jdbc:<scheme>://127.0.0.1:<port>/<database>} (no credentials) */
    public String jdbcUrl() {
        return "jdbc:" + jdbcScheme + "://127.0.0.1:" + port + "/" + database;
    }

    /** @return {@code <scheme>://<user>:<password>@127.0.0.1:<port>/<database>} (SQLAlchemy form) */
    public String sqlalchemyUrl() {
        return sqlalchemyScheme + "://" + credentials + "@127.0.0.1:" + port + "/" + database;
    }

    /**
     * Stops the server process with a signal, keeping its data (for reconnect tests); after 30 s it is
     * stopped by force. {@link #startAgain()} starts it again.
     *
     * @param signal the {@code kill} option, e.g. {@code -INT}
     */
    synchronized void stopWith(String signal) {
        try {
            new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                return;
            }
        } catch (IOException e) {
            // fall back to the polite-then-forced stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LocalServerProcess.stop(process);
    }

    /**
     * Starts a stopped server again with the same command, port and data; waits until it listens.
     *
     * @throws IOException when it does not come up
     */
    synchronized void startAgain() throws IOException {
        Path log = dir.resolve("server.log");
        process = LocalServerProcess.start(dir, log, command);
        LocalServerProcess.awaitPort(process, port, log);
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        LocalServerProcess.stop(process);
        LocalServerProcess.delete(dir);
    }
}
