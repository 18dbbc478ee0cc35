package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginLockTest {

    private static final String H1 = "a".repeat(64);
    private static final String H2 = "B".repeat(64);
    private static final Path FILE = Path.of("plugins.lock");

    private static PluginLock parse(String text) throws PluginSetException {
        return PluginLock.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String text) {
        return assertThrows(PluginSetException.class, () -> parse(text)).getMessage();
    }

    @Test
    void parsesEntriesCommentsAndSigner() throws Exception {
        PluginLock lock = parse("# header\n\n  io.a 1.0 " + H1 + " bundles/a.jar\r\n"
                + "io.b\t2.1.3.RC1\t" + H2 + "\tplugin-path:b.jar\t" + H1 + "\n");
        assertEquals(2, lock.bundles().size());
        LockedBundle a = lock.bundles().get(0);
        assertEquals(new LockedBundle("io.a", "1.0.0", H1, "bundles/a.jar", null), a);
        LockedBundle b = lock.bundles().get(1);
        assertEquals("2.1.3.RC1", b.version());
        assertEquals("b".repeat(64), b.sha256(), "hex is normalised to lower case");
        assertEquals("plugin-path:b.jar", b.fileName());
        assertEquals(H1, b.signerSha256());
    }

    @Test
    void hashIsOfTheSetNotOfTheText() throws Exception {
        String a = "io.a 1.0.0 " + H1 + " bundles/a.jar\n";
        String b = "io.b 2.0 " + H2 + " plugin-path:b.jar " + H1 + "\n";
        String hash = parse(a + b).sha256();
        assertEquals(64, hash.length());
        // comments (the generator line of plugins add/remove), blank lines, spacing, order, case of hex, 2.0 vs 2.0.0
        assertEquals(hash, parse("# AetherFlow plugin lock (written by plugins remove)\n\n"
                + b.replace(" ", "\t").replace("2.0", "2.0.0").replace(H2, H2.toLowerCase()) + "   " + a).sha256());
        assertEquals(hash, PluginLock.setHash(parse(a + b).bundles()));
        assertEquals(hash, parse(PluginLock.format(parse(a + b).bundles(), "test")).sha256());
        // any change to an entry changes it
        for (String other : List.of(a.replace("1.0.0", "1.0.1"), a.replace(H1, "c".repeat(64)),
                a.replace("bundles/a.jar", "bundles/a2.jar"), a.replace("io.a", "io.a2"),
                a.replace("\n", " " + H2 + "\n"))) {
            assertNotEquals(hash, parse(other + b).sha256(), other);
        }
        assertNotEquals(hash, parse(a).sha256());
    }

    @Test
    void readRemembersTheSetHashNotAnOlderByteDigest(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path lock = java.nio.file.Files.writeString(dir.resolve("plugins.lock"), "# one\nio.a 1.0.0 " + H1 + " bundles/a.jar\n");
        Path cache = dir.resolve("hashes.txt");
        // an older launcher remembered the file's byte digest under the lock's path
        JarHashes old = JarHashes.open(cache);
        assertEquals(Sha256.hex(java.nio.file.Files.readAllBytes(lock)), old.read(lock).sha256());
        old.save();
        String expected = parse("io.a 1.0.0 " + H1 + " bundles/a.jar\n").sha256();
        JarHashes cold = JarHashes.open(cache);
        assertEquals(expected, PluginLock.read(lock, cold).sha256());
        cold.save();
        assertEquals(expected, PluginLock.read(lock, JarHashes.open(cache)).sha256(), "warm: remembered");
        java.nio.file.Files.writeString(lock, "# two\nio.a 1.0.0 " + H1 + " bundles/a.jar\n");
        assertEquals(expected, PluginLock.read(lock, JarHashes.open(cache)).sha256(), "comment changed: same set");
    }

    @Test
    void badLinesNameFileLineAndReason() {
        assertEquals("plugins.lock:2: expected 'symbolic-name version sha256 path [signer-sha256]', found 3 fields;"
                + " fix or regenerate the lock", error("# c\nio.a 1.0.0 " + H1 + "\n"));
        assertTrue(error("io.a 1.0.0 " + H1 + " bundles/a.jar " + H1 + " extra\n").contains("found 6 fields"));
        assertTrue(error("io.a 1.x.0 " + H1 + " bundles/a.jar\n").startsWith("plugins.lock:1: '1.x.0' is not an OSGi version"));
        assertTrue(error("io.a 1.0.0 abc bundles/a.jar\n").contains("sha256 of io.a must be 64 hex digits"));
        assertTrue(error("io.a 1.0.0 " + H1 + " bundles/a.jar zz\n").contains("signer fingerprint of io.a"));
        assertTrue(error("-bad 1.0.0 " + H1 + " bundles/a.jar\n").contains("not a bundle symbolic name"));
    }

    @Test
    void pathsStayInsideTheInstallation() {
        assertTrue(error("io.a 1 " + H1 + " /opt/a.jar\n").contains("must be relative to the installation home"));
        assertTrue(error("io.a 1 " + H1 + " bundles/../../a.jar\n").contains("'..'"));
        assertTrue(error("io.a 1 " + H1 + " C:\\a.jar\n").contains("must be relative"));
        assertTrue(error("io.a 1 " + H1 + " plugin-path:dir/a.jar\n").contains("plugin-path:<file name>"));
    }

    @Test
    void duplicatesAreRefused() {
        assertEquals("plugins.lock:2: io.a 1.0.0 is already locked on line 1",
                error("io.a 1.0.0 " + H1 + " bundles/a.jar\nio.a 1.0 " + H1 + " bundles/a2.jar\n"));
        assertEquals("plugins.lock:2: path bundles/a.jar is already used on line 1",
                error("io.a 1.0.0 " + H1 + " bundles/a.jar\nio.b 1.0 " + H1 + " bundles/a.jar\n"));
    }

    @Test
    void sameNameInTwoVersionsIsAllowed() throws Exception {
        assertEquals(2, parse("io.a 1.0.0 " + H1 + " bundles/a1.jar\nio.a 2.0.0 " + H1 + " bundles/a2.jar\n")
                .bundles().size());
    }

    @Test
    void formatIsSortedAlignedAndParsesBack() throws Exception {
        List<LockedBundle> in = List.of(
                new LockedBundle("io.zz", "1.0.0", H1, "bundles/zz.jar", null),
                new LockedBundle("io.a", "10.0.0", H1, "bundles/a10.jar", "c".repeat(64)),
                new LockedBundle("io.a", "9.0.0", H1, "bundles/a9.jar", null));
        String text = PluginLock.format(in, "test");
        assertTrue(text.startsWith("# AetherFlow plugin lock, format 1 (written by test)."), text);
        List<LockedBundle> back = parse(text).bundles();
        assertEquals(List.of(in.get(2), in.get(1), in.get(0)), back, "sorted by name, then version numerically");
        for (String line : text.split("\n")) {
            assertEquals(line.stripTrailing(), line, "no trailing blanks: " + line);
        }
        assertNull(back.get(0).signerSha256());
    }
}
