package io.aetherflow.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyReprTest {

    @Test
    void scalars() {
        assertEquals("None", PyRepr.str(null));
        assertEquals("True", PyRepr.str(true));
        assertEquals("False", PyRepr.str(false));
        assertEquals("42", PyRepr.str(42L));
        assertEquals("abc", PyRepr.str("abc"));
        assertEquals("'abc'", PyRepr.repr("abc"));
    }

    @Test
    void floatsLikePython() {
        assertEquals("1.5", PyRepr.str(1.5));
        assertEquals("3.0", PyRepr.str(3.0));
        assertEquals("0.1", PyRepr.str(0.1));
        assertEquals("1e+16", PyRepr.str(1e16));
        assertEquals("1234567890123456.0", PyRepr.str(1234567890123456.0));
        assertEquals("0.0001", PyRepr.str(0.0001));
        assertEquals("1e-05", PyRepr.str(0.00001));
        assertEquals("-2.5e-07", PyRepr.str(-2.5e-7));
        assertEquals("inf", PyRepr.str(Double.POSITIVE_INFINITY));
        assertEquals("nan", PyRepr.str(Double.NaN));
        assertEquals("-0.0", PyRepr.str(-0.0));
    }

    @Test
    void containers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", "v");
        m.put("n", Arrays.asList(1L, true, null, 2.0));
        assertEquals("{'k': 'v', 'n': [1, True, None, 2.0]}", PyRepr.str(m));
        assertEquals("['a', 'b']", PyRepr.str(List.of("a", "b")));
        assertEquals("[]", PyRepr.str(List.of()));
        assertEquals("{}", PyRepr.str(Map.of()));
        assertEquals("set()", PyRepr.str(new LinkedHashSet<>()));
        assertEquals("{1, 2}", PyRepr.str(new LinkedHashSet<>(Arrays.asList(1L, 2L))));
    }

    @Test
    void stringQuotingAndEscapes() {
        assertEquals("[\"it's\"]", PyRepr.str(List.of("it's")));
        assertEquals("['say \"hi\"']", PyRepr.str(List.of("say \"hi\"")));
        assertEquals("['both \\' \"']", PyRepr.str(List.of("both ' \"")));
        assertEquals("['a\\nb\\tc\\\\']", PyRepr.str(List.of("a\nb\tc\\")));
        assertEquals("['\\x00\\x7f']", PyRepr.str(List.of("\u0000\u007f")));
        assertEquals("['grüße €']", PyRepr.str(List.of("grüße €")));
        assertEquals("['\\u200b']", PyRepr.str(List.of("\u200b")));
    }
}
