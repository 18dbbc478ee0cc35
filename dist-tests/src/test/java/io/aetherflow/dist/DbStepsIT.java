package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The db steps on the distribution, through the shipped {@code db:sqlite3} connector in Felix: the
 * example on its SQLite file, and a flow on a SQLite file this test creates (csv dialect options,
 * parquet, the max_rows guard, a bad query, validation of the resource name).
 */
@RunsExamples("db")
class DbStepsIT {

    @TempDir
    Path tmp;

    private Path artifact(String name) throws Exception {
        try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
            return s.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    @Test
    void exampleFlowWritesTsvCsvAndParquet() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Result r = Aetherflow.run(Aetherflow.REPO, env, "run", "--flow-yaml", "examples/db/flow.yaml", "--run-id", "d1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("4 customer(s): [[\"Grace Hopper\", 2, 328.0], [\"Konrad Zuse\", 2, 282.0]"),
                r.stderr());
        assertTrue(r.stderr().contains("8 orders in orders.tsv, 8 in orders.csv"), r.stderr());
        String tsv = Files.readString(artifact("orders.tsv"));
        assertTrue(tsv.startsWith("id\tcustomer_id\tamount\tordered_on\tpaid\n1\t1\t120.5\t2024-01-03\t1\n"), tsv);
        String csv = Files.readString(artifact("orders.csv"));
        assertTrue(csv.startsWith("\"id\";\"customer_id\";\"amount\";\"ordered_on\";\"paid\";\"note\"\r\n"
                + "\"1\";\"1\";\"120.5\";\"2024-01-03\";\"1\";\"\"\r\n"), csv);
        assertTrue(csv.contains("\"call \"\"before\"\" delivery\""), csv);
        byte[] pq = Files.readAllBytes(artifact("orders.parquet"));
        assertEquals("PAR1", new String(pq, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("PAR1", new String(pq, pq.length - 4, 4, StandardCharsets.US_ASCII));
        // the shipped database is only read
        assertTrue(Files.exists(Aetherflow.REPO.resolve("examples/db/shop.sqlite")));

        Result filtered = Aetherflow.run(Aetherflow.REPO, withEnv(env, "MIN_AMOUNT", "100"), "run", "--flow-yaml",
                "examples/db/flow.yaml", "--run-id", "d2");
        assertEquals(0, filtered.exit(), filtered.toString());
        assertTrue(filtered.stderr().contains("3 customer(s)"), filtered.stderr());
    }

    private static Map<String, String> withEnv(Map<String, String> env, String k, String v) {
        Map<String, String> m = new java.util.LinkedHashMap<>(env);
        m.put(k, v);
        return m;
    }

    private Path database(int rows) throws Exception {
        Path db = tmp.resolve("data.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE items (id INTEGER, label TEXT, price REAL)");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
                for (int i = 1; i <= rows; i++) {
                    p.setInt(1, i);
                    p.setString(2, i % 10 == 0 ? "ten, \"quoted\"" : "item " + i);
                    p.setDouble(3, i / 4.0);
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
        }
        return db;
    }

    private static String resources(Path db) {
        return "resources:\n  wh:\n    kind: db\n    driver: sqlite3\n    config:\n      url: \"sqlite:///" + db + "\"\n";
    }

    @Test
    void flowOnACreatedDatabase() throws Exception {
        Path db = database(1000);
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), resources(db) + flow("db_it", "  - id: j\n    steps:\n"
                + "      - id: csv\n        type: db_extract_stream\n        inputs:\n"
                + "          resource: wh\n          sql: SELECT id, label, price FROM items WHERE id > :from ORDER BY id\n"
                + "          params: {from: 990}\n          output: out/items.csv\n          format: csv\n"
                + "          quoting: none\n          escapechar: \"\\\\\"\n          emit_dtypes: true\n"
                + "      - id: pq\n        type: db_extract_stream\n        inputs:\n"
                + "          resource: wh\n          sql: SELECT * FROM items\n          output: out/items.parquet\n"
                + "          format: parquet\n          fetch_size: 100\n"
                + "      - id: small\n        type: db_fetch_small\n        inputs:\n"
                + "          resource: wh\n          sql: SELECT COUNT(*) AS n, MAX(price) AS top FROM items\n"
                + "      - id: show\n        type: external.process\n        inputs:\n"
                + "          command: [echo, \"rows={{steps.csv.row_count}} dtypes={{steps.csv.dtypes_json}} "
                + "pq={{steps.pq.row_count}} small={{steps.small.rows_json}}\"]\n          log: {stdout: capture}\n"));
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "r1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("rows=10 dtypes={\"id\": \"int\", \"label\": \"string\", \"price\": \"float\"} "
                + "pq=1000 small=[[1000, 250.0]]"), r.stderr());
        String csv = Files.readString(artifact("items.csv"));
        assertTrue(csv.startsWith("id,label,price\n991,item 991,247.75\n"), csv);
        assertTrue(csv.endsWith("1000,ten\\, \\\"quoted\\\",250.0\n"), csv);
        try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
            assertFalse(s.anyMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    @Test
    void guardsAndErrorsAreOneLineNamingJobAndStep() throws Exception {
        Path db = database(30);
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Path big = Aetherflow.write(tmp.resolve("big.yaml"), resources(db) + flow("db_guard", "  - id: j\n    steps:\n"
                + "      - id: small\n        type: db_fetch_small\n        inputs:\n"
                + "          resource: wh\n          sql: SELECT * FROM items\n          max_rows: 29\n"));
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", big.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("job 'j' step 'small': db_fetch_small exceeded max_rows=29. Use "
                + "db_extract_stream for large results."), r.stderr());

        Path bad = Aetherflow.write(tmp.resolve("bad.yaml"), resources(db) + flow("db_bad", "  - id: j\n    steps:\n"
                + "      - id: x\n        type: db_extract\n        inputs:\n"
                + "          resource: wh\n          sql: SELECT nope FROM items\n          output: x.tsv\n"));
        Result b = Aetherflow.run(tmp, env, "run", "--flow-yaml", bad.toString());
        assertEquals(1, b.exit(), b.toString());
        assertTrue(b.stderr().contains("job 'j' step 'x': db_extract: query on resource 'wh' failed: "), b.stderr());

        Path undeclared = Aetherflow.write(tmp.resolve("undeclared.yaml"), resources(db) + flow("db_val",
                "  - id: j\n    steps:\n      - id: x\n        type: db_extract_stream\n        inputs:\n"
                + "          resource: warehouse\n          sql: SELECT 1\n          output: x.tsv\n"
                + "          format: xlsx\n"));
        Result v = Aetherflow.run(tmp, env, "validate", "--flow-yaml", undeclared.toString());
        assertEquals(2, v.exit(), v.toString());
        assertTrue(v.stdout().contains("- jobs[0].steps[0].inputs.resource: semantic:unknown_resource - "
                + "db_extract_stream inputs.resource 'warehouse' is not declared: add it under resources: (kind: db) "
                + "or fix the name; declared: [wh]"), v.stdout());
        assertTrue(v.stdout().contains("- jobs[0].steps[0].inputs.format: semantic:db_extract_stream_format - "
                + "db_extract_stream unsupported format: xlsx (use tsv, csv or parquet)"), v.stdout());
    }
}
