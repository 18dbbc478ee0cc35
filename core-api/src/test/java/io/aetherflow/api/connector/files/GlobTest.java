package io.aetherflow.api.connector.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starQuestionMarkAndSetsAsFnmatch() {
        assertTrue(Glob.of("*.csv").matches("a.csv"));
        assertTrue(Glob.of("*.csv").matches(".csv"));
        assertFalse(Glob.of("*.csv").matches("a.csv.bak"));
        assertTrue(Glob.of("file?.txt").matches("file1.txt"));
        assertFalse(Glob.of("file?.txt").matches("file10.txt"));
        assertTrue(Glob.of("[ab]*").matches("b1"));
        assertFalse(Glob.of("[ab]*").matches("c1"));
        assertTrue(Glob.of("x[0-9]").matches("x7"));
        assertFalse(Glob.of("x[!0-9]").matches("x7"));
        assertTrue(Glob.of("x[!0-9]").matches("xa"));
        assertTrue(Glob.of("[]]").matches("]"));
    }

    @Test
    void everythingElseIsLiteralAndCaseSensitive() {
        assertTrue(Glob.of("a.b+c(1)$^{2}|").matches("a.b+c(1)$^{2}|"));
        assertFalse(Glob.of("a.b").matches("axb"));
        assertFalse(Glob.of("*.CSV").matches("a.csv"));
        assertTrue(Glob.of("[unclosed").matches("[unclosed"));
        assertTrue(Glob.of("a*").matches("a\nb"), "star spans any character");
    }

    @Test
    void emptyOrNullMeansEverything() {
        assertTrue(Glob.of(null).matches("anything"));
        assertTrue(Glob.of("").matches(""));
        assertEquals("*", Glob.of(null).toString());
        assertEquals("*.txt", Glob.of("*.txt").toString());
    }
}
