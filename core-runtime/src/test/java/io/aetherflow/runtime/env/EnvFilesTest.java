package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void dotenvFollowsTheReferenceRules() throws Exception {
        write("a.env", String.join("\n",
                "# comment",
                "",
                "  PLAIN = value with spaces  ",
                "NOEQUALS",
                "DQ=\"quoted # not a comment\"",
                "SQ='single'",
                "MIXED=\"not stripped'",
                "export EXPORTED=kept-with-export",
                "URL=a=b=c",
                "=no-key",
                "EMPTY=",
                "ONEQUOTE=\"",
                "INLINE=x # y",
                "REF=$PLAIN"));
        Map<String, String> env = EnvFiles.load(List.of(new EnvFileSpec("dotenv", "a.env", false, "")), dir);
        assertEquals("value with spaces", env.get("PLAIN"));
        assertEquals("quoted # not a comment", env.get("DQ"));
        assertEquals("single", env.get("SQ"));
        assertEquals("\"not stripped'", env.get("MIXED"));
        assertEquals("kept-with-export", env.get("export EXPORTED"));
        assertEquals("a=b=c", env.get("URL"));
        assertEquals("", env.get("EMPTY"));
        assertEquals("\"", env.get("ONEQUOTE"));
        assertEquals("x # y", env.get("INLINE"));
        assertEquals("$PLAIN", env.get("REF"));
        assertFalse(env.containsKey("NOEQUALS"));
        assertFalse(env.containsKey(""));
        assertFalse(env.containsKey("# comment"));
    }

    @Test
    void dotenvHandlesCrLf() {
        assertEquals(Map.of("A", "1", "B", "2"), EnvFiles.parseDotenv("A=1\r\nB=2\r\n"));
    }

    @Test
    void jsonValuesUsePythonStr() throws Exception {
        write("e.json", "{\"S\": \"text\", \"B\": true, \"F\": false, \"I\": 42, \"D\": 1.5, \"BIG\": 1e20,"
                + " \"SMALL\": 0.00001, \"HUNDRED\": 100.0, \"N\": null, \"M\": {\"k\": \"v\", \"u\": \"ü\"},"
                + " \"L\": [1, \"a\"]}");
        Map<String, String> env = EnvFiles.load(List.of(new EnvFileSpec("JSON", "e.json", false, "")), dir);
        assertEquals("text", env.get("S"));
        assertEquals("True", env.get("B"));
        assertEquals("False", env.get("F"));
        assertEquals("42", env.get("I"));
        assertEquals("1.5", env.get("D"));
        assertEquals("1e+20", env.get("BIG"));
        assertEquals("1e-05", env.get("SMALL"));
        assertEquals("100.0", env.get("HUNDRED"));
        assertFalse(env.containsKey("N"));
        assertEquals("{\"k\": \"v\", \"u\": \"ü\"}", env.get("M"));
        assertEquals("[1, \"a\"]", env.get("L"));
    }

    @Test
    void pythonFloatRepr() {
        assertEquals("0.0001", io.aetherflow.api.support.PyRepr.floatRepr(0.0001));
        assertEquals("1e+16", io.aetherflow.api.support.PyRepr.floatRepr(1e16));
        assertEquals("1000000000000000.0", io.aetherflow.api.support.PyRepr.floatRepr(1e15));
        assertEquals("-2.5", io.aetherflow.api.support.PyRepr.floatRepr(-2.5));
        assertEquals("1.2345e-07", io.aetherflow.api.support.PyRepr.floatRepr(1.2345e-7));
        assertEquals("0.1", io.aetherflow.api.support.PyRepr.floatRepr(0.1));
    }

    @Test
    void jsonFileMustBeAnObject() throws Exception {
        write("list.json", "[1, 2]");
        EnvFileException e = assertThrows(EnvFileException.class,
                () -> EnvFiles.load(List.of(new EnvFileSpec("json", "list.json", false, "")), dir));
        assertTrue(e.getMessage().startsWith("json env file must be a JSON object"), e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
    }

    @Test
    void dirReadsRegularFilesSortedWithoutTrailingNewlines() throws Exception {
        write("secrets/B_KEY", "bee\n\n");
        write("secrets/A_KEY", "line1\nline2\r\n");
        write("secrets/sub/NESTED", "ignored");
        Map<String, String> env = EnvFiles.load(List.of(new EnvFileSpec(" Dir-Of-Files ", "secrets", false, "S_")), dir);
        assertEquals(List.of("S_A_KEY", "S_B_KEY"), List.copyOf(env.keySet()));
        assertEquals("line1\nline2", env.get("S_A_KEY"));
        assertEquals("bee", env.get("S_B_KEY"));
    }

    @Test
    void dirMustBeADirectory() throws Exception {
        write("plain.txt", "x");
        EnvFileException e = assertThrows(EnvFileException.class,
                () -> EnvFiles.load(List.of(new EnvFileSpec("directory", "plain.txt", false, "")), dir));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void prefixAndLaterFilesWin() throws Exception {
        write("one.env", "A=1\nB=1\n");
        write("two.env", "B=2\n");
        write("three.json", "{\"A\": \"3\"}");
        Map<String, String> env = EnvFiles.load(List.of(
                new EnvFileSpec("dotenv", "one.env", false, ""),
                new EnvFileSpec("dotenv", "two.env", false, ""),
                new EnvFileSpec("json", "three.json", false, "P_")), dir);
        assertEquals(Map.of("A", "1", "B", "2", "P_A", "3"), env);
    }

    @Test
    void optionalMissingFileIsSkippedOtherwiseError() {
        assertEquals(Map.of(), EnvFiles.load(List.of(new EnvFileSpec("dotenv", "nope.env", true, "")), dir));
        EnvFileException e = assertThrows(EnvFileException.class,
                () -> EnvFiles.load(List.of(new EnvFileSpec("dotenv", "nope.env", false, "")), dir));
        assertTrue(e.getMessage().contains(dir.resolve("nope.env").toString()), e.getMessage());
    }

    @Test
    void unsupportedType() throws Exception {
        write("a.env", "A=1");
        EnvFileException e = assertThrows(EnvFileException.class,
                () -> EnvFiles.load(List.of(new EnvFileSpec("yaml", "a.env", false, "")), dir));
        assertTrue(e.getMessage().startsWith("Unsupported env_files type: yaml"), e.getMessage());
    }

    @Test
    void parseJsonListCoercesFields() {
        List<EnvFileSpec> specs = EnvFileSpec.parseJson(
                "[{\"type\": \"dotenv\", \"path\": \"a.env\"}, {\"type\": \"json\", \"path\": 7, \"optional\": \"yes\","
                        + " \"prefix\": 1}]");
        assertEquals(List.of(new EnvFileSpec("dotenv", "a.env", false, ""), new EnvFileSpec("json", "7", true, "1")),
                specs);
    }

    @Test
    void parseJsonErrors() {
        assertEquals("AETHERFLOW_ENV_FILES_JSON must be a JSON list",
                assertThrows(EnvFileException.class, () -> EnvFileSpec.parseJson("{\"type\": \"dotenv\"}")).getMessage());
        assertTrue(assertThrows(EnvFileException.class, () -> EnvFileSpec.parseJson("[\"a.env\"]")).getMessage()
                .startsWith("env file spec must be an object"));
        assertTrue(assertThrows(EnvFileException.class, () -> EnvFileSpec.parseJson("[{\"type\": "))
                .getMessage().startsWith("AETHERFLOW_ENV_FILES_JSON: invalid JSON"));
        assertTrue(assertThrows(EnvFileException.class, () -> EnvFileSpec.parseJson("[{\"type\": \"dotenv\"}]"))
                .getMessage().contains("missing 'path'"));
        assertTrue(assertThrows(EnvFileException.class,
                () -> EnvFileSpec.parseJson("[{\"type\": \"dotenv\", \"path\": \"a\", \"optional\": \"maybe\"}]"))
                .getMessage().contains("'optional' must be a boolean"));
    }

    @Test
    void manifestListsAcceptPlainStrings() {
        assertEquals(List.of(new EnvFileSpec("dotenv", "conf/a.env", false, ""),
                new EnvFileSpec("json", "b.json", false, "X_")),
                EnvFileSpec.fromList(List.of("conf/a.env", Map.of("type", "json", "path", "b.json", "prefix", "X_")),
                        "manifest.yaml: env_files", true));
    }
}
