package io.aetherflow.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictInputsTest {

    private static StepInputs in(Map<String, Object> m) {
        return new StrictInputs("job 'j' step 's' (t)", m);
    }

    @Test
    void booleansAreStrict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", "yes");
        m.put("b", "FALSE");
        m.put("c", 1L);
        m.put("d", true);
        m.put("e", "false ");
        StepInputs i = in(m);
        assertTrue(i.bool("a", false));
        assertFalse(i.bool("b", true));
        assertTrue(i.bool("c", false));
        assertTrue(i.bool("d", false));
        assertFalse(i.bool("e", true));
        assertTrue(i.bool("missing", true));
    }

    @Test
    void theStringFalseNeverCountsAsTrueAndJunkIsAnError() {
        StepInputException e = assertThrows(StepInputException.class, () -> in(Map.of("shell", "maybe")).bool("shell",
                false));
        assertEquals("job 'j' step 's' (t): input 'shell' must be a boolean (true/false/yes/no/1/0), got 'maybe'",
                e.getMessage());
        assertThrows(StepInputException.class, () -> in(Map.of("x", 2L)).bool("x", false));
    }

    @Test
    void numbersAcceptNumericStringsOnly() {
        StepInputs i = in(Map.of("n", "42", "d", 1.5, "w", 3.0, "bad", "4x"));
        assertEquals(42L, i.integer("n", 0));
        assertEquals(3L, i.integer("w", 0));
        assertEquals(1.5, i.number("d", 0));
        StepInputException e = assertThrows(StepInputException.class, () -> i.integer("bad", 0));
        assertTrue(e.getMessage().contains("input 'bad' must be an integer, got '4x'"), e.getMessage());
        assertThrows(StepInputException.class, () -> i.integer("d", 0));
    }

    @Test
    void sectionsCarryTheirPathIntoMessages() {
        StepInputs log = in(Map.of("log", Map.of("max_capture_kb", "lots"))).section("log");
        StepInputException e = assertThrows(StepInputException.class, () -> log.integer("max_capture_kb", 1));
        assertTrue(e.getMessage().contains("'log.max_capture_kb'"), e.getMessage());
        assertTrue(in(Map.of()).section("retry").asMap().isEmpty());
        assertThrows(StepInputException.class, () -> in(Map.of("log", "x")).section("log"));
    }

    @Test
    void listsWrapScalarsAndRequireReportsAllMissing() {
        StepInputs i = in(Map.of("one", "a", "many", List.of(1, 2)));
        assertEquals(List.of("a"), i.list("one"));
        assertEquals(List.of(1, 2), i.list("many"));
        assertEquals(List.of(), i.list("none"));
        StepInputException e = assertThrows(StepInputException.class, () -> i.require("one", "x", "y"));
        assertTrue(e.getMessage().endsWith("missing required input(s) [x, y]"), e.getMessage());
    }

    @Test
    void stringsConvertScalarsButNotCollections() {
        StepInputs i = in(Map.of("n", 5L, "m", Map.of()));
        assertEquals("5", i.string("n"));
        assertThrows(StepInputException.class, () -> i.string("m"));
        assertThrows(StepInputException.class, () -> i.string("absent"));
        assertEquals("d", i.optString("absent", "d"));
    }
}
