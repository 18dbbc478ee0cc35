package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvSnapshotTest {

    @TempDir
    Path cwd;

    @Test
    void osEnvThenEnvFilesInOrderLaterWins() throws Exception {
        Files.writeString(cwd.resolve("first.env"), "SHARED=first\nONLY_FIRST=1\nHOME=/from/file\n");
        Files.createDirectories(cwd.resolve("conf"));
        Files.writeString(cwd.resolve("conf/second.json"), "{\"SHARED\": \"second\"}");
        Map<String, String> os = new HashMap<>();
        os.put("HOME", "/home/u");
        os.put("SHARED", "os");
        os.put("AETHERFLOW_ENV_FILES_JSON", "[{\"type\": \"dotenv\", \"path\": \"first.env\"},"
                + " {\"type\": \"json\", \"path\": \"conf/second.json\"},"
                + " {\"type\": \"dotenv\", \"path\": \"missing.env\", \"optional\": true}]");
        Map<String, String> before = Map.copyOf(os);

        Map<String, String> snap = EnvSnapshot.build(os, cwd);

        assertEquals("second", snap.get("SHARED"));
        assertEquals("1", snap.get("ONLY_FIRST"));
        assertEquals("/from/file", snap.get("HOME"));
        assertEquals(before, os, "the OS environment map must not change");
        assertThrows(UnsupportedOperationException.class, () -> snap.put("X", "y"));
    }

    @Test
    void withoutEnvFilesTheSnapshotIsTheOsEnv() {
        Map<String, String> snap = EnvSnapshot.build(Map.of("A", "1"), cwd);
        assertEquals(Map.of("A", "1"), snap);
    }

    @Test
    void brokenListFailsTheBuild() {
        assertThrows(EnvFileException.class,
                () -> EnvSnapshot.build(Map.of("AETHERFLOW_ENV_FILES_JSON", "{}"), cwd));
        assertThrows(EnvFileException.class, () -> EnvSnapshot.build(
                Map.of("AETHERFLOW_ENV_FILES_JSON", "[{\"type\": \"dotenv\", \"path\": \"nope.env\"}]"), cwd));
    }

    @Test
    void overlayReplacesKeys() {
        Map<String, String> base = new java.util.LinkedHashMap<>();
        base.put("A", "1");
        base.put("B", "2");
        Map<String, String> out = EnvSnapshot.overlay(base, Map.of("B", "3", "C", "4"));
        assertEquals(Map.of("A", "1", "B", "3", "C", "4"), out);
        assertFalse(out.containsValue("2"));
        assertEquals(List.of("A", "B", "C"), List.copyOf(out.keySet()));
        assertEquals("2", base.get("B"), "the base map is not modified");
    }
}
