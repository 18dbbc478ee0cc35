package io.aetherflow.steps.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.connectors.http.HttpConnectorFactory;
import io.aetherflow.connectors.jdbc.SqliteConnectorFactory;
import io.aetherflow.testkit.FakeStepContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three db steps on a SQLite file, through the real {@code db:sqlite3} connector of connectors/jdbc. */
class DbStepsTest {

    @TempDir
    Path dir;

    private Path dbFile;
    private final List<FakeStepContext> contexts = new ArrayList<>();

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @BeforeEach
    void database() {
        dbFile = dir.resolve("t.sqlite");
        try (DbConnector db = (DbConnector) new SqliteConnectorFactory().create(
                new ConnectorConfig("setup", "db", "sqlite3", Map.of("path", dbFile.toString()), null))) {
            db.execute("CREATE TABLE t (id INTEGER, name TEXT, note TEXT, price REAL)", null);
            db.execute("INSERT INTO t VALUES (1, 'a', NULL, 2.5), (2, 'b c', 'x,y', 10.0), (3, 'Grüße', '', 1e16)",
                    null);
            db.execute("CREATE TABLE kv (id INTEGER, v TEXT)", null);
            db.execute("INSERT INTO kv VALUES (1, 'a'), (2, 'b'), (3, 'c')", null);
        }
    }

    @AfterEach
    void close() {
        contexts.forEach(FakeStepContext::close);
    }

    private FakeStepContext ctx(String type, Map<String, Object> inputs) {
        FakeStepContext c = FakeStepContext.at(dir.resolve("job")).stepType(type).inputs(inputs)
                .resource("db1", "db", "sqlite3", Map.of("path", dbFile.toString()), Map.of(),
                        new SqliteConnectorFactory());
        contexts.add(c);
        return c;
    }

    private Map<String, Object> run(Step step, String type, Map<String, Object> inputs) throws Exception {
        StepResult r = ctx(type, inputs).run(step);
        assertEquals(StepResult.SUCCESS, r.status());
        return r.output();
    }

    private static String read(Object path) throws Exception {
        return Files.readString(Path.of((String) path), StandardCharsets.UTF_8);
    }

    // ---- db_extract ----

    @Test
    void extractTsvHeaderTabsNullEmptyPythonStr() throws Exception {
        Map<String, Object> out = run(new DbExtractStep(), "db_extract",
                map("resource", "db1", "sql", "SELECT id, name, note, price FROM t ORDER BY id", "output", "out/t.tsv"));
        assertEquals(dir.resolve("job").resolve("artifacts/out/t.tsv").toString(), out.get("output"));
        assertEquals("tsv", out.get("format"));
        assertEquals(3L, out.get("rows"));
        // no quoting in db_extract's tsv; floats as Python's str(): 10.0, 1e+16
        assertEquals("id\tname\tnote\tprice\n1\ta\t\t2.5\n2\tb c\tx,y\t10.0\n3\tGrüße\t\t1e+16\n", read(out.get("output")));
        assertFalse(Files.exists(Path.of(out.get("output") + ".tmp")));
    }

    @Test
    void extractJsonlOneObjectPerRowWithParams() throws Exception {
        Map<String, Object> out = run(new DbExtractStep(), "db_extract", map("resource", "db1",
                "sql", "SELECT id, name, note FROM t WHERE id <= :max ORDER BY id", "params", map("max", 2),
                "output", "t.jsonl", "format", "JSONL"));
        assertEquals("jsonl", out.get("format"));
        assertEquals(2L, out.get("rows"));
        assertEquals("{\"id\": 1, \"name\": \"a\", \"note\": null}\n{\"id\": 2, \"name\": \"b c\", \"note\": \"x,y\"}\n",
                read(out.get("output")));
    }

    @Test
    void extractUnsupportedFormatAsTheReference() {
        StepFailedException e = assertThrows(StepFailedException.class, () -> ctx("db_extract", map("resource", "db1",
                "sql", "SELECT 1", "output", "x.xml", "format", "XML")).run(new DbExtractStep()));
        assertTrue(e.getMessage().contains("Unsupported format: xml"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("job/artifacts/x.xml")));
    }

