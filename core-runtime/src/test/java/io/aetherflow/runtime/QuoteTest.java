package io.aetherflow.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuoteTest {

    @Test
    void quotesAndEscapesControlCharacters() {
        assertEquals("'plain'", Quote.q("plain"));
        assertEquals("'x\\ny\\r\\t\\0\\x1b\\x7f\\x85\\u2028'", Quote.q("x\ny\r\t\0\u001b\u007f\u0085\u2028"));
        assertEquals("'it\\'s a\\\\b'", Quote.q("it's a\\b"));
        assertEquals("None", Quote.q(null));
    }

    @Test
    void longValuesAreCut() {
        String q = Quote.q("a".repeat(5_000_000));
        assertEquals("'" + "a".repeat(60) + "...' (5000000 characters)", q);
        assertEquals("'" + "b".repeat(80) + "'", Quote.q("b".repeat(80)));
    }

    @Test
    void escapeKeepsTextButNotLineBreaks() {
        assertEquals("no change: it's /a\\b", Quote.escape("no change: it's /a\\b"));
        String e = Quote.escape("--run-id 'x\ny' is bad\u0000");
        assertEquals("--run-id 'x\\ny' is bad\\0", e);
        assertFalse(e.contains("\n"));
        assertTrue(Quote.isControl('\u0000') && Quote.isControl('\u009f') && !Quote.isControl('é'));
    }
}
