package io.aetherflow.steps.excel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Type casting rules (catalog §9.5.6). */
class CastingTest {

    @Test
    void schemaRulesFallBackToText() {
        List<String> cols = List.of("i", "f", "b", "d", "t", "s", "u", "missing");
        Map<String, String> schema = Map.of("i", "int", "f", "float", "b", "bool", "d", "date", "t", "datetime",
                "s", "string", "u", "uuid");
        assertEquals(Arrays.asList(12L, 1.5, true, LocalDate.of(2026, 2, 8), LocalDateTime.of(2026, 2, 8, 10, 30),
                "x", "y", "z"), Casting.row(List.of(" 12 ", "1.5", "Yes", "2026-02-08", "2026-02-08T10:30:00Z", "x", "y",
                        "z"), cols, "schema", schema));
        assertEquals(Arrays.asList("1.5", "abc", "maybe", "08/02/2026", "later", null, 7L, null),
                Casting.row(Arrays.asList("1.5", "abc", "maybe", "08/02/2026", "later", "", 7L, null),
                        List.of("i", "f", "b", "d", "t", "s", "u", "x"), "schema", schema));
        List<Object> row = List.of("1", "2");
        assertEquals(row, Casting.row(row, null, "schema", schema));
        assertEquals(row, Casting.row(row, cols, "none", schema));
    }

    @Test
    void basicRules() {
        assertEquals(Arrays.asList(true, false, true, 42L, "007", 1.5, 1e3, LocalDateTime.of(2026, 2, 8, 0, 0),
                LocalDateTime.of(2026, 2, 8, 9, 5), "hello", null),
                Casting.row(Arrays.asList("1", "False", "true", "42", "007", "1.5", "1e3", "2026-02-08",
                        "2026-02-08 09:05", "hello", ""), null, "basic", Map.of()));
        assertEquals("1.5f", Casting.basic("1.5f"));
        assertEquals("0x1p3", Casting.basic("0x1p3"));
    }
}
