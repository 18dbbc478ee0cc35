package io.aetherflow.runtime.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.spec.Issue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlLoaderTest {

    @TempDir
    Path dir;

    private static Object data(String yaml) {
        return YamlLoader.loadString(yaml, "t.yaml").data();
    }

    private static YamlLoadException fails(String yaml) {
        return assertThrows(YamlLoadException.class, () -> YamlLoader.loadString(yaml, "t.yaml"));
    }

    @Test
    void scalarsBecomePlainJavaValues() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) data("""
                s: text
                q: "123"
                i: 42
                neg: -7
                hex: 0x1F
                big: 123456789012345678901234567890
                f: 1.5
                inf: .inf
                b: true
                B: False
                n: null
                t: ~
                e:
                list: [1, two, 3.0]
                nested: {a: {b: c}}
                """);
        assertEquals("text", m.get("s"));
        assertEquals("123", m.get("q"));
        assertEquals(42L, m.get("i"));
        assertEquals(-7L, m.get("neg"));
        assertEquals(31L, m.get("hex"));
        assertEquals(new BigInteger("123456789012345678901234567890"), m.get("big"));
        assertEquals(1.5, m.get("f"));
        assertEquals(Double.POSITIVE_INFINITY, m.get("inf"));
        assertEquals(true, m.get("b"));
        assertEquals(false, m.get("B"));
        assertNull(m.get("n"));
        assertTrue(m.containsKey("t") && m.get("t") == null && m.containsKey("e") && m.get("e") == null);
        assertEquals(List.of(1L, "two", 3.0), m.get("list"));
        assertEquals(Map.of("a", Map.of("b", "c")), m.get("nested"));
        assertEquals(List.of("s", "q", "i", "neg", "hex", "big", "f", "inf", "b", "B", "n", "t", "e", "list", "nested"),
                List.copyOf(m.keySet()));
    }

    @Test
    void emptyDocumentIsEmptyMap() {
        assertEquals(Map.of(), data(""));
        assertEquals(Map.of(), data("# only a comment\n"));
        assertEquals(Map.of(), data("---\n"));
    }

    @Test
    void positionsUseCatalogLocFormat() {
        LoadedYaml y = YamlLoader.loadString("""
                flow:
                  id: demo
                jobs:
                  - id: a
                    steps:
                      - id: s1
                        type: external.process
                        inputs:
                          command: "echo hi"
                """, "flow.yaml");
        assertEquals(new LoadedYaml.Position(2, 3), y.position("flow.id"));
        assertEquals(new LoadedYaml.Position(4, 5), y.position("jobs[0]"));
        assertEquals(new LoadedYaml.Position(6, 9), y.position("jobs[0].steps[0]"));
        assertEquals(new LoadedYaml.Position(9, 11), y.position("jobs[0].steps[0].inputs.command"));
        // falls back to the nearest parent
        assertEquals(new LoadedYaml.Position(9, 11), y.position("jobs[0].steps[0].inputs.command.x[3]"));
        assertEquals(new LoadedYaml.Position(8, 9), y.position("jobs[0].steps[0].inputs.nope"));
        assertEquals(new LoadedYaml.Position(1, 1), y.position("<root>"));
        Issue i = y.issue("schema:missing", "flow.description", "Field required");
        assertEquals("flow.yaml:1:1", i.where());
        assertEquals("flow.yaml", i.file());
        assertEquals("jobs", LoadedYaml.parent("jobs[0]"));
        assertEquals("jobs[0]", LoadedYaml.parent("jobs[0].steps"));
        assertEquals("", LoadedYaml.parent("flow"));
    }

    @Test
    void malformedYamlGivesFileLineColumn() {
        YamlLoadException e = fails("flow:\n  id: x\n   bad: [\n");
        assertTrue(e.getMessage().matches("t\\.yaml:\\d+:\\d+: invalid YAML: .*"), e.getMessage());
        assertTrue(e.line() >= 3, e.getMessage());
        assertEquals(ExitCodes.INVALID, e.exitCode());
        assertTrue(!e.getMessage().contains("\n"));
        e = fails("a: b: c\n");
        assertEquals(1, e.line(), e.getMessage());
    }

    @Test
    void duplicateKeysAreRejected() {
        YamlLoadException e = fails("flow:\n  id: a\n  id: b\n");
        assertEquals("t.yaml:3:3: duplicate key 'id' (first defined at line 2); remove one of them", e.getMessage());
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            sb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                sb.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            sb.append("]\n");
            prev = c;
        }
        YamlLoadException e = fails(sb.toString());
        assertTrue(e.getMessage().contains("aliases to collections") || e.getMessage().contains("expands to more than"),
                e.getMessage());
    }

    @Test
    void expansionLimitCatchesWideAliases() {
        YamlLoader.Limits tight = new YamlLoader.Limits(50, 100, 1000, 30);
        YamlLoadException e = assertThrows(YamlLoadException.class, () -> YamlLoader.loadString(
                "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a]\n", "t", tight));
        assertTrue(e.getMessage().contains("expands to more than 30 values"), e.getMessage());
    }

    @Test
    void aliasesAndMergeKeysWork() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) data("""
                base: &base {host: h, port: 1}
                other: &other {port: 9, user: u}
                a:
                  <<: *base
                  port: 2
                b:
                  <<: [*base, *other]
                c: *base
                """);
        assertEquals(Map.of("host", "h", "port", 2L), m.get("a"));
        assertEquals(Map.of("host", "h", "port", 1L, "user", "u"), m.get("b"));
        assertEquals(Map.of("host", "h", "port", 1L), m.get("c"));
        assertTrue(m.get("c") != m.get("base"), "aliases are copied");
    }

    @Test
    void recursiveAliasIsRefused() {
        YamlLoadException e = fails("a: &a [1, *a]\n");
        assertTrue(e.getMessage().contains("recursive"), e.getMessage());
    }

    @Test
    void tooDeepNestingIsRefused() {
        String deep = "[".repeat(150) + "]".repeat(150);
        YamlLoadException e = fails(deep);
        assertTrue(e.getMessage().contains("nesting deeper than 100 levels"), e.getMessage());
        data("[".repeat(99) + "]".repeat(99));
    }

    @Test
    void hugeDocumentIsRefused() throws Exception {
        YamlLoader.Limits small = new YamlLoader.Limits(50, 100, 1024, 1000);
        String big = "k: " + "x".repeat(2000) + "\n";
        YamlLoadException e = assertThrows(YamlLoadException.class, () -> YamlLoader.loadString(big, "big", small));
        assertTrue(e.getMessage().contains("more than 1024 characters"), e.getMessage());
        Path f = dir.resolve("big.yaml");
        Files.writeString(f, "k: " + "x".repeat(5000) + "\n");
        e = assertThrows(YamlLoadException.class, () -> YamlLoader.load(f, small));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    }

    @Test
    void nonScalarKeysUnknownTagsAndMultipleDocumentsAreRefused() {
        assertTrue(fails("? [a, b]\n: c\n").getMessage().contains("mapping keys must be plain values"));
        assertTrue(fails("a: !!python/object:os.system x\n").getMessage().contains("unsupported tag"));
        assertTrue(fails("a: !custom {b: 1}\n").getMessage().contains("unsupported tag"));
        assertTrue(fails("a: 1\n---\nb: 2\n").getMessage().contains("single document"));
        assertEquals(Map.of("a", "5"), data("a: !!str 5\n"));
        assertEquals(Map.of("a", 5L), data("a: !!int \"5\"\n"));
    }

    @Test
    void filesAreReadAsUtf8() throws Exception {
        Path f = dir.resolve("f.yaml");
        Files.writeString(f, "\uFEFFname: grüße\n", StandardCharsets.UTF_8);
        LoadedYaml y = YamlLoader.load(f);
        assertEquals(Map.of("name", "grüße"), y.data());
        assertEquals(f, y.file());
        Files.write(f, new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertTrue(assertThrows(YamlLoadException.class, () -> YamlLoader.load(f)).getMessage().contains("UTF-8"));
        YamlLoadException e = assertThrows(YamlLoadException.class, () -> YamlLoader.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().endsWith("nope.yaml: no such file; check the path"), e.getMessage());
    }

    @Test
    void jsonTextLoads() {
        assertEquals(Map.of("p", Map.of("config", Map.of("x", 1L))), data("{\"p\": {\"config\": {\"x\": 1}}}"));
    }

    @Test
    void nonStringKeysUsePythonStr() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) data("1: a\ntrue: b\n");
        assertEquals(List.of("1", "True"), List.copyOf(m.keySet()));
    }

    @Test
    void invalidUtf8IsReportedWithLineColumnAndByteOffset() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.write(f, ("flow:\n  id: f\njobs:\n  - id: \"a").getBytes(StandardCharsets.UTF_8));
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 'b', '"', '\n'}, java.nio.file.StandardOpenOption.APPEND);
        YamlLoadException e = assertThrows(YamlLoadException.class, () -> YamlLoader.load(f));
        assertEquals(4, e.line(), e.getMessage());
        assertEquals(11, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ":4:11: the file is not valid UTF-8 (byte 0xff at byte offset 30)"),
                e.getMessage());
    }

    @Test
    void nulAndOtherSpecialCharactersAreReportedWithLineAndColumn() {
        YamlLoadException e = fails("a: 1\nb: \"x\u00e9\uD83D\uDE00\u0000y\"\n");
        assertEquals(2, e.line(), e.getMessage());
        assertEquals(8, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.yaml:2:8: invalid YAML: character U+0000 is not allowed in YAML (a NUL byte)"),
                e.getMessage());
        YamlLoadException c = fails("a: 1\n\u0007: 2\n");
        assertEquals(2, c.line(), c.getMessage());
        assertEquals(1, c.column(), c.getMessage());
    }

    @Test
    void aLongScalarParsesInLinearTime() {
        String id = "a".repeat(5_000_000);
        long t0 = System.nanoTime();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) data("id: \"" + id + "\"\n");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(5_000_000, ((String) m.get("id")).length());
        // was 15 s with the scanner's default 1 KiB window (quadratic copying)
        assertTrue(ms < 5_000, "took " + ms + " ms");
    }
}
