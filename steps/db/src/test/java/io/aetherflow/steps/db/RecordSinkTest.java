package io.aetherflow.steps.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.support.StrictInputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The csv/tsv dialects of db_extract_stream: every expected text is what CPython 3.11's csv.writer wrote
 * for the same rows and options (generated once with python3 and pinned here).
 */
class RecordSinkTest {

    static final String[][] ROWS = {{"id", "v"}, {"1", "a,b"}, {"2", "say \"hi\""}, {"3", ""}, {"#4", "back\\slash"}, {"5", "tab\tx"}, {"6", "line\nbreak"}};

    @TempDir
    Path dir;

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private String write(String fmt, Map<String, Object> inputs) throws IOException {
        return new String(writeBytes(fmt, inputs, ROWS), StandardCharsets.UTF_8);
    }

    private byte[] writeBytes(String fmt, Map<String, Object> inputs, String[][] rows) throws IOException {
        FileOptions o = FileOptions.from("db_extract_stream", new StrictInputs("job 'j' step 's'", inputs), fmt);
        Path f = Files.createTempFile(dir, "out", "." + fmt);
        try (RecordSink sink = RecordSink.open(Files.newOutputStream(f), o, rows[0].length)) {
            for (String[] r : rows) {
                sink.write(r);
            }
        }
        return Files.readAllBytes(f);
    }

    @Test
    void minimal() throws Exception {
        assertEquals("id,v\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\n#4,back\\slash\n5,tab\tx\n6,\"line\nbreak\"\n",
                write("csv", map()));
    }
    @Test
    void all() throws Exception {
        assertEquals("\"id\",\"v\"\n\"1\",\"a,b\"\n\"2\",\"say \"\"hi\"\"\"\n\"3\",\"\"\n\"#4\",\"back\\slash\"\n\"5\",\"tab\tx\"\n\"6\",\"line\nbreak\"\n",
                write("csv", map("quoting", "all")));
    }
    @Test
    void nonnumeric() throws Exception {
        assertEquals("\"id\",\"v\"\n\"1\",\"a,b\"\n\"2\",\"say \"\"hi\"\"\"\n\"3\",\"\"\n\"#4\",\"back\\slash\"\n\"5\",\"tab\tx\"\n\"6\",\"line\nbreak\"\n",
                write("csv", map("quoting", "NonNumeric")));
    }
    @Test
    void escapeNoDouble() throws Exception {
        assertEquals("id,v\n1,\"a,b\"\n2,say \\\"hi\\\"\n3,\n#4,back\\\\slash\n5,tab\tx\n6,\"line\nbreak\"\n",
                write("csv", map("escapechar", "\\", "doublequote", Boolean.FALSE)));
    }
    @Test
    void escapeDouble() throws Exception {
        assertEquals("id,v\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\n#4,back\\\\slash\n5,tab\tx\n6,\"line\nbreak\"\n",
                write("csv", map("escapechar", "\\")));
    }
    @Test
    void noneEscape() throws Exception {
        assertEquals("id,v\n1,a\\,b\n2,say \\\"hi\\\"\n3,\n#4,back\\\\slash\n5,tab\tx\n6,line\\\nbreak\n",
                write("csv", map("quoting", "none", "escapechar", "\\")));
    }
    @Test
    void pipeCrlf() throws Exception {
        assertEquals("id|v\r\n1|a,b\r\n2|\"say \"\"hi\"\"\"\r\n3|\r\n#4|back\\slash\r\n5|tab\tx\r\n6|\"line\nbreak\"\r\n",
                write("csv", map("delimiter", "|", "linefeed", "\r\n")));
    }
    @Test
    void customLineTerminator() throws Exception {
        assertEquals("id,v|\r\n1,\"a,b\"|\r\n2,\"say \"\"hi\"\"\"|\r\n3,|\r\n#4,back\\slash|\r\n5,tab\tx|\r\n6,\"line\nbreak\"|\r\n",
                write("csv", map("linefeed", "|\r\n")));
    }
    @Test
    void tsv() throws Exception {
        assertEquals("id\tv\n1\ta,b\n2\t\"say \"\"hi\"\"\"\n3\t\n#4\tback\\slash\n5\t\"tab\tx\"\n6\t\"line\nbreak\"\n",
                write("tsv", map()));
    }
    @Test
    void semicolonSingleQuote() throws Exception {
        assertEquals("id;v\n1;a,b\n2;say \"hi\"\n3;\n#4;back\\slash\n5;tab\tx\n6;'line\nbreak'\n",
                write("csv", map("delimiter", ";", "quotechar", "'")));
    }
    @Test
    void unknownQuotingIsMinimal() throws Exception {
        assertEquals("id,v\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\n#4,back\\slash\n5,tab\tx\n6,\"line\nbreak\"\n",
                write("csv", map("quoting", "sometimes")));
    }

