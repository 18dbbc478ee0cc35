package io.aetherflow.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprint is bit-exact with the reference's {@code _fingerprint} (catalog §5.5, E16). */
class FingerprintTest {

    /** Golden values computed by the reference's {@code aetherflow.core.bundles._fingerprint}. */
    @Test
    void goldenValuesOfTheReference() {
        List<BundleFile> files = List.of(
                new BundleFile("b/x.txt", null, 3L, 1733500000.123456, null),
                new BundleFile("a.yaml", null, null, null, "ab".repeat(32)),
                new BundleFile("é/\"q\"\\\n\u0001\u2028.txt", null, null, null, null),
                new BundleFile("\uD83D\uDE00", null, 5L, 1.5, null),
                new BundleFile("\uFF01", null, 0L, 0.0009, null));
        assertEquals("165458a6c0f2be01dd60ad7053ea93ad221fa0ab887962116d690a6469b78cac", Fingerprint.of(files));
        assertEquals("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", Fingerprint.of(List.of()));
    }

    @Test
    void signaturesAndPythonOrder() {
        assertEquals("sz:0|mt_ms:0", Fingerprint.signature(new BundleFile("a", null, null, null, null)));
        assertEquals("sz:7|mt_ms:1500", Fingerprint.signature(new BundleFile("a", null, 7L, 1.5, null)));
        assertEquals("sz:7|mt_ms:1500", Fingerprint.signature(new BundleFile("a", null, 7L, 1.5, "")));
        assertEquals("sha256:ff", Fingerprint.signature(new BundleFile("a", null, 7L, 1.5, "ff")));
        // U+FF01 sorts before U+1F600 by code point, after it by UTF-16 unit
        assertEquals(-1, Integer.signum(Fingerprint.CODE_POINT_ORDER.compare("\uFF01", "\uD83D\uDE00")));
        assertNotEquals(Fingerprint.of(List.of(new BundleFile("a", null, 1L, 1.0, null))),
                Fingerprint.of(List.of(new BundleFile("a", null, 1L, 1.002, null))));
    }

    /** A real tree listed by the reference's filesystem source and by ours gives the same fingerprint. */
    @Test
    void sameFingerprintAsTheReferenceForARealTree(@TempDir Path dir) throws Exception {
        assumeTrue(ReferencePython.source() != null, "the reference's source is not available here");
        Path root = dir.resolve("bundle");
        write(root.resolve("flows/main.yaml"), "version: 1\n", Instant.ofEpochSecond(1733500000, 123456789));
        write(root.resolve("profiles.yaml"), "{}\n", Instant.ofEpochSecond(1700000000, 999999999));
        write(root.resolve("plugins/x.py"), "x = 1\n", Instant.ofEpochSecond(1600000000, 1));
        write(root.resolve("deep/é ü/ñ.txt"), "unicode\n", Instant.ofEpochSecond(1500000000, 500000000));
        write(root.resolve("empty"), "", Instant.ofEpochSecond(0, 0));
        write(root.resolve("z/\uFF01"), "fullwidth\n", Instant.ofEpochSecond(1733500001, 7));
        Files.createDirectories(root.resolve("emptydir"));
        String py = ReferencePython.run("import sys\n"
                + "from aetherflow.core.bundles import _FilesystemSource, _fingerprint\n"
                + "print(_fingerprint(_FilesystemSource().list_files(sys.argv[1])))\n", root.toString());
        List<BundleFile> ours = new FilesystemSource(dir.resolve("m.yaml"), "bundle").list();
        assertEquals(6, ours.size());
        assertEquals(py, Fingerprint.of(ours));
        // the current time (full nanosecond precision) as well
        Files.writeString(root.resolve("now.txt"), "now");
        assertEquals(ReferencePython.run("import sys\n"
                + "from aetherflow.core.bundles import _FilesystemSource, _fingerprint\n"
                + "print(_fingerprint(_FilesystemSource().list_files(sys.argv[1])))\n", root.toString()),
                Fingerprint.of(new FilesystemSource(dir.resolve("m.yaml"), root.toString()).list()));
    }

    /**
     * The listing itself (order, paths, sizes, mtimes) is the reference's: path components compared
     * one by one ({@code a/c} before {@code a-b} before {@code a.b}), links to files listed with their
     * target's stat, links to directories and broken or looping links skipped, as rglob does.
     */
    @Test
    void sameListingAsTheReferenceWithLinksAndPartOrder(@TempDir Path dir) throws Exception {
        assumeTrue(ReferencePython.source() != null, "the reference's source is not available here");
        Path root = dir.resolve("bundle");
        Instant t = Instant.ofEpochSecond(1733500000, 1000000);
        write(root.resolve("a/c"), "c", t);
        write(root.resolve("a-b"), "ab", t);
        write(root.resolve("a.b"), "a.b", t);
        write(root.resolve("a0/z"), "z", t);
        write(root.resolve("real/sub/f.txt"), "file\n", Instant.ofEpochSecond(1600000000, 999999999));
        write(root.resolve("B"), "upper", t);
        write(root.resolve(".hidden/x"), "h", t);
        Files.createSymbolicLink(root.resolve("linkdir"), Path.of("real"));
        Files.createSymbolicLink(root.resolve("linkfile"), Path.of("a-b"));
        Files.createSymbolicLink(root.resolve("broken"), Path.of("nowhere"));
        Files.createSymbolicLink(root.resolve("real/up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        String py = ReferencePython.run("import sys\n"
                + "from aetherflow.core.bundles import _FilesystemSource\n"
                + "for m in _FilesystemSource().list_files(sys.argv[1]): print(m.rel_path, m.size, repr(m.mtime))\n",
                root.toString());
        StringBuilder ours = new StringBuilder();
        for (BundleFile f : new FilesystemSource(dir.resolve("m.yaml"), "bundle").list()) {
            ours.append(ours.length() == 0 ? "" : "\n").append(f.relPath()).append(' ').append(f.size()).append(' ')
                    .append(io.aetherflow.api.support.PyRepr.floatRepr(f.mtime()));
        }
        assertEquals(py, ours.toString());
        assertTrue(py.startsWith(".hidden/x 1 "), py);
        assertEquals(List.of(".hidden/x", "B", "a/c", "a-b", "a.b", "a0/z", "linkfile", "real/sub/f.txt"),
                py.lines().map(l -> l.substring(0, l.indexOf(' '))).toList());
    }

    private static void write(Path p, String text, Instant mtime) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
    }
}
