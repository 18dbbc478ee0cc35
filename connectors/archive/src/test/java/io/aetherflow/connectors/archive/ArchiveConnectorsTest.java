package io.aetherflow.connectors.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.ArchiveConnector;
import io.aetherflow.api.connector.archive.Compression;
import io.aetherflow.api.connector.archive.ZipCreated;
import io.aetherflow.api.connector.archive.ZipExtracted;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive drivers on real archives and, for os/external, the real zip and unzip tools. */
class ArchiveConnectorsTest {

    @TempDir
    Path tmp;

    Path base;

    @BeforeEach
    void files() throws IOException {
        base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("a.txt"), "alpha\n");
        Files.createDirectories(base.resolve("sub/deeper"));
        Files.writeString(base.resolve("sub/b.csv"), "x,y\n1,2\n");
        Files.writeString(base.resolve("sub/deeper/c.bin"), "gamma".repeat(1000));
    }

    static ArchiveConnector connector(String driver, Map<String, Object> config, Map<String, Object> options) {
        ConnectorConfig cfg = new ConnectorConfig("arc", "archive", driver, config, options);
        return (ArchiveConnector) switch (driver) {
            case "zip", "zipfile" -> new ZipDriverFactory().create(cfg);
            case "aes", "pyzipper", "pyminizip" -> new AesDriverFactory().create(cfg);
            case "os" -> new OsDriverFactory().create(cfg);
            default -> new ExternalDriverFactory().create(cfg);
        };
    }

    static ArchiveConnector connector(String driver) {
        return connector(driver, Map.of(), Map.of());
    }

    List<Path> all() {
        return List.of(base.resolve("a.txt"), base.resolve("sub/b.csv"), base.resolve("sub/deeper/c.bin"));
    }

    void assertSameTree(Path dest) throws IOException {
        assertEquals("alpha\n", Files.readString(dest.resolve("a.txt")));
        assertEquals("x,y\n1,2\n", Files.readString(dest.resolve("sub/b.csv")));
        assertEquals("gamma".repeat(1000), Files.readString(dest.resolve("sub/deeper/c.bin")));
    }

    static List<String> names(Path zip) throws IOException {
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            return Collections.list(z.getEntries()).stream().map(ZipArchiveEntry::getName).sorted().toList();
        }
    }

    @Test
    void zipDriverRoundTripWithPosixNamesAndAtomicOutput() throws Exception {
        Path out = tmp.resolve("out/data.zip");
        ZipCreated c = connector("zipfile").createZip(out, all(), base, null, Compression.DEFLATED, true);
        assertEquals(Map.of("output", out.toString(), "count", 3, "password", false, "driver", "zipfile"), c.toOutput());
        assertEquals(List.of("a.txt", "sub/b.csv", "sub/deeper/c.bin"), names(out));
        assertFalse(Files.exists(tmp.resolve("out/data.zip.tmp")), "temp file renamed away");

        Path dest = tmp.resolve("dest");
        ZipExtracted x = connector("zip").extractZip(out, dest, null, true, null);
        assertSameTree(dest);
        assertEquals(List.of("a.txt", "sub/b.csv", "sub/deeper/c.bin"), x.files());
        assertEquals(dest, x.destDir());
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(2, s.count(), "no staging directory left behind");
        }
    }

    @Test
    void storedCompressionWritesStoredEntries() throws Exception {
        Path out = tmp.resolve("stored.zip");
        connector("zip").createZip(out, all(), base, null, Compression.STORED, true);
        try (ZipFile z = ZipFile.builder().setPath(out).get()) {
            assertEquals(ZipArchiveEntry.STORED, z.getEntry("sub/deeper/c.bin").getMethod());
        }
        Path small = tmp.resolve("aes-stored.zip");
        connector("aes").createZip(small, all(), base, "pw", Compression.STORED, true);
        connector("aes").extractZip(small, tmp.resolve("d2"), "pw", true, null);
        assertSameTree(tmp.resolve("d2"));
    }

    @Test
    void fileOutsideBaseDirIsRefusedWithTheCatalogMessage() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "x");
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector("zip")
                .createZip(tmp.resolve("o.zip"), List.of(outside), base, null, Compression.DEFLATED, true));
        assertEquals("File '" + outside + "' is outside base_dir '" + base + "'", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o.zip")));
    }

    @Test
    void existingOutputNeedsOverwrite() throws Exception {
        Path out = Files.writeString(tmp.resolve("keep.zip"), "old");
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector("zip")
                .createZip(out, all(), base, null, Compression.DEFLATED, false));
        assertTrue(e.getMessage().contains("exists and overwrite is false"), e.getMessage());
        assertEquals("old", Files.readString(out));
        connector("zip").createZip(out, all(), base, null, Compression.DEFLATED, true);
        assertEquals(3, names(out).size());
    }

    @Test
    void zipDriverCannotWriteEncryptedZips() {
        ConnectorException e = assertThrows(ConnectorException.class, () -> connector("zipfile")
                .createZip(tmp.resolve("e.zip"), all(), base, "secret-pw", Compression.DEFLATED, true));
        assertTrue(e.getMessage().startsWith("archive.zipfile does not support writing encrypted ZIPs."), e.getMessage());
        assertFalse(e.getMessage().contains("secret-pw"));
        assertFalse(Files.exists(tmp.resolve("e.zip.tmp")));
    }

    @Test
    void aesRoundTripIsReallyEncryptedAndRefusesAWrongPassword() throws Exception {
        Path out = tmp.resolve("secret.zip");
        ZipCreated c = connector("pyzipper").createZip(out, all(), base, "s3cret-Pw", Compression.DEFLATED, true);
        assertTrue(c.password());
        try (ZipFile z = ZipFile.builder().setPath(out).get()) {
            for (ZipArchiveEntry e : Collections.list(z.getEntries())) {
                assertTrue(e.getGeneralPurposeBit().usesEncryption(), e.getName());
                assertEquals(99, e.getMethod(), "AES marker method 99 for " + e.getName());
            }
        }
        assertFalse(new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1).contains("gammagamma"));

        Path dest = tmp.resolve("dest");
        ZipExtracted x = connector("aes").extractZip(out, dest, "s3cret-Pw", true, null);
        assertSameTree(dest);
        assertTrue(x.password());

        ConnectorException wrong = assertThrows(ConnectorException.class,
                () -> connector("aes").extractZip(out, tmp.resolve("bad"), "wrong-pw", true, null));
        assertTrue(wrong.getMessage().contains("wrong password for archive " + out), wrong.getMessage());
        assertFalse(Files.exists(tmp.resolve("bad/a.txt")));

        ConnectorException none = assertThrows(ConnectorException.class,
                () -> connector("zip").extractZip(out, tmp.resolve("none"), null, true, null));
        assertTrue(none.getMessage().contains("is encrypted; set inputs.password"), none.getMessage());
        // the Commons Compress driver reads it too when given the password
        connector("zip").extractZip(out, tmp.resolve("via-zip"), "s3cret-Pw", true, null);
        assertSameTree(tmp.resolve("via-zip"));
    }

    @Test
    void aesStrengthsAndConfigChecks() throws Exception {
        for (String s : List.of("128", "256")) {
            Path out = tmp.resolve("k" + s + ".zip");
            connector("aes", Map.of("aes_strength", s), Map.of()).createZip(out, all(), base, "pw", Compression.DEFLATED, true);
            connector("aes").extractZip(out, tmp.resolve("d" + s), "pw", true, null);
            assertSameTree(tmp.resolve("d" + s));
        }
        ConnectorException k192 = assertThrows(ConnectorException.class,
                () -> connector("aes", Map.of("aes_strength", 192), Map.of()));
        assertTrue(k192.getMessage().contains("aes_strength 192 cannot be written"), k192.getMessage());
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector("pyzipper", Map.of("aes_strength", 512), Map.of()));
        assertTrue(e.getMessage().startsWith("archive.pyzipper config.aes_strength must be 128/192/256"), e.getMessage());
        ConnectorException m = assertThrows(ConnectorException.class, () -> connector("pyminizip")
                .createZip(tmp.resolve("p.zip"), all(), base, null, Compression.DEFLATED, true));
        assertEquals("archive.pyminizip is intended for encrypted zips; set inputs.password", m.getMessage());
    }

    @Test
    void membersSubsetAndOverwriteFalseKeepsExistingFiles() throws Exception {
        Path out = tmp.resolve("m.zip");
        connector("zip").createZip(out, all(), base, null, Compression.DEFLATED, true);
        Path dest = Files.createDirectories(tmp.resolve("dest/sub"));
        Files.writeString(dest.resolve("b.csv"), "mine");
        ZipExtracted x = connector("zip").extractZip(out, tmp.resolve("dest"), null, false,
                List.of("sub/b.csv", "a.txt"));
        assertEquals(List.of("a.txt"), x.files(), "existing sub/b.csv kept and not listed");
        assertEquals("mine", Files.readString(dest.resolve("b.csv")));
        assertFalse(Files.exists(tmp.resolve("dest/sub/deeper")));
        connector("zip").extractZip(out, tmp.resolve("dest"), null, true, List.of("sub/b.csv"));
        assertEquals("x,y\n1,2\n", Files.readString(dest.resolve("b.csv")));

        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector("zip").extractZip(out, tmp.resolve("dest"), null, true, List.of("nope.txt")));
        assertTrue(e.getMessage().contains("members [nope.txt] are not in archive"), e.getMessage());
    }

    /** Writes a zip whose entries are given raw (name, content, unix mode or 0). */
    Path hostile(String file, Object... nameContentMode) throws IOException {
        Path out = tmp.resolve(file);
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
            for (int i = 0; i < nameContentMode.length; i += 3) {
                ZipArchiveEntry e = new ZipArchiveEntry((String) nameContentMode[i]);
                int mode = (Integer) nameContentMode[i + 2];
                if (mode != 0) {
                    e.setUnixMode(mode);
                }
                z.putArchiveEntry(e);
                z.write(((String) nameContentMode[i + 1]).getBytes(StandardCharsets.UTF_8));
                z.closeArchiveEntry();
            }
        }
        return out;
    }

    @Test
    void zipSlipAbsoluteAndSymlinkEntriesAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path slip = hostile("slip.zip", "ok.txt", "fine", 0, "../../evil.txt", "pwned", 0);
        Path abs = hostile("abs.zip", "ok.txt", "fine", 0, tmp.resolve("abs-evil.txt").toString(), "pwned", 0);
        Path drive = hostile("drive.zip", "C:\\Windows\\evil.txt", "pwned", 0);
        Path link = hostile("link.zip", "ok.txt", "fine", 0, "passwd", "/etc/passwd", 0120777);
        for (String driver : List.of("zip", "aes", "os")) {
            if (driver.equals("os") && !tools()) {
                continue;
            }
            for (Path bad : List.of(slip, abs, drive, link)) {
                Path dest = tmp.resolve("dest-" + driver + "-" + bad.getFileName());
                ConnectorException e = assertThrows(ConnectorException.class,
                        () -> connector(driver).extractZip(bad, dest, null, true, null), driver + " " + bad);
                assertTrue(e.getMessage().contains("refused"), e.getMessage());
                assertTrue(e.getMessage().contains(bad == link ? "symbolic link" : "zip-slip"), e.getMessage());
                assertFalse(Files.exists(dest.resolve("ok.txt")), "nothing extracted by " + driver);
                try (Stream<Path> s = Files.list(dest)) {
                    assertEquals(0, s.count(), "no staging left by " + driver);
                }
            }
        }
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        assertFalse(Files.exists(tmp.resolve("abs-evil.txt")));
    }

    @Test
    void extractionThroughALinkInsideTheDestinationIsRefused() throws Exception {
        Path out = tmp.resolve("n.zip");
        connector("zip").createZip(out, all(), base, null, Compression.DEFLATED, true);
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(dest.resolve("sub"), elsewhere);
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector("zip").extractZip(out, dest, null, true, null));
        assertTrue(e.getMessage().contains("is a symbolic link inside the destination"), e.getMessage());
        try (Stream<Path> s = Files.list(elsewhere)) {
            assertEquals(0, s.count(), "nothing written through the link");
        }
    }

    Path zeros(String file, int bytes) throws IOException {
        Path out = tmp.resolve(file);
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
            z.putArchiveEntry(new ZipArchiveEntry("zeros.bin"));
            byte[] block = new byte[64 * 1024];
            for (int n = 0; n < bytes; n += block.length) {
                z.write(block, 0, Math.min(block.length, bytes - n));
            }
            z.closeArchiveEntry();
        }
        return out;
    }

    @Test
    void zipBombsAreRefusedByRatioAndBySize() throws Exception {
        Path bomb = zeros("bomb.zip", 32 * 1024 * 1024);
        assertTrue(Files.size(bomb) < 100_000, "32 MiB of zeros deflate to " + Files.size(bomb));
        for (String driver : List.of("zip", "aes", "os")) {
            if (driver.equals("os") && !tools()) {
                continue;
            }
            Path dest = tmp.resolve("b-" + driver);
            ConnectorException e = assertThrows(ConnectorException.class,
                    () -> connector(driver).extractZip(bomb, dest, null, true, null));
            assertTrue(e.getMessage().contains("possible zip bomb") && e.getMessage().contains("max_ratio 200"),
                    e.getMessage());
            assertFalse(Files.exists(dest.resolve("zeros.bin")));
        }
        // a higher ratio lets it through; a total size limit below its size does not
        connector("zip", Map.of(), Map.of("max_ratio", 100000)).extractZip(bomb, tmp.resolve("ok"), null, true, null);
        assertEquals(32 * 1024 * 1024, Files.size(tmp.resolve("ok/zeros.bin")));
        ConnectorException size = assertThrows(ConnectorException.class, () -> connector("zip", Map.of(),
                Map.of("max_ratio", 100000, "max_total_bytes", 1024 * 1024)).extractZip(bomb, tmp.resolve("s"), null, true, null));
        assertTrue(size.getMessage().contains("max_total_bytes 1048576"), size.getMessage());
        ConnectorException entries = assertThrows(ConnectorException.class, () -> connector("zip", Map.of(),
                Map.of("max_entries", 2)).extractZip(hostile("many.zip", "1", "a", 0, "2", "b", 0, "3", "c", 0),
                        tmp.resolve("e"), null, true, null));
        assertTrue(entries.getMessage().contains("3 entries (max_entries 2)"), entries.getMessage());
    }

    @Test
    void aBombThatUnderstatesItsSizeIsStoppedWhileInflating() throws Exception {
        Path bomb = zeros("liar.zip", 8 * 1024 * 1024);
        // rewrite the declared uncompressed size (local and central headers) to 1000 bytes
        byte[] b = Files.readAllBytes(bomb);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int i = 0; i + 4 <= b.length; i++) {
            int sig = buf.getInt(i);
            if (sig == 0x04034b50 && buf.getInt(i + 22) == 8 * 1024 * 1024) {
                buf.putInt(i + 22, 1000);
                patched++;
            } else if (sig == 0x02014b50) {
                buf.putInt(i + 24, 1000);
                patched++;
            } else if (sig == 0x08074b50 && buf.getInt(i + 12) == 8 * 1024 * 1024) {
                buf.putInt(i + 12, 1000);
                patched++;
            }
        }
        assertTrue(patched >= 2, "headers patched: " + patched);
        try (OutputStream o = Files.newOutputStream(bomb)) {
            o.write(b);
        }
        Path dest = tmp.resolve("liar");
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector("zip", Map.of(), Map.of("max_total_bytes", 4 * 1024 * 1024, "max_ratio", 100000))
                        .extractZip(bomb, dest, null, true, null));
        assertTrue(e.getMessage().contains("extracts to more than max_total_bytes 4194304"), e.getMessage());
        assertFalse(Files.exists(dest.resolve("zeros.bin")));
    }

    static boolean tools() {
        return Tool.which("zip") != null && Tool.which("unzip") != null;
    }

    @Test
    void osDriverRoundTripWithAndWithoutPassword() throws Exception {
        assumeTrue(tools(), "zip and unzip are installed by .ci/run");
        Path out = tmp.resolve("os.zip");
        ZipCreated c = connector("os").createZip(out, all(), base, null, Compression.DEFLATED, true);
        assertEquals(3, c.count());
        assertEquals(List.of("a.txt", "sub/b.csv", "sub/deeper/c.bin"), names(out));
        ZipExtracted x = connector("os").extractZip(out, tmp.resolve("d"), null, true, null);
        assertSameTree(tmp.resolve("d"));
        assertEquals(List.of("a.txt", "sub/b.csv", "sub/deeper/c.bin"), x.files());

        Path enc = tmp.resolve("os-enc.zip");
        connector("os").createZip(enc, all(), base, "tool-Pw", Compression.STORED, true);
        connector("os").extractZip(enc, tmp.resolve("d2"), "tool-Pw", true, null);
        assertSameTree(tmp.resolve("d2"));
        // ZipCrypto written by zip is read by the Commons Compress driver through zip4j
        connector("zip").extractZip(enc, tmp.resolve("d3"), "tool-Pw", true, null);
        assertSameTree(tmp.resolve("d3"));
        ConnectorException wrong = assertThrows(ConnectorException.class,
                () -> connector("os").extractZip(enc, tmp.resolve("d4"), "nope", true, null));
        assertTrue(wrong.getMessage().contains("wrong password"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("tool-Pw"));
        ConnectorException none = assertThrows(ConnectorException.class,
                () -> connector("os").extractZip(enc, tmp.resolve("d5"), null, true, null));
        assertTrue(none.getMessage().contains("is encrypted"), none.getMessage());
    }

    @Test
    void osDriverNeedsItsTools() {
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector("os", Map.of("zip_cmd", "no-such-zip-tool"), Map.of()));
        assertTrue(e.getMessage().startsWith("archive.os requires 'no-such-zip-tool' on PATH"), e.getMessage());
    }

    @Test
    void externalDriverRunsTemplatedCommands() throws Exception {
        assumeTrue(tools(), "zip and unzip are installed by .ci/run");
        Map<String, Object> cfg = Map.of(
                "zip_cmd", List.of("zip", "-q", "{archive}", "{files}"),
                "unzip_cmd", List.of("unzip", "-q", "{archive}", "-d", "{dest}"));
        Path out = tmp.resolve("ext.zip");
        ZipCreated c = connector("external", cfg, Map.of()).createZip(out, all(), base, null, Compression.DEFLATED, true);
        assertEquals("external", c.driver());
        assertEquals(List.of("a.txt", "sub/b.csv", "sub/deeper/c.bin"), names(out));
        ZipExtracted x = connector("external", cfg, Map.of()).extractZip(out, tmp.resolve("d"), null, true, null);
        assertSameTree(tmp.resolve("d"));
        assertEquals(3, x.files().size());

        ConnectorException members = assertThrows(ConnectorException.class, () -> connector("external", cfg, Map.of())
                .extractZip(out, tmp.resolve("d"), null, true, List.of("a.txt")));
        assertEquals("archive.external currently does not support 'members' extraction", members.getMessage());
        ConnectorException unknown = assertThrows(ConnectorException.class,
                () -> connector("external", Map.of("zip_cmd", List.of("7z", "a", "{target}")), Map.of()));
        assertTrue(unknown.getMessage().contains("unknown placeholder {target}"), unknown.getMessage());
        ConnectorException missing = assertThrows(ConnectorException.class, () -> connector("external")
                .createZip(tmp.resolve("x.zip"), all(), base, null, Compression.DEFLATED, true));
        assertEquals("archive.external requires config.zip_cmd (list[str])", missing.getMessage());
        // the staged extraction checks what the tool wrote: a zip-slip archive never reaches the tool
        Path slip = hostile("slip.zip", "../evil.txt", "x", 0);
        assertThrows(ConnectorException.class, () -> connector("external", cfg, Map.of())
                .extractZip(slip, tmp.resolve("d6"), null, true, null));
        assertFalse(Files.exists(tmp.resolve("evil.txt")));
        // a failing tool is an error with its output
        Map<String, Object> failing = Map.of("unzip_cmd", List.of("sh", "-c", "echo broken tool >&2; exit 3", "{archive}"));
        ConnectorException fail = assertThrows(ConnectorException.class, () -> connector("external", failing, Map.of())
                .extractZip(out, tmp.resolve("d7"), null, true, null));
        assertTrue(fail.getMessage().contains("sh exited with 3") && fail.getMessage().contains("broken tool"),
                fail.getMessage());
    }

    @Test
    void notAZipIsAClearError() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.zip"), "this is not a zip");
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> connector("zip").extractZip(junk, tmp.resolve("d"), null, true, null));
        assertTrue(e.getMessage().contains("is not a readable zip archive"), e.getMessage());
        ConnectorException missing = assertThrows(ConnectorException.class,
                () -> connector("aes").extractZip(tmp.resolve("none.zip"), tmp.resolve("d"), null, true, null));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
