package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the launcher keeps its cache: the same rule as bin/aetherflow, never a directory shared by users. */
class CacheDirsTest {

    @TempDir
    Path tmp;

    private static Object uid() throws Exception {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    @Test
    void precedence() {
        assertEquals(Path.of("/c"), CacheDirs.from(Map.of("AETHERFLOW_CACHE_HOME", "/c", "XDG_CACHE_HOME", "/x",
                "HOME", "/h"), "/pw").root());
        assertEquals(Path.of("/x/aetherflow"), CacheDirs.from(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h"), "/pw").root());
        assertEquals(Path.of("/h/.cache/aetherflow"), CacheDirs.from(Map.of("XDG_CACHE_HOME", "rel", "HOME", "/h"), "/pw")
                .root());
    }

    @Test
    void withoutHomeAPrivatePerUserDirectory() throws Exception {
        Path root = CacheDirs.from(Map.of("TMPDIR", tmp.toString()), "/pw").root();
        assertEquals(tmp.resolve("aetherflow-cache-" + uid()), root);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        // an existing one of ours is reused
        assertEquals(root, CacheDirs.from(Map.of("TMPDIR", tmp.toString(), "HOME", " "), "/pw").root());
    }

    @Test
    void aPlantedLinkIsNotUsed() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(tmp.resolve("aetherflow-cache-" + uid()), elsewhere);
        assertEquals(Path.of("/pw/.cache/aetherflow"), CacheDirs.from(Map.of("TMPDIR", tmp.toString()), "/pw").root());
        assertEquals(java.util.List.of(), java.util.Arrays.asList(elsewhere.toFile().list()), "nothing written through the link");
    }

    @Test
    void aDirectoryOfAnotherUserIsNotUsed() throws Exception {
        Path planted = Files.createDirectory(tmp.resolve("aetherflow-cache-" + uid()));
        try {
            Files.setAttribute(planted, "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("cannot chown here (needs root): " + e.getMessage());
        }
        assertEquals(Path.of("/pw/.cache/aetherflow"), CacheDirs.from(Map.of("TMPDIR", tmp.toString()), "/pw").root());
    }
}