    @Test
    void fileOptionsUnderFileAndTopLevelWins() throws Exception {
        String nested = write("csv", map("file", map("delimiter", "|", "linefeed", "\r\n")));
        assertEquals(write("csv", map("delimiter", "|", "linefeed", "\r\n")), nested);
        assertTrue(nested.startsWith("id|v\r\n"), nested);
        assertTrue(write("csv", map("delimiter", ";", "file", map("delimiter", "|"))).startsWith("id;v\n"));
    }

    @Test
    void singleEmptyFieldIsQuotedAsPythonDoes() throws Exception {
        // csv.writer(lineterminator="\n").writerows([["x"], [""]]) == 'x\n""\n'
        String[][] rows = {{"x"}, {""}};
        assertEquals("x\n\"\"\n", new String(writeBytes("csv", map(), rows), StandardCharsets.UTF_8));
        assertEquals("x|\"\"|", new String(writeBytes("csv", map("linefeed", "|"), rows), StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class,
                () -> writeBytes("csv", map("quoting", "none", "escapechar", "\\"), rows));
        assertEquals("single empty field record must be quoted", e.getMessage());
    }

    @Test
    void quotingNoneWithoutEscapecharFailsAsPython() {
        IOException e = assertThrows(IOException.class, () -> write("csv", map("quoting", "none")));
        assertEquals("need to escape, but no escapechar set", e.getMessage());
        e = assertThrows(IOException.class, () -> write("csv", map("doublequote", false)));
        assertEquals("need to escape, but no escapechar set", e.getMessage());
    }

    @Test
    void encodings() throws Exception {
        String[][] rows = {{"name"}, {"Grüße"}};
        assertEquals("name\nGr\u00fc\u00dfe\n", new String(writeBytes("csv", map("encoding", "latin-1"), rows),
                StandardCharsets.ISO_8859_1));
        byte[] sig = writeBytes("csv", map("encoding", "utf-8-sig"), rows);
        assertEquals((byte) 0xEF, sig[0]);
        assertEquals("\uFEFFname\nGrüße\n", new String(sig, StandardCharsets.UTF_8));
        assertThrows(java.nio.charset.CharacterCodingException.class,
                () -> writeBytes("csv", map("encoding", "ascii"), rows));
        StepInputException e = assertThrows(StepInputException.class,
                () -> writeBytes("csv", map("encoding", "klingon-8"), rows));
        assertTrue(e.getMessage().contains("unknown encoding: klingon-8"), e.getMessage());
    }

    @Test
    void oneCharacterOptions() {
        StepInputException e = assertThrows(StepInputException.class, () -> write("csv", map("delimiter", "||")));
        assertEquals("db_extract_stream: input 'delimiter' must be a 1-character string, got '||'", e.getMessage());
        assertFalse(assertThrows(StepInputException.class, () -> write("csv", map("doublequote", "maybe")))
                .getMessage().isEmpty());
    }
}
