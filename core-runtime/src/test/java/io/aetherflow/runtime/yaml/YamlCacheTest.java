package io.aetherflow.runtime.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.runtime.LazyMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlCacheTest {

    private static final String SET = "9455e063e13f993a6343092e6205f105d46fea579b6791033d24e2cb446be644";

    @TempDir
    Path dir;

    private Path flow(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** Same values (and the same Java types, recursively), the same positions, file and source. */
    private static void assertSame(LoadedYaml expected, LoadedYaml actual) {
        assertEquals(expected.data(), actual.data());
        assertEquals(types(expected.data()), types(actual.data()));
        assertEquals(expected.positions(), actual.positions());
        assertEquals(expected.file(), actual.file());
        assertEquals(expected.source(), actual.source());
    }

    private static List<String> types(Object v) {
        List<String> out = new ArrayList<>();
        walk(v, out);
        return out;
    }

    private static void walk(Object v, List<String> out) {
        out.add(v == null ? "null" : v.getClass().getName());
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                out.add(String.valueOf(k));
                walk(x, out);
            });
        } else if (v instanceof List<?> l) {
            l.forEach(x -> walk(x, out));
        }
    }

    @Test
    void aSecondLoadOfTheSameBytesIsAnsweredByTheRecordWithTheSameResult() throws Exception {
        Path f = flow("flow.yaml", """
                version: 1
                flow: {id: demo, "a.b": x}
                a: {b: ambiguous with "a.b" above}
                jobs:
                  - id: main
                    steps:
                      - id: s1
                        type: external.process
                        inputs:
                          command: ["echo", "héllo 🌍 {{env.USER:world}}", '\\ud800']
                          n: 123456789012345678901234567890
                          small: -42
                          f: -0.0
                          nan: .nan
                          inf: -.inf
                          yes: true
                          no: False
                          nothing: ~
                          empty: {}
                          none: []
                          "": empty key
                      - {id: s2, type: check_items, inputs: {items: [a, [b, [c]]]}}
                """);
        YamlCache cache = YamlCache.in(dir.resolve("cache"), SET);
        LoadedYaml fresh = YamlLoader.load(f);
        LoadedYaml first = YamlLoader.load(f, cache);
        assertSame(fresh, first);
        Path record = cache.recordOf(f);
        assertTrue(Files.isRegularFile(record), "recorded");
        assertEquals(dir.resolve("cache").resolve("flow-cache").resolve(SET.substring(0, 16)), record.getParent());

        LoadedYaml hit = cache.read(f, Files.readAllBytes(f), f.toString());
        assertNotNull(hit, "answered by the record");
        assertSame(fresh, hit);
        assertSame(fresh, YamlLoader.load(f, cache));
        try (Stream<Path> s = Files.list(record.getParent())) {
            assertEquals(List.of(record), s.toList(), "no temp files left");
        }
    }

    @Test
    void theHashOfTheBytesLoadedComesWithTheDocumentParsedOrFromTheRecord() throws Exception {
        Path f = flow("flow.yaml", "version: 1\nflow: {id: demo}\njobs: []\n");
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(f)));
        YamlCache cache = YamlCache.in(dir.resolve("cache"), SET);
        assertEquals(expected, YamlLoader.load(f, YamlCache.NONE).sha256(), "parsed without a cache");
        assertEquals(expected, YamlLoader.load(f, cache).sha256(), "parsed and recorded");
        LoadedYaml hit = cache.read(f, Files.readAllBytes(f), f.toString());
        assertNotNull(hit);
        assertEquals(expected, hit.sha256(), "from the record");
        assertNull(YamlLoader.load(f).sha256(), "a plain load hashes nothing");
    }

    @Test
    void aRecordDecodesItsPositionsOnlyWhenOneIsAskedFor() throws Exception {
        Path f = flow("flow.yaml", "a:\n  b: [x, {c: 1}]\nd: 2\n");
        YamlCache cache = YamlCache.in(dir.resolve("cache"), SET);
        LoadedYaml fresh = YamlLoader.load(f, cache);
        LoadedYaml hit = cache.read(f, Files.readAllBytes(f), f.toString());
        assertNotNull(hit);
        LazyMap<?, ?> lazy = assertInstanceOf(LazyMap.class, hit.positions());
        assertFalse(lazy.isBuilt(), "a load that asks for no position decodes none");
        assertEquals(fresh.data(), hit.data());
        assertEquals(new LoadedYaml.Position(2, 11), hit.position("a.b[1].c"));
        assertTrue(lazy.isBuilt());
        assertEquals(fresh.positions(), hit.positions());
        assertEquals(fresh.position("a.b[1].c.zz"), hit.position("a.b[1].c.zz"), "nearest parent");
        assertThrows(UnsupportedOperationException.class, () -> hit.positions().put("x", null));
    }

    @Test
    void aChangedFileIsParsedAgainAndItsRecordReplaced() throws Exception {
        Path f = flow("flow.yaml", "a: 1\n");
        YamlCache cache = YamlCache.in(dir.resolve("cache"), SET);
        YamlLoader.load(f, cache);
        flow("flow.yaml", "a: 2\n"); // same size, other bytes
        assertNull(cache.read(f, Files.readAllBytes(f), f.toString()));
        assertEquals(Map.of("a", 2L), YamlLoader.load(f, cache).data());
        assertEquals(Map.of("a", 2L), cache.read(f, Files.readAllBytes(f), f.toString()).data());
    }

    @Test
    void documentsWithAliasesOrMergeKeysAreNotRecorded() throws Exception {
        YamlCache cache = YamlCache.in(dir.resolve("cache"), SET);
        Path alias = flow("alias.yaml", "base: &b {x: 1}\ncopy: *b\n");
        Path merge = flow("merge.yaml", "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n");
        assertSame(YamlLoader.load(alias), YamlLoader.load(alias, cache));
        assertSame(YamlLoader.load(merge), YamlLoader.load(merge, cache));
        assertFalse(Files.exists(cache.recordOf(alias)));
        assertFalse(Files.exists(cache.recordOf(merge)));
    }

    @Test
    void badFilesFailAsWithoutTheCacheAndDamagedRecordsAreIgnored() throws Exception {
        YamlCache cache = YamlCache.in(dir.resolve("cache"), SET);
        Path bad = flow("bad.yaml", "a: [1, 2\n");
        YamlLoadException plain = assertThrows(YamlLoadException.class, () -> YamlLoader.load(bad));
        YamlLoadException cached = assertThrows(YamlLoadException.class, () -> YamlLoader.load(bad, cache));
        assertEquals(plain.getMessage(), cached.getMessage());
        assertFalse(Files.exists(cache.recordOf(bad)));

        Path f = flow("flow.yaml", "jobs: [{id: a}]\n");
        LoadedYaml fresh = YamlLoader.load(f);
        YamlLoader.load(f, cache);
        Path record = cache.recordOf(f);
        byte[] good = Files.readAllBytes(record);
        for (int cut : new int[] {0, 3, 9, good.length - 1}) {
            Files.write(record, java.util.Arrays.copyOf(good, cut));
            assertNull(cache.read(f, Files.readAllBytes(f), f.toString()), "truncated at " + cut);
            assertSame(fresh, YamlLoader.load(f, cache)); // parsed, and recorded again
        }
        byte[] flipped = good.clone();
        flipped[flipped.length - 9] ^= 0x7f; // inside the last position
        Files.write(record, flipped);
        assertNull(cache.read(f, Files.readAllBytes(f), f.toString()), "a damaged record is detected");
        assertSame(fresh, YamlLoader.load(f, cache));
        // a record with a valid CRC whose values decode but whose first position does not (line 0):
        // refused when read, not when a message asks for the position later
        byte[] source = Files.readAllBytes(f);
        byte[] forged = Files.readAllBytes(record);
        int tree = 4 + 4 + source.length + 32 + 1 + 4;
        int firstPosition = tree + 1 + 4 + 1 + 4 + "jobs".length();
        assertEquals(1, java.nio.ByteBuffer.wrap(forged, firstPosition, 4).getInt(), "line of 'jobs'");
        java.nio.ByteBuffer.wrap(forged, firstPosition, 4).putInt(0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(forged, 0, forged.length - 4);
        java.nio.ByteBuffer.wrap(forged, forged.length - 4, 4).putInt((int) crc.getValue());
        Files.write(record, forged);
        assertNull(cache.read(f, source, f.toString()), "a record with an impossible position is refused at once");
        // and one whose position count is larger than its keys and items (it would size a map from it)
        forged = good.clone();
        java.nio.ByteBuffer.wrap(forged, tree - 4, 4).putInt(Integer.MAX_VALUE);
        crc.reset();
        crc.update(forged, 0, forged.length - 4);
        java.nio.ByteBuffer.wrap(forged, forged.length - 4, 4).putInt((int) crc.getValue());
        Files.write(record, forged);
        assertNull(cache.read(f, source, f.toString()), "a record with an impossible position count is refused");
        Files.write(record, good);
        assertEquals(fresh.data(), cache.read(f, source, f.toString()).data(), "the good record still reads");
    }

    @Test
    void aNewPluginSetDeletesTheRecordsOfSetsUnusedForThirtyDays() throws Exception {
        Path root = dir.resolve("cache").resolve("flow-cache");
        Path old = Files.createDirectories(root.resolve("0000000000000000"));
        Files.writeString(old.resolve("x.bin"), "old");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - YamlCache.STALE.toMillis() - 60_000));
        Path recent = Files.createDirectories(root.resolve("1111111111111111"));
        YamlLoader.load(flow("flow.yaml", "a: 1\n"), YamlCache.in(dir.resolve("cache"), SET));
        assertFalse(Files.exists(old));
        assertTrue(Files.isDirectory(recent));
        assertTrue(Files.isDirectory(root.resolve(SET.substring(0, 16))));
    }

    @Test
    void noCacheWithoutAPluginSetOrDirectory() throws Exception {
        assertFalse(YamlCache.in(null, SET).enabled());
        assertFalse(YamlCache.in(dir, null).enabled());
        assertFalse(YamlCache.in(dir, "../x").enabled());
        Path f = flow("flow.yaml", "a: 1\n");
        assertEquals(Map.of("a", 1L), YamlLoader.load(f, YamlCache.NONE).data());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }
}
