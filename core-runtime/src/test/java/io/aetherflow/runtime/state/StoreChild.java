package io.aetherflow.runtime.state;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteDataSource;

/**
 * A second process for state-store tests (started with this JVM's class path).
 * <ul>
 *   <li>{@code hold <db>}: takes the write lock with BEGIN IMMEDIATE, prints LOCKED, waits for a
 *       line on stdin, rolls back;</li>
 *   <li>{@code steps <db>}: writes step statuses forever, printing each id after its commit;</li>
 *   <li>{@code pgsteps <url>}: the same on a PostgreSQL store;</li>
 *   <li>{@code native <cacheDir> <db>}: prepares the native library, opens the store and prints the
 *       mapped sqlite libraries from /proc/self/maps.</li>
 * </ul>
 */
public final class StoreChild {

    private StoreChild() {
    }

    /**
     * @param args mode and paths
     * @throws Exception on failure (exit code 1)
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "hold" -> {
                SQLiteDataSource ds = new SQLiteDataSource();
                ds.setUrl("jdbc:sqlite:" + args[1]);
                try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                    st.execute("BEGIN IMMEDIATE");
                    st.execute("INSERT INTO locks (key, owner, expires_at) VALUES ('child', 'child', 1)");
                    out.println("LOCKED");
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                    st.execute("ROLLBACK");
                }
            }
            case "steps" -> {
                try (SqliteStateStore store = SqliteStateStore.open(Path.of(args[1]))) {
                    for (int i = 0;; i++) {
                        store.setStepStatus("f", "r", "j", "s" + i,
                                StepUpdate.finished("SUCCESS", "t", null, 1, 2, Map.of("i", (long) i)));
                        out.println(i);
                    }
                }
            }
            case "pgsteps" -> {
                StateUrl url = StateUrl.parse(args[1], "child");
                try (PgStateStore store = PgStores.open(url, StoreOptions.defaults())) {
                    for (int i = 0;; i++) {
                        store.setStepStatus("f", "r", "j", "s" + i,
                                StepUpdate.finished("SUCCESS", "t", null, 1, 2, Map.of("i", (long) i)));
                        out.println(i);
                    }
                }
            }
            case "native" -> {
                SqliteNative.prepare(Path.of(args[1]));
                try (SqliteStateStore store = SqliteStateStore.open(Path.of(args[2]))) {
                    store.setJobStatus("f", "r", "j", JobUpdate.of("SUCCESS"));
                    List<String> libs = new ArrayList<>();
                    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                        if (line.contains("sqlitejdbc") && !libs.contains(line.substring(line.lastIndexOf(' ') + 1))) {
                            libs.add(line.substring(line.lastIndexOf(' ') + 1));
                        }
                    }
                    libs.forEach(out::println);
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    /** @return a command line running this class in a new JVM */
    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** @return a command line running this class in a new JVM with extra JVM options */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StoreChild.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
