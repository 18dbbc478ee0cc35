package io.aetherflow.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path tmp;

    @Test
    void deletesATreeButNeverFollowsLinks() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path kept = Files.writeString(outside.resolve("keep.txt"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f.txt"), "x");
        Files.createSymbolicLink(tmp.resolve("tree/a/link-dir"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/link-file"), kept);

        FileTrees.delete(tmp.resolve("tree"));

        assertFalse(Files.exists(tmp.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(kept), "the link's target outside the tree is left alone");
    }

    @Test
    void deletesAFileALinkAndNothing() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        FileTrees.delete(f);
        assertFalse(Files.exists(f));

        Path target = Files.createDirectories(tmp.resolve("target"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        FileTrees.delete(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(target));

        FileTrees.delete(tmp.resolve("never-there"));
    }

    @Test
    void movesAFinishedFileOverItsTarget() throws IOException {
        Path target = Files.writeString(tmp.resolve("report.csv"), "old");
        Path part = Files.writeString(tmp.resolve(".report.csv.tmp"), "new");
        FileTrees.moveOver(part, target);
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(part));

        Path fresh = Files.writeString(tmp.resolve("fresh.tmp"), "first");
        FileTrees.moveOver(fresh, tmp.resolve("fresh.txt"));
        assertEquals("first", Files.readString(tmp.resolve("fresh.txt")));
    }
}
