package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarHashesTest {

    @TempDir
    Path tmp;

    @Test
    void remembersDigestsByFileIdentity() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "content-1");
        Path cache = tmp.resolve("cache/hashes.txt");
        JarHashes first = JarHashes.open(cache);
        assertEquals(Sha256.hex("content-1"), first.sha256(jar));
        first.save();
        assertTrue(Files.readString(cache).contains(jar.toString()));

        // prove the second launch does not read the jar: plant a different digest for the same stamp
        String planted = "f".repeat(64);
        Files.writeString(cache, Files.readString(cache).replace(Sha256.hex("content-1"), planted));
        assertEquals(planted, JarHashes.open(cache).sha256(jar));
    }

    @Test
    void sameSizeAndRestoredMtimeStillForceARehash() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "content-1");
        FileTime mtime = Files.getLastModifiedTime(jar);
        Path cache = tmp.resolve("hashes.txt");
        JarHashes first = JarHashes.open(cache);
        first.sha256(jar);
        first.save();
        Thread.sleep(20);
        Files.writeString(jar, "content-2");
        Files.setLastModifiedTime(jar, mtime); // a tamperer can restore mtime, not ctime
        String again = JarHashes.open(cache).sha256(jar);
        assertEquals(Sha256.hex("content-2"), again);
        assertNotEquals(Sha256.hex("content-1"), again);
    }

    @Test
    void corruptCacheIsIgnored() throws Exception {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "x");
        Path cache = Files.writeString(tmp.resolve("hashes.txt"), "garbage\n" + "a".repeat(64) + " 1 two 3 4 " + jar + "\n");
        assertEquals(Sha256.hex("x"), JarHashes.open(cache).sha256(jar));
    }

    @Test
    void smallFilesAreReadWithARememberedDigest() throws Exception {
        Path lock = Files.writeString(tmp.resolve("plugins.lock"), "lock-1");
        Path cache = tmp.resolve("hashes.txt");
        JarHashes first = JarHashes.open(cache);
        JarHashes.Content c = first.read(lock);
        assertEquals("lock-1", new String(c.bytes()));
        assertEquals(Sha256.hex("lock-1"), c.sha256());
        first.save();
        String planted = "e".repeat(64);
        Files.writeString(cache, Files.readString(cache).replace(Sha256.hex("lock-1"), planted));
        assertEquals(planted, JarHashes.open(cache).read(lock).sha256(), "unchanged file: remembered digest");
        Files.writeString(lock, "lock-2");
        assertEquals(Sha256.hex("lock-2"), JarHashes.open(cache).read(lock).sha256(), "changed file: fresh digest");
    }
}
