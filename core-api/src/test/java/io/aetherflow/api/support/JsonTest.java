package io.aetherflow.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesInDocumentOrderWithLongsAndDoubles() {
        Object v = Json.parse("\ufeff {\"b\": [1, -2.5, 1e3, true, false, null], \"a\": \"x\\u00e9\\n\\/\"} ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
        assertEquals(java.util.Arrays.asList(1L, -2.5, 1000.0, true, false, null), m.get("b"));
        assertEquals("x\u00e9\n/", m.get("a"));
        assertEquals(new BigInteger("123456789012345678901234567890"), Json.parse("123456789012345678901234567890"));
        assertEquals(Long.MAX_VALUE, Json.parse(Long.toString(Long.MAX_VALUE)));
        assertNull(Json.parse("null"));
    }

    @Test
    void rejectsWhatIsNotJsonWithTheOffset() {
        assertEquals("expected ':' at offset 5", assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"a\" 1}")).getMessage());
        assertEquals("unexpected text after the JSON value at offset 2", assertThrows(IllegalArgumentException.class,
                () -> Json.parse("1 2")).getMessage());
        assertEquals("unexpected end of JSON at offset 0", assertThrows(IllegalArgumentException.class,
                () -> Json.parse("")).getMessage());
        assertEquals("invalid number at offset 2", assertThrows(IllegalArgumentException.class,
                () -> Json.parse("01")).getMessage());
        assertEquals("control character in string at offset 3", assertThrows(IllegalArgumentException.class,
                () -> Json.parse("\"a\nb\"")).getMessage());
        assertEquals("unexpected character 'x' at offset 1", assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[x]")).getMessage());
    }

    @Test
    void rejectsDuplicateKeysAtTheSecondKey() {
        assertEquals("duplicate key \"a\" at offset 9", assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"a\": 1, \"a\": 2}")).getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertEquals("nesting deeper than 1000 levels at offset 1000", e.getMessage());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
    }

    @Test
    void writesCompactSpacedAndPretty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1, 2L));
        m.put("b", new Object[] {"x", null});
        m.put("c", Map.of("d", true));
        assertEquals("{\"a\":[1,2],\"b\":[\"x\",null],\"c\":{\"d\":true}}", Json.write(m));
        assertEquals("{\"a\": [1, 2], \"b\": [\"x\", null], \"c\": {\"d\": true}}", Json.writeSpaced(m));
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": [\"x\",null],\n  \"c\": {\n    \"d\": true\n  }\n}",
                Json.writePretty(m));
    }

    @Test
    void writesNumbersAndEscapes() {
        assertEquals("[1.5,null,null,1000,12345678901234567890,7,2.5]", Json.write(List.of(1.5, Double.NaN,
                Float.POSITIVE_INFINITY, new BigDecimal("1E+3"), new BigInteger("12345678901234567890"), (short) 7,
                2.5f)));
        assertEquals("\"q\\\" b\\\\ \\n\\r\\t\\b\\f \\u0001 \\u2028 \u00e9\"", Json.write("q\" b\\ \n\r\t\b\f \u0001 \u2028 \u00e9"));
        StringBuilder sb = new StringBuilder("x=");
        Json.quote(sb, "a\"b");
        assertEquals("x=\"a\\\"b\"", sb.toString());
        assertEquals("\"java.lang.Object\"", Json.write(Object.class.getName()));
    }

    @Test
    void roundTrips() {
        String text = "{\"k\": [1, 2.25, \"\u00fc\\u2028\", {\"n\": null}], \"t\": true}";
        assertEquals(text, Json.writeSpaced(Json.parse(text)));
        assertEquals(Json.parse(text), Json.parse(Json.write(Json.parse(text))));
    }

    @Test
    void floatsAsPythonJsonDumpsWritesThem() {
        // json.dumps([1e16, 1e-05, 12345678.5, 0.1]) == '[1e+16, 1e-05, 12345678.5, 0.1]'
        assertEquals("[1e+16, 1e-05, 12345678.5, 0.1]", Json.writeSpaced(List.of(1e16, 1e-5, 12345678.5, 0.1)));
    }

    @Test
    void quotesAsPythonJsonDumpsForHashes() {
        // json.dumps("a\u2028b\u2029\x01\"", ensure_ascii=False) keeps U+2028/U+2029 as they are
        StringBuilder python = new StringBuilder();
        Json.quotePython(python, "a\u2028b\u2029\u0001\"\b");
        assertEquals("\"a\u2028b\u2029\\u0001\\\"\\b\"", python.toString());
        StringBuilder engine = new StringBuilder();
        Json.quote(engine, "a\u2028b");
        assertEquals("\"a\\u2028b\"", engine.toString());
    }
}