    @Test
    void requiredInputsAndBadSql() {
        StepInputException missing = assertThrows(StepInputException.class,
                () -> ctx("db_extract", map("resource", "db1")).run(new DbExtractStep()));
        assertTrue(missing.getMessage().contains("sql") && missing.getMessage().contains("output"), missing.getMessage());
        StepFailedException bad = assertThrows(StepFailedException.class, () -> ctx("db_extract_stream",
                map("resource", "db1", "sql", "SELEKT nonsense", "output", "bad.csv")).run(new DbExtractStreamStep()));
        assertTrue(bad.getMessage().startsWith("db_extract_stream: query on resource 'db1' failed: "), bad.getMessage());
        assertFalse(bad.getMessage().contains("\n"), bad.getMessage());
        assertFalse(Files.exists(dir.resolve("job/artifacts/bad.csv")));
        assertFalse(Files.exists(dir.resolve("job/artifacts/bad.csv.tmp")));
        StepFailedException unknown = assertThrows(StepFailedException.class, () -> ctx("db_extract",
                map("resource", "nope", "sql", "SELECT 1", "output", "x.tsv")).run(new DbExtractStep()));
        assertTrue(unknown.getMessage().contains("Unknown resource: nope"), unknown.getMessage());
    }

    @Test
    void aResourceOfAnotherKindIsNoDatabase() {
        FakeStepContext c = FakeStepContext.at(dir.resolve("job")).stepType("db_fetch_small")
                .inputs(map("resource", "api", "sql", "SELECT 1"))
                .resource("api", "rest", "httpx", Map.of("base_url", "http://127.0.0.1:9"), Map.of(),
                        new HttpConnectorFactory());
        contexts.add(c);
        StepFailedException e = assertThrows(StepFailedException.class, () -> c.run(new DbFetchSmallStep()));
        assertEquals("db_fetch_small: resource 'api' (kind=rest driver=httpx) is no database: DB-Connector does "
                + "not have built-in fetchmany! Use a resource of kind db", e.getMessage());
    }

    // ---- db_fetch_small ----

    @Test
    void fetchSmallOutputs() throws Exception {
        Map<String, Object> out = run(new DbFetchSmallStep(), "db_fetch_small",
                map("resource", "db1", "sql", "SELECT id, name, note, price FROM t ORDER BY id", "max_rows", 3));
        assertEquals(List.of("id", "name", "note", "price"), out.get("columns"));
        assertEquals(3, out.get("row_count"));
        assertEquals(java.util.Arrays.asList(1L, "a", null, 2.5), ((List<?>) out.get("rows")).get(0));
        assertEquals("[\"id\", \"name\", \"note\", \"price\"]", out.get("columns_json"));
        assertEquals("[[1, \"a\", null, 2.5], [2, \"b c\", \"x,y\", 10.0], [3, \"Grüße\", \"\", 1e+16]]",
                out.get("rows_json"));
        assertEquals(map("id", "int", "name", "string", "note", "string", "price", "float"), out.get("dtypes"));
        assertEquals("{\"id\": \"int\", \"name\": \"string\", \"note\": \"string\", \"price\": \"float\"}",
                out.get("dtypes_json"));
    }

    @Test
    void fetchSmallKeepsOneInstancePerRepeatedShortTextOfAColumn() throws Exception {
        Map<String, Object> out = run(new DbFetchSmallStep(), "db_fetch_small", map("resource", "db1",
                "sql", "SELECT 'north' AS region, 'north' AS other FROM t UNION ALL SELECT 'north', 'north' FROM t"));
        List<?> rows = (List<?>) out.get("rows");
        assertTrue(rows.size() > 2);
        Object first = ((List<?>) rows.get(0)).get(0);
        for (Object r : rows) {
            assertSame(first, ((List<?>) r).get(0)); // the driver made a new String per value
            assertEquals("north", ((List<?>) r).get(1));
        }
        DbFetchSmallStep.SharedTexts texts = new DbFetchSmallStep.SharedTexts();
        String longText = "x".repeat(DbFetchSmallStep.SharedTexts.MAX_LENGTH + 1);
        texts.share(0, longText);
        assertNotSame(longText, texts.share(0, new String(longText))); // long texts are not remembered
        String a = texts.share(0, "a");
        assertSame(a, texts.share(0, new String("a")));
        assertNotSame(a, texts.share(1, new String("a"))); // per column
    }

    @Test
    void fetchSmallMaxRowsGuardExactMessage() {
        StepFailedException e = assertThrows(StepFailedException.class, () -> ctx("db_fetch_small",
                map("resource", "db1", "sql", "SELECT * FROM t", "max_rows", 2, "fetch_size", 1))
                .run(new DbFetchSmallStep()));
        assertEquals("db_fetch_small exceeded max_rows=2. Use db_extract_stream for large results.", e.getMessage());
    }

    @Test
    void fetchSmallDatesAndDecimalsAsJson() throws Exception {
        Map<String, Object> out = run(new DbFetchSmallStep(), "db_fetch_small", map("resource", "db1",
                "sql", "SELECT CAST(1.25 AS NUMERIC(10,2)) AS amount, DATE('2024-01-02') AS day, X'61270062' AS b "
                        + "FROM kv LIMIT 1"));
        assertEquals(1, out.get("row_count"));
        // Python: repr(b"a'\x00b") == 'b"a\'\\x00b"'
        assertEquals("[[1.25, \"2024-01-02\", \"b\\\"a'\\\\x00b\\\"\"]]", out.get("rows_json"));
        assertEquals("b\"a'\\x00b\"", ((List<?>) ((List<?>) out.get("rows")).get(0)).get(2));
    }

