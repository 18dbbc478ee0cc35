package io.aetherflow.steps.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import blue.strategic.parquet.Hydrator;
import blue.strategic.parquet.ParquetReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet schema of §9.2.3 and the value conversions, read back with parquet-java (parquet-floor). */
class ParquetSinkTest {

    @TempDir
    Path dir;

    /** Reads every row as column name to value. */
    static List<Map<String, Object>> read(Path file) throws Exception {
        Hydrator<Map<String, Object>, Map<String, Object>, String[]> h = new Hydrator<>() {
            @Override
            public Map<String, Object> start() {
                return new HashMap<>();
            }

            @Override
            public Map<String, Object> add(Map<String, Object> target, String[] heading, Object value) {
                target.put(heading[0], value);
                return target;
            }

            @Override
            public Map<String, Object> finish(Map<String, Object> target) {
                return target;
            }
        };
        try (Stream<Map<String, Object>> s = ParquetReader.streamContent(file.toFile(), h)) {
            return s.collect(Collectors.toList());
        }
    }

    /** @return column name to its Parquet type text, e.g. {@code optional int64 id} */
    static Map<String, String> schema(Path file) throws Exception {
        ParquetMetadata md = ParquetReader.readMetadata(file.toFile());
        Map<String, String> m = new HashMap<>();
        md.getFileMetaData().getSchema().getFields().forEach(f -> m.put(f.getName(), f.toString()));
        return m;
    }

    @Test
    void schemaFromDtypesAndValuesRoundTrip() throws Exception {
        Path f = dir.resolve("t.parquet");
        List<String> cols = List.of("id", "price", "ok", "day", "at", "name", "other");
        Map<String, String> dtypes = Map.of("id", "int", "price", "float", "ok", "bool", "day", "date",
                "at", "datetime", "name", "string");
        try (ParquetSink sink = new ParquetSink(f, cols, dtypes)) {
            sink.write(new Object[] {1L, new BigDecimal("2.50"), true, LocalDate.of(2024, 1, 2),
                LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_000_000), "Grüße", 7L});
            // empty strings are null in non-string columns; strings are parsed where the dtype says so
            sink.write(new Object[] {"", "", "", "", "", "", null});
            sink.write(new Object[] {"42", "1.5", "false", "2023-12-31", "2023-12-31 23:59:59", 12L, "x"});
        }
        Map<String, String> s = schema(f);
        assertEquals("optional int64 id", s.get("id"));
        assertEquals("optional double price", s.get("price"));
        assertEquals("optional boolean ok", s.get("ok"));
        assertEquals("optional int32 day (DATE)", s.get("day"));
        assertEquals("optional int64 at (TIMESTAMP(MILLIS,false))", s.get("at"));
        assertEquals("optional binary name (STRING)", s.get("name"));
        assertEquals("optional binary other (STRING)", s.get("other"));
        ParquetMetadata md = ParquetReader.readMetadata(f.toFile());
        assertEquals(CompressionCodecName.SNAPPY, md.getBlocks().get(0).getColumns().get(0).getCodec());

        List<Map<String, Object>> rows = read(f);
        assertEquals(3, rows.size());
        Map<String, Object> r0 = rows.get(0);
        assertEquals(1L, r0.get("id"));
        assertEquals(2.5, r0.get("price"));
        assertEquals(true, r0.get("ok"));
        assertEquals((int) LocalDate.of(2024, 1, 2).toEpochDay(), r0.get("day"));
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_000_000).toInstant(java.time.ZoneOffset.UTC)
                .toEpochMilli(), r0.get("at"));
        assertEquals("Grüße", r0.get("name"));
        assertEquals("7", r0.get("other"));
        Map<String, Object> r1 = rows.get(1);
        for (String c : List.of("id", "price", "ok", "day", "at", "other")) {
            assertEquals(null, r1.get(c), c);
        }
        assertEquals("", r1.get("name"));
        Map<String, Object> r2 = rows.get(2);
        assertEquals(42L, r2.get("id"));
        assertEquals(false, r2.get("ok"));
        assertEquals((int) LocalDate.of(2023, 12, 31).toEpochDay(), r2.get("day"));
        assertEquals("12", r2.get("name"));
    }

    @Test
    void aValueThatDoesNotFitNamesRowAndColumn() throws Exception {
        Path f = dir.resolve("bad.parquet");
        try (ParquetSink sink = new ParquetSink(f, List.of("id"), Map.of("id", "int"))) {
            sink.write(new Object[] {1L});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sink.write(new Object[] {"abc"}));
            assertEquals("row 2 column 'id' (dtype int): cannot store 'abc'; fix the dtypes input or cast the "
                    + "column in the SQL", e.getMessage());
        }
        assertTrue(read(f).size() <= 1);
    }

    @Test
    void manyRowsSpanPages() throws Exception {
        Path f = dir.resolve("many.parquet");
        List<Object[]> expected = new ArrayList<>();
        try (ParquetSink sink = new ParquetSink(f, List.of("n", "s"), Map.of("n", "int"))) {
            for (long i = 0; i < 50_000; i++) {
                Object[] r = {i, "row " + i};
                expected.add(r);
                sink.write(r);
            }
        }
        List<Map<String, Object>> rows = read(f);
        assertEquals(50_000, rows.size());
        assertEquals(49_999L, rows.get(49_999).get("n"));
        assertEquals("row 12345", rows.get(12_345).get("s"));
    }
}
