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
        // the plain-notation range (CPython 3.11 repr of the same doubles)
        assertEquals("0.001", PyRepr.str(0.001));
        assertEquals("9999999.0", PyRepr.str(9999999.0));
        assertEquals("10000000.0", PyRepr.str(1e7));
        assertEquals("0.3333333333333333", PyRepr.str(1.0 / 3));
        assertEquals("-120.5", PyRepr.str(-120.5));
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

    /** Expected texts are CPython 3.11's str()/repr() of the same values. */
    @Test
    void databaseValuesAsPythonShowsThem() {
        assertEquals("1.50", PyRepr.str(new java.math.BigDecimal("1.50")));
        assertEquals("1E+3", PyRepr.str(new java.math.BigDecimal("1E+3")));
        assertEquals("1E-7", PyRepr.str(new java.math.BigDecimal("0.0000001")));
        assertEquals("[Decimal('2.5')]", PyRepr.str(List.of(new java.math.BigDecimal("2.5"))));
        assertEquals("2024-01-02", PyRepr.str(java.time.LocalDate.of(2024, 1, 2)));
        assertEquals("2024-01-02 00:00:00", PyRepr.str(java.time.LocalDateTime.of(2024, 1, 2, 0, 0)));
        assertEquals("2024-01-02 03:04:05.123000",
                PyRepr.str(java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000)));
        assertEquals("2024-01-02 03:04:00-05:00", PyRepr.str(java.time.OffsetDateTime.of(2024, 1, 2, 3, 4, 0, 0,
                java.time.ZoneOffset.ofHours(-5))));
        assertEquals("03:04:05.000006", PyRepr.str(java.time.LocalTime.of(3, 4, 5, 6_000)));
        assertEquals("datetime.datetime(2024, 1, 2, 0, 0)", PyRepr.repr(java.time.LocalDateTime.of(2024, 1, 2, 0, 0)));
        assertEquals("datetime.datetime(2024, 1, 2, 3, 4, 5, 7)",
                PyRepr.repr(java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 7_000)));
        assertEquals("datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(days=-1, "
                + "seconds=68400)))", PyRepr.repr(java.time.OffsetDateTime.of(2024, 1, 2, 3, 4, 0, 0,
                        java.time.ZoneOffset.ofHours(-5))));
        assertEquals("datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)",
                PyRepr.repr(java.time.OffsetDateTime.of(2024, 1, 2, 3, 4, 0, 0, java.time.ZoneOffset.UTC)));
        assertEquals("datetime.date(2024, 1, 2)", PyRepr.repr(java.time.LocalDate.of(2024, 1, 2)));
        assertEquals("b'a\\'\\x00\\xff\"'", PyRepr.str(new byte[] {'a', '\'', 0, (byte) 0xff, '"'}));
        assertEquals("b\"it's\"", PyRepr.str("it's".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
}
