package io.aetherflow.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real MariaDB server for tests, started from the installed binaries ({@code mariadb-install-db},
 * {@code mariadbd}, the {@code mariadb} client) in a fresh temp data directory on a free loopback port
 * ({@code --user=root} when run as root). It has the user {@link #USER} (password {@link #PASSWORD},
 * all privileges) and the database {@link #DATABASE}. Closing stops it and deletes the directory.
 * Used like {@link PostgresServer}: {@link #jdbcUrl()} is {@code jdbc:mariadb://127.0.0.1:<port>/aetherflow},
 * {@link #sqlalchemyUrl()} {@code mysql://aetherflow:<password>@127.0.0.1:<port>/aetherflow}.
 */
public final class MariaDbServer extends LocalDatabaseServer {

    /** The test user. */
    public static final String USER = "aetherflow";
    /** Its password. */
    public static final String PASSWORD = "maria-Secret-42";
    /** The test database. */
    public static final String DATABASE = "aetherflow";

    private static final Path SERVER = Path.of("/usr/sbin/mariadbd");
    private static final Path INSTALL = Path.of("/usr/bin/mariadb-install-db");
    private static final Path CLIENT = Path.of("/usr/bin/mariadb");

    private MariaDbServer(Started started) {
        super(started, "mariadb", "mysql", USER, PASSWORD, DATABASE);
    }

    /** @return true when the binaries are installed */
    public static boolean available() {
        return Files.isExecutable(SERVER) && Files.isExecutable(INSTALL) && Files.isExecutable(CLIENT);
    }

    /**
     * @return a running server
     * @throws IOException when it cannot be initialised or started (the message carries its log)
     */
    public static MariaDbServer start() throws IOException {
        if (!available()) {
            throw new IOException("MariaDB binaries not found (" + SERVER + ", " + INSTALL + ", " + CLIENT + ")");
        }
        return new MariaDbServer(launch("aetherflow-mariadb-", (dir, log) -> {
            Path data = dir.resolve("data");
            Path socket = dir.resolve("mysqld.sock");
            List<String> user = LocalServerProcess.root() ? List.of("--user=root") : List.of();
            List<String> init = new ArrayList<>(List.of(INSTALL.toString(), "--no-defaults", "--datadir=" + data,
                    "--auth-root-authentication-method=normal", "--skip-test-db"));
            init.addAll(user);
            LocalServerProcess.run(dir, log, init);
            int port = LocalServerProcess.freePort();
            List<String> run = new ArrayList<>(List.of(SERVER.toString(), "--no-defaults", "--datadir=" + data,
                    "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + socket, "--pid-file=" + dir.resolve("pid"),
                    "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M",
                    "--innodb-flush-log-at-trx-commit=0", "--skip-name-resolve"));
            run.addAll(user);
            return serve(dir, log, port, run, () -> LocalServerProcess.run(dir, log, List.of(CLIENT.toString(),
                    "--no-defaults", "-uroot", "--socket=" + socket, "-e", "CREATE DATABASE " + DATABASE
                            + "; CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'; GRANT ALL ON *.* TO '"
                            + USER + "'@'%';")));
        }));
    }
}
