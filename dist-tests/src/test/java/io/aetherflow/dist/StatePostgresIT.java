package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.dist.Aetherflow.Result;
import io.aetherflow.testkit.PostgresServer;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL state store on the distribution (driver bundle through its DataSourceFactory in
 * Felix): flows on {@code AETHERFLOW_STATE_URL} and on {@code state.backend: postgres}, {@code runs
 * list|show} on them, the password masked in every output; {@code state migrate} from a SQLite file
 * (rows moved, a second migration refused, bad options).
 */
class StatePostgresIT {

    private static PostgresServer pg;
    private static int databases;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        if (PostgresServer.available()) {
            pg = PostgresServer.start();
        }
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static String database() throws SQLException {
        String name = "st_" + (++databases);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return "postgresql://" + PostgresServer.USER + ":" + PostgresServer.PASSWORD + "@127.0.0.1:" + pg.port() + "/"
                + name;
    }

    private static List<String> column(String url, String sql) throws SQLException {
        String jdbc = "jdbc:postgresql://127.0.0.1:" + pg.port() + url.substring(url.lastIndexOf('/'));
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc, PostgresServer.USER, PostgresServer.PASSWORD);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private Path flow(String id, String state) throws Exception {
        return Aetherflow.write(tmp.resolve(id + ".yaml"), "version: 1\nflow:\n  id: " + id + "\n"
                + "  workspace: {root: \"{{env.AETHERFLOW_WORK_ROOT}}\"}\n" + state
                + "jobs:\n  - id: main\n    steps:\n      - id: s\n        type: external.process\n"
                + "        inputs: {command: [sh, -c, \"echo hi from " + id + "\"], timeout_seconds: 60}\n");
    }

    private static void assertMasked(Result r) {
        assertFalse(r.stdout().contains(PostgresServer.PASSWORD) || r.stderr().contains(PostgresServer.PASSWORD),
                r.toString());
    }

