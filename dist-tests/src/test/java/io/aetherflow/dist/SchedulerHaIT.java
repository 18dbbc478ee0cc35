package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across scheduler processes: three {@code aetherflow-scheduler run} processes on one
 * PostgreSQL database and three on one SQLite file fire the same items at the same minute, and every
 * fire runs once (fire claims, runs rows and the flows' own marker lines agree); a scheduler killed
 * with SIGKILL (its whole process tree, as when a host dies) in the middle of a fire: the other one
 * takes the fire over once the claim lease expired, within the misfire grace, and runs it to the end.
 * The lease is shortened with the test-only {@code AETHERFLOW_TEST_FIRE_LEASE_SECONDS}.
 */
class SchedulerHaIT {

    private static final List<String> ITEMS = List.of("a", "b", "c", "d");

    private static PostgresServer pg;
    private static int databases;

    @TempDir
    Path tmp;

    private final List<Process> schedulers = new ArrayList<>();

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

    @AfterEach
    void killLeftovers() {
        for (Process p : schedulers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** A new database on the test server; returns its libpq URL (with the password). */
    private static String database() throws SQLException {
        String name = "ha_" + (++databases);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return "postgresql://" + PostgresServer.USER + ":" + PostgresServer.PASSWORD + "@127.0.0.1:" + pg.port() + "/"
                + name;
    }

    private static List<Map<String, Object>> rows(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = jdbcUrl.startsWith("jdbc:sqlite:") ? DriverManager.getConnection(jdbcUrl)
                : DriverManager.getConnection(jdbcUrl, PostgresServer.USER, PostgresServer.PASSWORD);
                PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(rs.getMetaData().getColumnLabel(i), v instanceof Integer n ? Long.valueOf(n) : v);
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            if (e.getMessage() != null && (e.getMessage().contains("no such table")
                    || e.getMessage().contains("does not exist"))) {
                return List.of(); // no scheduler has created the schema yet
            }
            throw e;
        }
    }

    /** One directory per store: flows, scheduler.yaml, markers; flows keep their state where the env says. */
    private Path setUp(String name, String stateLine, String command) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        StringBuilder yaml = new StringBuilder("timezone: UTC\nitems:\n");
        for (String item : ITEMS) {
            Aetherflow.write(dir.resolve(item + ".yaml"), "version: 1\nflow:\n  id: " + item + "\n"
                    + "  workspace: {root: \"{{env.AETHERFLOW_WORK_ROOT}}\"}\n" + stateLine
                    + "jobs:\n  - id: main\n    steps:\n      - id: s\n        type: external.process\n"
                    + "        inputs: {command: [sh, -c, \"" + command.replace("ITEM", item)
                    + "\"], timeout_seconds: 120}\n");
            yaml.append("  - {id: ").append(item).append(", cron: '* * * * *', flow_yaml: ").append(item)
                    .append(".yaml, misfire_grace_time: 120}\n");
        }
        Aetherflow.write(dir.resolve("scheduler.yaml"), yaml.toString());
        Files.createDirectories(dir.resolve("markers"));
        return dir;
    }

    private Process scheduler(Path dir, Map<String, String> env, String logName) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Aetherflow.HOME.resolve("bin/aetherflow-scheduler").toString(), "run",
                "scheduler.yaml", "--stop-grace", "5").directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        schedulers.add(p);
        return p;
    }

    private static void awaitLog(Path log, String text, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no '" + text + "' in " + log + " within " + seconds + " s: "
                        + (Files.exists(log) ? Files.readString(log) : "<no log>"));
            }
            Thread.sleep(100);
        }
    }

    /** Waits until every item has a completed fire at or after {@code from}; returns that minute's fire time. */
    private static long awaitCompletedRound(String jdbcUrl, long from, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<Map<String, Object>> done = rows(jdbcUrl, "SELECT item_id, scheduled_at_ms FROM fire_claims"
                    + " WHERE completed_at_ms IS NOT NULL AND scheduled_at_ms >= " + from + " ORDER BY scheduled_at_ms");
            if (!done.isEmpty()) {
                long first = (Long) done.get(0).get("scheduled_at_ms");
                if (done.stream().filter(r -> (Long) r.get("scheduled_at_ms") == first).count() == ITEMS.size()) {
                    return first;
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no completed round of fires within " + seconds + " s: "
                        + rows(jdbcUrl, "SELECT * FROM fire_claims"));
            }
            Thread.sleep(250);
        }
    }

    /** Every fire ran once: one SUCCESS claim per (item, time), one run per claim, one marker line per run. */
    private static void assertEveryFireRanOnce(String jdbcUrl, Path dir, long round) throws Exception {
        List<Map<String, Object>> claims = rows(jdbcUrl, "SELECT item_id, scheduled_at_ms, status, run_id, attempts"
                + " FROM fire_claims ORDER BY item_id, scheduled_at_ms");
        for (String item : ITEMS) {
            List<Map<String, Object>> mine = claims.stream().filter(r -> item.equals(r.get("item_id"))).toList();
            assertTrue(mine.stream().anyMatch(r -> (Long) r.get("scheduled_at_ms") == round), claims.toString());
            List<Map<String, Object>> runs = rows(jdbcUrl, "SELECT run_id, status FROM runs WHERE flow_id = '" + item + "'");
            assertEquals(mine.size(), runs.size(), "one run per fire of " + item + ": " + runs + " / " + mine);
            for (Map<String, Object> c : mine) {
                assertEquals("SUCCESS", c.get("status"), c.toString());
                assertEquals(1L, c.get("attempts"), c.toString());
                assertTrue(runs.stream().anyMatch(r -> r.get("run_id").equals(c.get("run_id"))
                        && "SUCCESS".equals(r.get("status"))), runs + " / " + c);
            }
            assertEquals(mine.size(), Files.readAllLines(dir.resolve("markers/" + item + ".log")).size(),
                    "marker lines of " + item);
        }
    }

    private void stopAll(Path dir, int count) throws Exception {
        for (Process p : schedulers) {
            p.destroy();
        }
        for (Process p : schedulers) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a scheduler did not stop on SIGTERM");
        }
        for (int i = 1; i <= count; i++) {
            String log = Files.readString(dir.resolve("s" + i + ".log"));
            assertFalse(log.contains(PostgresServer.PASSWORD), log);
        }
    }

    @Test
    void threeSchedulersOnOnePostgresqlAndThreeOnOneSqliteFileRunEveryFireOnce() throws Exception {
        assumeTrue(pg != null, "PostgreSQL binaries not installed");
        String url = database();
        Path pgDir = setUp("pg", "", "echo ITEM >> " + tmp.resolve("pg/markers/ITEM.log"));
        Path sqDir = setUp("sqlite", "  state: {path: \"{{env.AETHERFLOW_STATE_ROOT}}/aetherflow.sqlite\"}\n",
                "echo ITEM >> " + tmp.resolve("sqlite/markers/ITEM.log"));
        Map<String, String> pgEnv = Aetherflow.baseEnv(pgDir);
        pgEnv.put("AETHERFLOW_STATE_URL", url);
        Map<String, String> sqEnv = Aetherflow.baseEnv(sqDir);
        for (int i = 1; i <= 3; i++) {
            scheduler(pgDir, pgEnv, "s" + i + ".log");
            scheduler(sqDir, sqEnv, "s" + i + ".log");
        }
        for (int i = 1; i <= 3; i++) {
            awaitLog(pgDir.resolve("s" + i + ".log"), "Scheduler running", 120);
            awaitLog(sqDir.resolve("s" + i + ".log"), "Scheduler running", 120);
        }
        // the first minute after all six are up: all three of each store compete for every fire
        long from = (Instant.now().getEpochSecond() / 60 + 1) * 60_000;
        String pgJdbc = "jdbc:postgresql://127.0.0.1:" + pg.port() + url.substring(url.lastIndexOf('/'));
        String sqJdbc = "jdbc:sqlite:" + sqDir.resolve("state-root/aetherflow.sqlite");
        long pgRound = awaitCompletedRound(pgJdbc, from, 150);
        long sqRound = awaitCompletedRound(sqJdbc, from, 60);
        Thread.sleep(1000); // late duplicates, if any, would land now
        stopAll(pgDir, 3);
        assertEveryFireRanOnce(pgJdbc, pgDir, pgRound);
        assertEveryFireRanOnce(sqJdbc, sqDir, sqRound);
        assertFalse(Files.exists(pgDir.resolve("state-root/aetherflow.sqlite")),
                "with AETHERFLOW_STATE_URL nothing is written to the SQLite file");
        // the runs are on PostgreSQL and `runs list` shows them there, without the password
        Aetherflow.Result list = Aetherflow.run(pgDir, pgEnv, "runs", "list", "--limit", "100");
        assertEquals(0, list.exit(), list.toString());
        for (String item : ITEMS) {
            assertTrue(list.stdout().contains(item), list.stdout());
        }
        assertFalse(list.stdout().contains(PostgresServer.PASSWORD) || list.stderr().contains(PostgresServer.PASSWORD),
                list.toString());
    }

    @Test
    void aFireOfASchedulerKilledMidRunIsTakenOverAndRunOnce() throws Exception {
        assumeTrue(pg != null, "PostgreSQL binaries not installed");
        String url = database();
        Path dir = setUp("kill", "", "echo start >> " + tmp.resolve("kill/markers/ITEM.log") + "; sleep 6; echo done >> "
                + tmp.resolve("kill/markers/ITEM.log"));
        Map<String, String> env = Aetherflow.baseEnv(dir);
        env.put("AETHERFLOW_STATE_URL", url);
        env.put("AETHERFLOW_TEST_FIRE_LEASE_SECONDS", "10"); // slack for a late renewal on a loaded host
        scheduler(dir, env, "s1.log");
        scheduler(dir, env, "s2.log");
        awaitLog(dir.resolve("s1.log"), "Scheduler running", 120);
        awaitLog(dir.resolve("s2.log"), "Scheduler running", 120);
        long round = (Instant.now().getEpochSecond() / 60 + 1) * 60_000;
        String jdbc = "jdbc:postgresql://127.0.0.1:" + pg.port() + url.substring(url.lastIndexOf('/'));
        // wait until item a's fire of that minute is claimed and its step started
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        Map<String, Object> claim = null;
        while (claim == null || !Files.exists(dir.resolve("markers/a.log"))) {
            List<Map<String, Object>> r = rows(jdbc, "SELECT pid, owner FROM fire_claims WHERE item_id = 'a'"
                    + " AND scheduled_at_ms = " + round);
            claim = r.isEmpty() ? null : r.get(0);
            assertTrue(System.nanoTime() < end, "item a did not start");
            Thread.sleep(100);
        }
        long victim = (Long) claim.get("pid");
        Process killed = schedulers.stream().filter(p -> p.pid() == victim
                || p.descendants().anyMatch(d -> d.pid() == victim)).findFirst().orElseThrow();
        // a host dies: the scheduler JVM and every process it started, at once
        List<ProcessHandle> tree = new ArrayList<>(killed.descendants().toList());
        killed.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
        Process survivor = schedulers.stream().filter(p -> p != killed).findFirst().orElseThrow();
        Path survivorLog = dir.resolve(schedulers.indexOf(survivor) == 0 ? "s1.log" : "s2.log");
        // lease 10 s, polled every second, a run of 6 s: done well within the misfire grace (120 s)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Map<String, Object>> fire;
        do {
            Thread.sleep(250);
            fire = rows(jdbc, "SELECT status, owner, attempts, run_id FROM fire_claims WHERE item_id = 'a'"
                    + " AND scheduled_at_ms = " + round);
            assertTrue(System.nanoTime() < deadline, "the fire was lost: " + fire + "\n" + Files.readString(survivorLog));
        } while (!"SUCCESS".equals(fire.get(0).get("status")));
        Map<String, Object> completed = fire.get(0);
        assertEquals(2L, completed.get("attempts"), fire.toString());
        assertFalse(claim.get("owner").equals(completed.get("owner")), "completed by the other scheduler");
        List<Map<String, Object>> runs = rows(jdbc, "SELECT run_id, status FROM runs WHERE flow_id = 'a'"
                + " AND status = 'SUCCESS'");
        assertEquals(1, runs.stream().filter(r -> r.get("run_id").equals(completed.get("run_id"))).count(),
                runs.toString());
        List<String> lines = Files.readAllLines(dir.resolve("markers/a.log"));
        long later = countOtherFires(jdbc, round);
        long done = lines.stream().filter("done"::equals).count();
        assertTrue(done >= 1 && done <= 1 + later, "the killed run never finished, the survivor's did: " + lines);
        assertEquals(2, lines.stream().filter("start"::equals).count() - later,
                "started by the killed scheduler, then once more by the survivor: " + lines);
        String log = Files.readString(survivorLog);
        assertTrue(log.contains("taken over") || log.contains("took over"), log);
        survivor.destroy();
        assertTrue(survivor.waitFor(60, TimeUnit.SECONDS));
    }

    /** Fires of item a after the killed one (the next minute may already have fired). */
    private static long countOtherFires(String jdbc, long round) throws SQLException {
        return rows(jdbc, "SELECT 1 FROM fire_claims WHERE item_id = 'a' AND scheduled_at_ms > " + round).size();
    }
}
