package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.launch.ExitCodes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The SQLite backend: the contract ({@link StateStoreContract}) plus the file's own behaviour. */
class SqliteStateStoreTest extends StateStoreContract {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("state").resolve("aetherflow.sqlite");
    }

    /** Reads one column of one row with a separate plain connection (what an ops query would see). */
    private static List<List<Object>> query(Path db, String sql) throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    StateStore open(StoreOptions options) {
        return SqliteStateStore.open(db(), options);
    }

    @Override
    String where() {
        return db().toString();
    }

    @Override
    List<List<Object>> rawQuery(String sql) throws SQLException {
        return query(db(), sql);
    }

    @Override
    void exec(String... sql) throws SQLException {
        exec(db(), sql);
    }

    @Override
    void assertDurableSessionRestored(StateStore store) {
        assertEquals("2", ((SqliteStateStore) store).pragma("synchronous"), "back to FULL");
    }

    private static void exec(Path db, String... sql) throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    void createsTheSchemaWithTheReferenceTablesUnchanged() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion());
            assertEquals("wal", store.pragma("journal_mode"));
            assertEquals("2", store.pragma("synchronous"), "FULL");
            assertEquals("30000", store.pragma("busy_timeout"));
        }
        List<List<Object>> tables = query(db(), "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
        assertEquals(List.of("fire_claims", "job_details", "job_runs", "locks", "runs", "step_details", "step_processes",
                "step_runs"),
                tables.stream().map(r -> r.get(0)).toList());
        // name, type, notnull, pk position: exactly the reference's
        assertEquals(List.of(List.of("job_id", "TEXT", 1, 1), List.of("run_id", "TEXT", 1, 2),
                List.of("status", "TEXT", 1, 0), List.of("updated_at", "INTEGER", 1, 0)),
                query(db(), "SELECT name, type, \"notnull\", pk FROM pragma_table_info('job_runs')"));
        assertEquals(List.of(List.of("job_id", "TEXT", 1, 1), List.of("run_id", "TEXT", 1, 2),
                List.of("step_id", "TEXT", 1, 3), List.of("status", "TEXT", 1, 0),
                List.of("updated_at", "INTEGER", 1, 0)),
                query(db(), "SELECT name, type, \"notnull\", pk FROM pragma_table_info('step_runs')"));
        assertEquals(List.of(List.of("key", "TEXT", 1, 1), List.of("owner", "TEXT", 1, 0),
                List.of("expires_at", "INTEGER", 1, 0)),
                query(db(), "SELECT name, type, \"notnull\", pk FROM pragma_table_info('locks')"));
        assertEquals(List.of(List.of("wal")), query(db(), "PRAGMA journal_mode"));
    }

    @Test
    void migratesADatabaseOfThePythonReferenceInPlace() throws Exception {
        Files.createDirectories(db().getParent());
        exec(db(), "PRAGMA journal_mode=WAL",
                "CREATE TABLE IF NOT EXISTS job_runs (job_id TEXT NOT NULL, run_id TEXT NOT NULL, status TEXT NOT NULL,"
                        + " updated_at INTEGER NOT NULL, PRIMARY KEY (job_id, run_id))",
                "CREATE TABLE IF NOT EXISTS step_runs (job_id TEXT NOT NULL, run_id TEXT NOT NULL, step_id TEXT NOT NULL,"
                        + " status TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (job_id, run_id, step_id))",
                "CREATE TABLE IF NOT EXISTS locks (key TEXT NOT NULL, owner TEXT NOT NULL, expires_at INTEGER NOT NULL,"
                        + " PRIMARY KEY (key))",
                "INSERT INTO job_runs VALUES ('extract', 'oldrun', 'RUNNING', 1700000000)",
                "INSERT INTO step_runs VALUES ('extract', 'oldrun', 'fetch', 'SUCCESS', 1700000001)",
                "INSERT INTO step_runs VALUES ('extract', 'oldrun', 'parse', 'SKIPPED', 1700000002)",
                "INSERT INTO locks VALUES ('nightly', 'oldrun', 4000000000)");
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion());
            // the reference's rows are still honoured for resume, as legacy rows without outputs
            assertEquals("SUCCESS", store.getStepStatus("any-flow", "oldrun", "extract", "fetch").orElseThrow());
            StepRecord legacy = store.getStepRecord("any-flow", "oldrun", "extract", "parse").orElseThrow();
            assertTrue(legacy.legacy());
            assertTrue(legacy.completed());
            assertEquals(1700000002000L, legacy.updatedAtMs());
            assertEquals(List.of("fetch", "parse"),
                    List.copyOf(store.getStepRecords("any-flow", "oldrun", "extract").keySet()));
            assertEquals("RUNNING", store.getJobRecord("f", "oldrun", "extract").orElseThrow().status());
            assertEquals("oldrun", store.getLock("nightly").orElseThrow().owner());
            // new writes land next to the old rows
            store.setStepStatus("f", "newrun", "extract", "fetch", StepUpdate.of("SUCCESS"));
        }
        assertEquals(List.of(List.of("extract", "oldrun", "RUNNING", 1700000000)),
                query(db(), "SELECT * FROM job_runs"));
        assertEquals(3, query(db(), "SELECT * FROM step_runs").size());
        assertEquals(List.of(List.of(3)), query(db(), "PRAGMA user_version"));
        // reopening an up-to-date file migrates nothing and keeps everything
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals("SUCCESS", store.getStepStatus("f", "newrun", "extract", "fetch").orElseThrow());
            assertFalse(store.getStepRecord("f", "newrun", "extract", "fetch").orElseThrow().legacy());
        }
    }

    @Test
    void refusesASchemaNewerThanItUnderstands() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion());
        }
        exec(db(), "PRAGMA user_version = 99");
        StateStoreException e = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(db()));
        assertEquals("state store " + db() + " has schema version 99, newer than this AetherFlow understands (3):"
                + " upgrade AetherFlow or set flow.state.path to another file", e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
    }

    @Test
    void aWriteBlockedByAnotherProcessFailsWithTheLockedMessage() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db(),
                StoreOptions.defaults().withBusyTimeout(Duration.ofMillis(300)))) {
            Process child = new ProcessBuilder(StoreChild.command("hold", db().toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                assertEquals("LOCKED", out.readLine());
                long t0 = System.nanoTime();
                StateStoreException e = assertThrows(StateStoreException.class,
                        () -> store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS")));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals("state store " + db() + " is locked by another process (waited 300 ms while writing"
                        + " status SUCCESS of step j/s): find the process holding it (fuser " + db()
                        + ") and let it finish, or stop it", e.getMessage());
                assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
                assertTrue(ms >= 250 && ms < 5_000, "waited " + ms + " ms");
                // reads still work in WAL mode while the other process writes
                assertTrue(store.getStepStatus("f", "r", "j", "s").isEmpty());
                OutputStream in = child.getOutputStream();
                in.write('\n');
                in.flush();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, child.exitValue());
            } finally {
                child.destroyForcibly();
            }
            // the failed write left nothing behind and the store is usable again
            assertEquals(List.of(), query(db(), "SELECT * FROM step_runs"));
            store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS"));
            assertEquals("SUCCESS", store.getStepStatus("f", "r", "j", "s").orElseThrow());
            assertTrue(store.getLock("child").isEmpty(), "the child's insert was rolled back");
        }
    }

    @Test
    void everyCommittedStepSurvivesKillDashNine() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion()); // create the schema before the child races it
        }
        Process child = new ProcessBuilder(StoreChild.command("steps", db().toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int lastReported = -1;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                lastReported = Integer.parseInt(line);
                if (lastReported >= 100) {
                    break;
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(lastReported >= 100, "child wrote " + lastReported);
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            Map<String, StepRecord> steps = store.getStepRecords("f", "r", "j");
            for (int i = 0; i <= lastReported; i++) {
                StepRecord s = steps.get("s" + i);
                assertNotNull(s, "committed step s" + i + " lost");
                assertEquals(Map.of("i", (long) i), s.outputs());
            }
        }
        assertEquals(List.of(List.of("ok")), query(db(), "PRAGMA integrity_check"));
        assertEquals(query(db(), "SELECT count(*) FROM step_details"), query(db(), "SELECT count(*) FROM step_runs"),
                "reference and detail rows committed together");
    }

    @Test
    void aCorruptFileGivesAClearMessage() throws Exception {
        Files.createDirectories(db().getParent());
        byte[] garbage = new byte[8192];
        new Random(7).nextBytes(garbage);
        Files.write(db(), garbage);
        StateStoreException e = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(db()));
        assertEquals("state store " + db() + " is not a valid SQLite database (corrupt?): move it aside and rerun",
                e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
        assertTrue(Arrays.equals(garbage, Files.readAllBytes(db())), "the file was not touched");
    }

    @Test
    void anUnwritableDirectoryGivesAClearMessage() throws Exception {
        Path ro = dir.resolve("ro");
        Files.createDirectories(ro);
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean immutable = false;
        if (root) {
            // root ignores permission bits; an immutable directory refuses even root
            immutable = new ProcessBuilder("chattr", "+i", ro.toString()).start().waitFor() == 0;
            assumeTrue(immutable, "running as root without chattr: cannot make a directory unwritable");
        } else {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            Path db = ro.resolve("sub").resolve("state.sqlite");
            StateStoreException e = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(db));
            String reason = root ? "operation not permitted" : "permission denied";
            assertEquals("state store " + db + ": cannot create directory " + db.getParent() + ": " + reason
                    + "; set flow.state.path to a writable location", e.getMessage());
            Path direct = ro.resolve("state.sqlite");
            StateStoreException e2 = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(direct));
            assertEquals("state store " + direct + ": cannot create the file: " + reason
                    + "; set flow.state.path to a writable location", e2.getMessage());
        } finally {
            if (immutable) {
                new ProcessBuilder("chattr", "-i", ro.toString()).start().waitFor();
            } else if (!root) {
                Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    void aFileInThePlaceOfTheDirectoryGivesAClearMessage() throws Exception {
        Path blocker = dir.resolve("state");
        Files.writeString(blocker, "not a directory");
        StateStoreException e = assertThrows(StateStoreException.class, () -> SqliteStateStore.open(db()));
        assertEquals("state store " + db() + ": cannot create directory " + blocker + ": a file is in the way of "
                + blocker + "; set flow.state.path to a writable location", e.getMessage());
    }

    @Test
    void theFileIsCreatedWithMode0600() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db())));
            Path wal = Path.of(db() + "-wal");
            assertTrue(Files.exists(wal));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)),
                    "SQLite gives the WAL the database file's mode");
        }
    }

    @Test
    void migratesAVersion1FileInPlaceAddingTheProcessTable() throws Exception {
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            store.setStepStatus("f", "r", "j", "s", StepUpdate.of("SUCCESS"));
        }
        exec(db(), "DROP TABLE step_processes", "DROP TABLE fire_claims", "PRAGMA user_version = 1");
        try (SqliteStateStore store = SqliteStateStore.open(db())) {
            assertEquals(3, store.schemaVersion());
            assertEquals("SUCCESS", store.getStepStatus("f", "r", "j", "s").orElseThrow());
        }
        assertEquals(List.of(List.of(0)), query(db(), "SELECT COUNT(*) FROM step_processes"));
        assertEquals(List.of(List.of(0)), query(db(), "SELECT COUNT(*) FROM fire_claims"));
    }
}
