package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 (4): a command that fails early (before any state is opened) never prints a Java stack
 * trace, however its background threads (the SQLite driver preload) race the framework shutdown.
 */
class EarlyErrorsIT {

    static final int RUNS = 24;

    @TempDir
    Path tmp;

    private static void assertNoStackTrace(Result r) {
        assertFalse(r.stderr().contains("Exception"), r.toString());
        assertFalse(r.stderr().contains("\tat "), r.toString());
        assertFalse(r.stderr().contains("Error:") && r.stderr().contains("java."), r.toString());
    }

    @Test
    void runOfAMissingFlowNeverPrintsAStackTrace() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        for (int i = 0; i < RUNS; i++) {
            Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", "missing.yaml");
            assertEquals(2, r.exit(), "run " + i + ": " + r);
            assertTrue(r.stderr().contains("missing.yaml"), r.toString());
            assertNoStackTrace(r);
        }
    }

    @Test
    void otherEarlyFailuresNeverPrintAStackTraceEither() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        String[][] commands = {
            {"validate", "--flow-yaml", "missing.yaml"},
            {"explain", "--flow-yaml", "missing.yaml"},
            {"run", "--flow-yaml", "missing.yaml", "--run-id", "../x"},
            {"runs", "show", "no-such-run", "--state", tmp.resolve("none.sqlite").toString()},
        };
        for (int i = 0; i < 3; i++) {
            for (String[] c : commands) {
                Result r = Aetherflow.run(tmp, env, c);
                assertTrue(r.exit() != 0, String.join(" ", c) + ": " + r);
                assertNoStackTrace(r);
            }
        }
    }
}
