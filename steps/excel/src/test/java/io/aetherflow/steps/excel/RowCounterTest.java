package io.aetherflow.steps.excel;

import static io.aetherflow.steps.excel.Books.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aetherflow.api.step.StepFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row counting for report regions (catalog §9.5.5). */
class RowCounterTest {

    @TempDir
    Path dir;

    CsvOptions opts(Object... kv) {
        return CsvOptions.of(Target.list("t", List.of(map(kv))).get(0), "csv");
    }

    long count(String content, boolean header, String mode, CsvOptions o) throws Exception {
        Path p = Files.writeString(dir.resolve("f.csv"), content);
        return RowCounter.count("t", p, "csv", header, mode, o);
    }

    @Test
    void pinnedMultiLineField() throws Exception {
        String s = "a,b\n1,\"hello\nworld\"\n";
        assertEquals(1, count(s, true, "csv_parse", opts()));
        assertNotEquals(1, count(s, true, "fast", opts()));
        assertEquals(2, count(s, true, "fast", opts()));
    }

    @Test
    void fastCountsTheLinefeedAndAnUnterminatedLastLine() throws Exception {
        assertEquals(2, count("h\n1\n2", true, "fast", opts()));
        assertEquals(2, count("h\n1\n2\n", true, "fast", opts()));
        assertEquals(0, count("", true, "fast", opts()));
        assertEquals(0, count("h", true, "fast", opts()));
        assertEquals(3, count("h\r\n1\r\n2\r\n", false, "fast", opts("linefeed", "\r\n")));
        // a multi-byte linefeed split across the 64 KiB read buffer
        String big = "x".repeat(65_535) + "\r\n" + "y\r\n";
        assertEquals(2, count(big, false, "fast", opts("linefeed", "\r\n")));
    }

    @Test
    void countingErrors() throws Exception {
        Path p = Files.write(dir.resolve("w.csv"), "a\n1\n".getBytes(StandardCharsets.UTF_16));
        assertEquals("fast row counting does not support utf-16/utf-32; use count_mode=csv_parse",
                assertThrows(StepFailedException.class, () -> RowCounter.count("t", p, "csv", true, "fast",
                        opts("encoding", "utf-16"))).getMessage());
        assertEquals(1, RowCounter.count("t", p, "csv", true, "csv_parse", opts("encoding", "utf-16")));
        assertEquals("linefeed must be non-empty", assertThrows(StepFailedException.class,
                () -> count("a\n", true, "fast", opts("linefeed", ""))).getMessage());
        assertEquals("Unsupported count_mode for CSV/TSV: x", assertThrows(StepFailedException.class,
                () -> count("a\n", true, "x", opts())).getMessage());
        assertEquals("Unsupported format for fast_count_rows: parquet", assertThrows(StepFailedException.class,
                () -> RowCounter.count("t", p, "parquet", true, "fast", opts())).getMessage());
    }
}
