package io.aetherflow.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesThroughTheTempFileAndCreatesParents() throws Exception {
        Path target = dir.resolve("a/b/out.txt");
        Files.createDirectories(target.getParent());
        Files.writeString(AtomicFiles.tmp(target), "stale");
        AtomicFiles.write(target, tmp -> {
            assertEquals(dir.resolve("a/b/out.txt.tmp"), tmp);
            assertFalse(Files.exists(tmp), "a stale temp file is removed first");
            assertFalse(Files.exists(target), "the target appears only after the body");
            Files.writeString(tmp, "new");
        });
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(AtomicFiles.tmp(target)));

        AtomicFiles.writeStream(dir.resolve("c/s.txt"), out -> out.write("streamed".getBytes(StandardCharsets.UTF_8)));
        assertEquals("streamed", Files.readString(dir.resolve("c/s.txt")));
    }

    @Test
    void aFailingBodyLeavesTheTargetAndNoTempFile() throws Exception {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old");
        IOException boom = new IOException("boom");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeStream(target, out -> {
            out.write(1);
            throw boom;
        }));
        assertSame(boom, e);
        assertEquals("old", Files.readString(target));
        assertFalse(Files.exists(AtomicFiles.tmp(target)));
        assertTrue(Files.isRegularFile(target));
    }
}
