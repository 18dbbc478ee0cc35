package io.aetherflow.dist.reliability;

import io.aetherflow.dist.Aetherflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@link SecretsReliabilityIT} needs of io.aetherflow.dist.Aetherflow and StateDb (copied, so the
 * experiment does not depend on package-private members): run bin/aetherflow, read every byte it left.
 */
final class SecretsExperiment {

    static final Path HOME = Aetherflow.HOME;

    /** The outcome of one command. */
    record Result(int exit, byte[] stdout, byte[] stderr) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8) + new String(stderr, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit=" + exit + "\n--- stdout\n" + new String(stdout, StandardCharsets.UTF_8) + "\n--- stderr\n"
                    + new String(stderr, StandardCharsets.UTF_8);
        }
    }

    private SecretsExperiment() {
    }

    static Map<String, String> baseEnv(Path work) {
        Map<String, String> env = Aetherflow.minimalEnv();
        env.put("AETHERFLOW_WORK_ROOT", work.resolve("work").toString());
        env.put("AF_STATE", work.resolve("state/af.sqlite").toString());
        return env;
    }

    static Result run(Path cwd, Map<String, String> env, String... args) throws Exception {
        Process p = Aetherflow.builder(HOME, cwd, env, args).start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("aetherflow did not finish within 90 s");
        }
        return new Result(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                return ("<" + e + ">").getBytes(StandardCharsets.UTF_8);
            }
        });
    }

    /** Every regular file under a directory (workspace, artifacts, logs, the SQLite file and its WAL). */
    static List<Path> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** Every text (and blob) column of every row of every table, one string per value. */
    static List<String> dumpDb(Path db) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type='table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + t.replace("\"", "\"\"") + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            Object v = rs.getObject(i);
                            if (v instanceof byte[] b) {
                                values.add(new String(b, StandardCharsets.UTF_8));
                            } else if (v != null) {
                                values.add(v.toString());
                            }
                        }
                    }
                }
            }
        }
        return values;
    }

    /** Occurrences of {@code needle} in {@code hay}. */
    static int count(byte[] hay, byte[] needle) {
        int n = 0;
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }
}
