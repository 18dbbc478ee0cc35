package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With HOME unset, bin/aetherflow and the launcher use a private per-user cache, never the shared /tmp/.cache. */
class CacheDirIT {

    private static final Path SHARED = Path.of("/tmp/.cache/aetherflow");

    @TempDir
    Path tmp;

    private static List<Path> writtenSince(Path dir, FileTime since) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> {
                try {
                    return Files.getLastModifiedTime(p).compareTo(since) >= 0;
                } catch (java.io.IOException e) {
                    return false;
                }
            }).toList();
        }
    }

    @Test
    void withoutHomeTheCacheIsPrivatePerUser() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.remove("HOME");
        env.remove("AETHERFLOW_CACHE_HOME");
        env.remove("XDG_CACHE_HOME");
        env.put("TMPDIR", tmp.toString());
        FileTime start = FileTime.fromMillis(System.currentTimeMillis() - 1000);
        for (int i = 0; i < 2; i++) { // JDK 17/18 dump the archive at exit; the next start moves it into place
            Result r = Aetherflow.run(tmp, env, "version");
            assertEquals(0, r.exit(), r.toString());
        }
        Path cache = tmp.resolve("aetherflow-cache-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        try (Stream<Path> s = Files.list(cache.resolve("cds"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".jsa")), "no class-data archive in " + cache);
        }
        // `version` needs no framework; validate does
        Path empty = Aetherflow.write(tmp.resolve("empty.yaml"), "version: 1\nflow:\n  id: nothing\njobs:\n"
                + "  - id: main\n    steps: []\n");
        Result validate = Aetherflow.run(tmp, env, "validate", "--flow-yaml", empty.toString());
        assertEquals(0, validate.exit(), validate.toString());
        assertTrue(Files.isDirectory(cache.resolve("felix")), "the launcher's cache is there too");
        assertEquals(List.of(), writtenSince(SHARED, start), "written under the shared " + SHARED);
        assertFalse(Files.exists(tmp.resolve(".cache")), "a .cache directory under TMPDIR");
    }
}
