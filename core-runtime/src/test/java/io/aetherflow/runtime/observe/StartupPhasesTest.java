package io.aetherflow.runtime.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupPhasesTest {

    private static List<String> lines(Map<String, String> env) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StartupPhases phases = StartupPhases.of(env, null, err);
        phases.phase("flow file loaded");
        phases.phase("flow validated");
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void atDebugEachPhaseIsOneLineWithWallAndThreadCpuTime() {
        List<String> lines = lines(Map.of("AETHERFLOW_LOG_LEVEL", " debug "));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("aetherflow: engine: flow file loaded \\(\\d+\\.\\d ms; thread CPU \\d+\\.\\d ms\\)"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("aetherflow: engine: flow validated ("), lines.get(1));
        assertTrue(StartupPhases.of(Map.of("AETHERFLOW_LOG_LEVEL", "DEBUG"), null, System.err).enabled());
    }

    @Test
    void atAnyOtherLevelNothingIsPrinted() {
        assertEquals(List.of(), lines(Map.of()));
        assertEquals(List.of(), lines(Map.of("AETHERFLOW_LOG_LEVEL", "INFO")));
        assertFalse(StartupPhases.OFF.enabled());
    }
}
