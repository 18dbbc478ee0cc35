package io.aetherflow.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database part of the SQLite store: statement helpers, binding, transactions. */
class SqliteDatabaseTest {

    @TempDir
    Path dir;

    private SqliteDatabase db;

    @BeforeEach
    void setUp() {
        db = SqliteDatabase.open(dir.resolve("db.sqlite").toAbsolutePath(), StoreOptions.defaults());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void bindsStringsLongsIntegersAndNullsAndMapsRows() {
        db.write("creating", () -> db.update("CREATE TABLE t (k TEXT NOT NULL, s TEXT, n INTEGER)"));
        db.write("inserting", () -> db.update("INSERT INTO t (k, s, n) VALUES (?, ?, ?)", "a", null, 7L));
        db.write("inserting", () -> db.update("INSERT INTO t (k, s, n) VALUES (?, ?, ?)", "b", "x", 9));
        db.write("inserting", () -> db.update("INSERT INTO t (k, s, n) VALUES (?, ?, ?)", "c", "y", null));
        assertEquals(List.of("a"), db.read("reading", () -> db.list("SELECT k FROM t WHERE s IS NULL",
                rs -> rs.getString(1))));
        List<Long> numbers = db.read("reading", () -> db.list("SELECT n FROM t ORDER BY k",
                rs -> SqliteDatabase.getLong(rs, "n")));
        assertEquals(Arrays.asList(7L, 9L, null), numbers);
        assertEquals(Optional.of("x"), db.read("reading", () -> db.one("SELECT s FROM t WHERE n = ?",
                rs -> rs.getString(1), 9L)));
        assertEquals(Optional.empty(), db.read("reading", () -> db.one("SELECT 1 FROM t WHERE k = ?",
                rs -> 1, "absent")));
    }

    @Test
    void anUnsupportedParameterTypeIsAProgrammingErrorAndRollsBack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.write("inserting", () -> {
            db.update("INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)", "k", "o", 1L);
            return db.update("DELETE FROM locks WHERE expires_at = ?", 1.5d);
        }));
        assertTrue(e.getMessage().contains("java.lang.Double"), e.getMessage());
        assertEquals(List.of(), db.read("reading", () -> db.list("SELECT key FROM locks", rs -> rs.getString(1))));
    }

    @Test
    void aNonDurableWriteRestoresSynchronousFull() {
        db.write("writing", false, () -> db.update("INSERT INTO locks (key, owner, expires_at) VALUES (?, ?, ?)", "k",
                "o", 1L));
        assertEquals("2", db.pragma("synchronous")); // FULL
        assertEquals("wal", db.pragma("journal_mode"));
    }

    @Test
    void sqlErrorsBecomeOneLineStoreExceptionsNamingTheFileAndTheAction() {
        StateStoreException e = assertThrows(StateStoreException.class, () -> db.read("reading nothing",
                () -> db.list("SELECT * FROM no_such_table", rs -> 1)));
        assertTrue(e.getMessage().startsWith("state store " + db.file() + ": failed while reading nothing: "),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getCause() instanceof SQLException, String.valueOf(e.getCause()));
    }
}
