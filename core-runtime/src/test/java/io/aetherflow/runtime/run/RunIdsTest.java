package io.aetherflow.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.runtime.UserError;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void newRunIdsAreTwelveLowercaseHexCharactersAndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        int[] perChar = new int[16];
        for (int i = 0; i < 2000; i++) {
            String id = RunIds.newRunId();
            assertTrue(id.matches("[0-9a-f]{12}"), id);
            assertTrue(seen.add(id), "repeated run id " + id);
            for (char c : id.toCharArray()) {
                perChar[Character.digit(c, 16)]++;
            }
        }
        // 24,000 random nibbles: every hex digit appears (expected 1,500 each), both halves of each byte used
        for (int d = 0; d < 16; d++) {
            assertTrue(perChar[d] > 1000 && perChar[d] < 2000, "digit " + Integer.toHexString(d) + ": " + perChar[d]);
        }
    }

    @Test
    void aRunIdMustBeOneSafePathSegment() {
        assertEquals("nightly-1", RunIds.checkSegment("--run-id", "nightly-1"));
        UserError e = assertThrows(UserError.class, () -> RunIds.checkSegment("--run-id", "../x"));
        assertEquals(io.aetherflow.launch.ExitCodes.INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith("--run-id '../x' is not a safe id"), e.getMessage());
    }
}