    @Test
    void flowsOnPostgresqlAreListedAndShownWithThePasswordMaskedEverywhere() throws Exception {
        assumeTrue(pg != null, "PostgreSQL binaries not installed");
        String url = database();
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_STATE_URL", url);
        Path viaEnv = flow("via_env", "");
        Result r1 = Aetherflow.run(tmp, env, "run", "--flow-yaml", viaEnv.toString(), "--run-id", "env-run");
        assertEquals(0, r1.exit(), r1.toString());
        assertMasked(r1);
        // a flow naming its own database in YAML (another database of the same server)
        String own = database();
        Path viaYaml = flow("via_yaml", "  state: {backend: postgres, url: \"" + own + "\"}\n");
        Map<String, String> plain = Aetherflow.baseEnv(tmp);
        Result r2 = Aetherflow.run(tmp, plain, "run", "--flow-yaml", viaYaml.toString(), "--run-id", "yaml-run");
        assertEquals(0, r2.exit(), r2.toString());
        assertMasked(r2);
        assertEquals(List.of("env-run:SUCCESS"), column(url, "SELECT run_id || ':' || status FROM runs"));
        assertEquals(List.of("yaml-run:SUCCESS"), column(own, "SELECT run_id || ':' || status FROM runs"));
        assertEquals(List.of("SUCCESS"), column(own, "SELECT status FROM step_runs WHERE step_id = 's'"));
        assertFalse(Files.exists(tmp.resolve("state-root/aetherflow.sqlite")), "no SQLite file was written");

        Result list = Aetherflow.run(tmp, env, "runs", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().contains("env-run"), list.stdout());
        assertMasked(list);
        Result json = Aetherflow.run(tmp, env, "runs", "list", "--json");
        assertEquals(0, json.exit(), json.toString());
        assertTrue(json.stdout().contains("\"env-run\""), json.stdout());
        assertMasked(json);
        Result show = Aetherflow.run(tmp, env, "runs", "show", "env-run");
        assertEquals(0, show.exit(), show.toString());
        assertTrue(show.stdout().contains("SUCCESS") && show.stdout().contains("main"), show.stdout());
        assertMasked(show);
        Result showYaml = Aetherflow.run(tmp, plain, "runs", "show", "yaml-run", "--flow-yaml", viaYaml.toString(),
                "--json");
        assertEquals(0, showYaml.exit(), showYaml.toString());
        assertTrue(showYaml.stdout().contains("\"yaml-run\""), showYaml.stdout());
        assertMasked(showYaml);
        Result missing = Aetherflow.run(tmp, env, "runs", "show", "nope");
        assertFalse(missing.exit() == 0, missing.toString());
        assertMasked(missing);
        assertTrue(missing.stderr().contains("postgresql://aetherflow:***@127.0.0.1:" + pg.port()), missing.stderr());

        // the database down: one line naming the masked URL, exit 4
        Map<String, String> down = Aetherflow.baseEnv(tmp);
        down.put("AETHERFLOW_STATE_URL", "postgresql://aetherflow:" + PostgresServer.PASSWORD + "@127.0.0.1:1/x");
        Result refused = Aetherflow.run(tmp, down, "runs", "list");
        assertEquals(4, refused.exit(), refused.toString());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains("state store postgresql://aetherflow:***@127.0.0.1:1/x: cannot connect"),
                refused.stderr());
        assertMasked(refused);
    }

    @Test
    void stateMigrateMovesASqliteHistoryOnceAndRefusesANonEmptyTarget() throws Exception {
        assumeTrue(pg != null, "PostgreSQL binaries not installed");
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Path f = flow("etl", "");
        for (String run : List.of("r1", "r2")) {
            Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", run);
            assertEquals(0, r.exit(), r.toString());
        }
        Path file = tmp.resolve("state-root/aetherflow.sqlite");
        assertTrue(Files.isRegularFile(file));
        String url = database();
        Result m = Aetherflow.run(tmp, env, "state", "migrate", "--from", "sqlite:" + file, "--to", "postgres:" + url);
        assertEquals(0, m.exit(), m.toString());
        assertMasked(m);
        String masked = "postgresql://aetherflow:***@127.0.0.1:" + pg.port() + url.substring(url.lastIndexOf('/'));
        assertTrue(m.stdout().startsWith("Migrated state store " + file + " to " + masked + ":"), m.stdout());
        assertTrue(m.stdout().contains("  runs: 2 row(s)"), m.stdout());
        assertEquals(List.of("r1:SUCCESS", "r2:SUCCESS"), column(url, "SELECT run_id || ':' || status FROM runs"
                + " ORDER BY run_id"));
        assertEquals(List.of("r1", "r2"), column(url, "SELECT run_id FROM step_runs WHERE step_id = 's' ORDER BY run_id"));
        assertEquals(List.of("r1", "r2"), column(url, "SELECT run_id FROM job_runs ORDER BY run_id"));

        Map<String, String> shared = Aetherflow.baseEnv(tmp);
        shared.put("AETHERFLOW_STATE_URL", url);
        Result list = Aetherflow.run(tmp, shared, "runs", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().contains("r1") && list.stdout().contains("r2"), list.stdout());
        // a resume on the shared store sees the migrated steps as done
        Result resumed = Aetherflow.run(tmp, shared, "run", "--flow-yaml", f.toString(), "--run-id", "r1");
        assertEquals(0, resumed.exit(), resumed.toString());
        assertEquals(List.of("2"), column(url, "SELECT attempt FROM runs WHERE run_id = 'r1'"));

        Result again = Aetherflow.run(tmp, env, "state", "migrate", "--from", "sqlite:" + file, "--to", url);
        assertEquals(4, again.exit(), again.toString());
        assertMasked(again);
        assertTrue(again.stderr().contains("state store " + masked + " is not empty (table "), again.stderr());
        assertTrue(again.stderr().contains("(nothing was copied)"), again.stderr());
        assertEquals(List.of("2"), column(url, "SELECT COUNT(*) FROM runs"), "nothing copied twice");

        Result bad = Aetherflow.run(tmp, env, "state", "migrate", "--from", "sqlite:" + file, "--to",
                "postgres:mysql://u:" + PostgresServer.PASSWORD + "@h/db");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.stderr().contains("--to: not a PostgreSQL URL (mysql://u:***@h/db)"), bad.stderr());
        assertMasked(bad);
        Result nofile = Aetherflow.run(tmp, env, "state", "migrate", "--from", "sqlite:" + tmp.resolve("none.sqlite"),
                "--to", url);
        assertEquals(2, nofile.exit(), nofile.toString());
        assertTrue(nofile.stderr().contains("no such state file"), nofile.stderr());
        assertMasked(nofile);
        Result wrongPw = Aetherflow.run(tmp, env, "state", "migrate", "--from", "sqlite:" + file, "--to",
                url.replace(PostgresServer.PASSWORD, "Not-The-Password"));
        assertEquals(4, wrongPw.exit(), wrongPw.toString());
        assertTrue(wrongPw.stderr().contains("authentication failed for user aetherflow"), wrongPw.stderr());
        assertFalse(wrongPw.stderr().contains("Not-The-Password"), wrongPw.stderr());
    }
}
