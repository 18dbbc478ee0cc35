package io.aetherflow.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SafeIdsTest {

    @Test
    void idsOfNormalFlowsAreSafe() {
        for (String id : List.of("a", "sales_daily", "export-2024.01", "v1.2", "A9", "-x", ".hidden", "a..b", "grüße",
                "with space", "x".repeat(128))) {
            assertNull(SafeIds.problem(id), id);
        }
    }

    @Test
    void pathTricksAndControlCharactersAreNot() {
        for (String id : List.of("", ".", "..", "../../..", "/abs/path", "a/b", "a\\b", "..\\x", "a\nb", "a\0b", "\t",
                "x\u007f", "x\u0085", "x\u2028", "x".repeat(129))) {
            assertFalse(SafeIds.safe(id), id);
        }
        assertFalse(SafeIds.safe(null));
        assertEquals("is 5000000 characters long (at most 128)", SafeIds.problem("a".repeat(5_000_000)));
        // 128 characters but 384 bytes in UTF-8: too long for one file name on most file systems
        assertTrue(SafeIds.problem("€".repeat(128)).contains("255 bytes"));
    }

    @Test
    void shownLeavesSafeIdsAloneAndQuotesTheRest() {
        assertEquals("job_1", SafeIds.shown("job_1"));
        assertEquals("'a\\nb'", SafeIds.shown("a\nb"));
    }
}