    // ---- db_extract_stream ----

    @Test
    void streamTsvHeaderRowCountAndSha256() throws Exception {
        Map<String, Object> out = run(new DbExtractStreamStep(), "db_extract_stream",
                map("resource", "db1", "sql", "SELECT id, v FROM kv ORDER BY id", "output", "kv.tsv"));
        String text = read(out.get("artifact_path"));
        assertEquals("id\tv\n1\ta\n2\tb\n3\tc\n", text);
        assertEquals(3L, out.get("row_count"));
        assertEquals("tsv", out.get("format"));
        assertEquals(List.of("id", "v"), out.get("columns"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8))), out.get("sha256"));
        assertFalse(out.containsKey("dtypes"));
        Map<String, Object> noHeader = run(new DbExtractStreamStep(), "db_extract_stream", map("resource", "db1",
                "sql", "SELECT id, v FROM kv ORDER BY id", "output", "kv2.tsv", "include_header", false));
        assertEquals("1\ta\n2\tb\n3\tc\n", read(noHeader.get("artifact_path")));
        assertEquals(3L, noHeader.get("row_count"));
    }

    @Test
    void streamCsvDialectPinned() throws Exception {
        Map<String, Object> out = run(new DbExtractStreamStep(), "db_extract_stream", map("resource", "db1",
                "sql", "SELECT id, v FROM kv ORDER BY id", "output", "kv.csv", "format", "csv",
                "file", map("delimiter", "|", "linefeed", "\r\n")));
        assertEquals("id|v\r\n1|a\r\n2|b\r\n3|c\r\n", read(out.get("artifact_path")));
        Map<String, Object> quoted = run(new DbExtractStreamStep(), "db_extract_stream", map("resource", "db1",
                "sql", "SELECT name, note FROM t ORDER BY id", "output", "t.csv", "format", "csv", "quoting", "all"));
        assertEquals("\"name\",\"note\"\n\"a\",\"\"\n\"b c\",\"x,y\"\n\"Grüße\",\"\"\n", read(quoted.get("artifact_path")));
        Map<String, Object> escaped = run(new DbExtractStreamStep(), "db_extract_stream", map("resource", "db1",
                "sql", "SELECT note FROM t WHERE id = 2", "output", "e.csv", "format", "csv", "quoting", "none",
                "escapechar", "\\", "include_header", false));
        assertEquals("x\\,y\n", read(escaped.get("artifact_path")));
    }

    @Test
    void streamFailureRemovesTempAndKeepsOldOutput() throws Exception {
        Path target = dir.resolve("job/artifacts/keep.csv");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "old");
        StepFailedException e = assertThrows(StepFailedException.class, () -> ctx("db_extract_stream",
                map("resource", "db1", "sql", "SELECT id, note FROM t ORDER BY id", "output", "keep.csv", "format", "csv",
                        "quoting", "none")).run(new DbExtractStreamStep()));
        assertEquals("db_extract_stream: row 2: need to escape, but no escapechar set (set escapechar, or use another "
                + "quoting)", e.getMessage());
        assertEquals("old", Files.readString(target));
        assertFalse(Files.exists(dir.resolve("job/artifacts/keep.csv.tmp")));
    }

    @Test
    void streamUnsupportedFormatAndDtypesNotAMap() {
        StepFailedException f = assertThrows(StepFailedException.class, () -> ctx("db_extract_stream",
                map("resource", "db1", "sql", "SELECT 1", "output", "x.xlsx", "format", "xlsx"))
                .run(new DbExtractStreamStep()));
        assertTrue(f.getMessage().startsWith("db_extract_stream unsupported format: xlsx"), f.getMessage());
        for (Object bad : List.of("[1, 2]", 5, List.of("id"))) {
            StepInputException d = assertThrows(StepInputException.class, () -> ctx("db_extract_stream",
                    map("resource", "db1", "sql", "SELECT 1", "output", "x.tsv", "dtypes", bad))
                    .run(new DbExtractStreamStep()));
            assertTrue(d.getMessage().contains("dtypes must be a dict (mapping column -> type)"), d.getMessage());
        }
    }

    @Test
    void emitDtypesInferredAndExplicitWins() throws Exception {
        Map<String, Object> out = run(new DbExtractStreamStep(), "db_extract_stream", map("resource", "db1",
                "sql", "SELECT id, v FROM kv", "output", "d.tsv", "emit_dtypes", true));
        assertEquals(map("id", "int", "v", "string"), out.get("dtypes"));
        assertEquals("{\"id\": \"int\", \"v\": \"string\"}", out.get("dtypes_json"));
        Map<String, Object> explicit = run(new DbExtractStreamStep(), "db_extract_stream", map("resource", "db1",
                "sql", "SELECT id, v FROM kv", "output", "d2.tsv", "emit_dtypes", true,
                "dtypes_json", "{\"id\": \"string\", \"v\": \"string\"}"));
        assertEquals(map("id", "string", "v", "string"), explicit.get("dtypes"));
    }

    @Test
    void streamParquetTypesInferredAndReadBack() throws Exception {
        Map<String, Object> out = run(new DbExtractStreamStep(), "db_extract_stream", map("resource", "db1",
                "sql", "SELECT id, name, price FROM t ORDER BY id", "output", "t.parquet", "format", "parquet",
                "fetch_size", 2));
        Path f = Path.of((String) out.get("artifact_path"));
        assertEquals(3L, out.get("row_count"));
        Map<String, String> schema = ParquetSinkTest.schema(f);
        assertEquals("optional int64 id", schema.get("id"));
        assertEquals("optional binary name (STRING)", schema.get("name"));
        assertEquals("optional double price", schema.get("price"));
        List<Map<String, Object>> rows = ParquetSinkTest.read(f);
        assertEquals(3L, rows.get(2).get("id"));
        assertEquals("Grüße", rows.get(2).get("name"));
        assertEquals(1e16, rows.get(2).get("price"));
        Map<String, Object> typed = run(new DbExtractStreamStep(), "db_extract_stream", map("resource", "db1",
                "sql", "SELECT id, note FROM t ORDER BY id", "output", "t2.parquet", "format", "parquet",
                "dtypes", map("id", "string")));
        Path f2 = Path.of((String) typed.get("artifact_path"));
        assertEquals("optional binary id (STRING)", ParquetSinkTest.schema(f2).get("id"));
        StepFailedException e = assertThrows(StepFailedException.class, () -> ctx("db_extract_stream", map(
                "resource", "db1", "sql", "SELECT note FROM t ORDER BY id", "output", "t3.parquet", "format", "parquet",
                "dtypes", map("note", "int"))).run(new DbExtractStreamStep()));
        assertTrue(e.getMessage().contains("row 2 column 'note' (dtype int): cannot store 'x,y'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("job/artifacts/t3.parquet.tmp")));
    }

    // ---- validation ----

    /** Collects issues as the engine's validator would report them. */
    static final class Checks implements InputChecks {
        final List<String> errors = new ArrayList<>();
        final Map<String, String> resources;

        Checks(Map<String, String> resources) {
            this.resources = resources;
        }

        @Override
        public void error(String code, String loc, String message) {
            errors.add(code + " @" + loc + ": " + message);
        }

        @Override
        public void warning(String code, String loc, String message) {
        }

        @Override
        public void checkNestedStep(String loc, Map<String, Object> stepSpec) {
        }

        @Override
        public Optional<Map<String, String>> declaredResources() {
            return Optional.ofNullable(resources);
        }
    }

    @Test
    void validationChecksTheResourceAndFormat() {
        Checks c = new Checks(Map.of("db1", "db", "api", "rest"));
        new DbExtractStep().checkInputs(map("resource", "db1", "sql", "x", "output", "o"), c);
        assertEquals(List.of(), c.errors);
        new DbExtractStep().checkInputs(map("resource", "dbx", "sql", "x", "output", "o", "format", "xml"), c);
        new DbFetchSmallStep().checkInputs(map("resource", "api", "sql", "x"), c);
        new DbExtractStreamStep().checkInputs(map("resource", "{{env.R}}", "sql", "x", "format", "orc", "dtypes", 5), c);
        assertEquals(List.of(
                "semantic:unknown_resource @inputs.resource: db_extract inputs.resource 'dbx' is not declared: add it "
                        + "under resources: (kind: db) or fix the name; declared: [api, db1]",
                "semantic:db_extract_format @inputs.format: Unsupported format: xml (db_extract writes tsv or jsonl)",
                "semantic:db_resource_kind @inputs.resource: db_fetch_small inputs.resource 'api' is a resource of "
                        + "kind rest: name a resource of kind db",
                "semantic:db_extract_stream_format @inputs.format: db_extract_stream unsupported format: orc (use tsv, "
                        + "csv or parquet)",
                "semantic:db_extract_stream_dtypes @inputs.dtypes: dtypes must be a dict (mapping column -> type)"),
                c.errors);
        Checks unknown = new Checks(null);
        new DbExtractStep().checkInputs(map("resource", "dbx"), unknown);
        assertEquals(List.of(), unknown.errors);
    }
}
