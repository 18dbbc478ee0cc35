package io.aetherflow.runtime.when;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WhenExpressionTest {

    private static Map<String, Object> jobs() {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("has_data", true);
        outputs.put("count", 5L);
        outputs.put("name", "abc");
        outputs.put("ratio", 0.5);
        outputs.put("flag", "true");
        outputs.put("nothing", null);
        outputs.put("items", List.of(1L, 2L));
        outputs.put("nested", Map.of("deep", 1L));
        Map<String, Object> probe = new LinkedHashMap<>();
        probe.put("status", "SUCCESS");
        probe.put("outputs", outputs);
        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("probe", probe);
        jobs.put("other", Map.of("status", "SKIPPED", "outputs", Map.of(), "skip_reason", "condition=false"));
        return jobs;
    }

    private static boolean eval(String expr) {
        return WhenExpression.parse(expr).evaluate(jobs());
    }

    private static void rejected(String expr, String message) {
        WhenSyntaxException e = assertThrows(WhenSyntaxException.class, () -> WhenExpression.parse(expr), expr);
        assertEquals(message, e.getMessage(), expr);
    }

    @Test
    void referenceExamples() {
        assertTrue(eval("jobs.probe.outputs.has_data == true"));
        assertTrue(eval("jobs.probe.outputs.has_data==true"));
        assertFalse(eval("jobs.probe.outputs.has_data != true"));
        assertTrue(eval("jobs.probe.status == 'SUCCESS'"));
        assertTrue(eval("jobs.probe.status == \"SUCCESS\" and jobs.other.status == 'SKIPPED'"));
        assertTrue(eval("jobs.other.skip_reason == 'condition=false'"));
        assertTrue(eval("jobs.probe.outputs.count > 3"));
        assertTrue(eval("jobs.probe.outputs.has_data"));
    }

    @Test
    void literalsAreCaseInsensitiveEverywhere() {
        assertTrue(eval("TRUE"));
        assertTrue(eval("true"));
        assertTrue(eval("(true)"));
        assertTrue(eval("jobs.probe.outputs.has_data == True"));
        assertTrue(eval("jobs.probe.outputs.has_data == TRUE"));
        assertFalse(eval("False or FALSE"));
        assertTrue(eval("jobs.probe.outputs.nothing == none"));
        assertTrue(eval("jobs.probe.outputs.nothing == NULL"));
        assertTrue(eval("jobs.probe.outputs.nothing == None"));
        assertTrue(eval("not false"));
    }

    @Test
    void negativeNumbersAndFloats() {
        assertTrue(eval("jobs.probe.outputs.count > -1"));
        assertTrue(eval("-1 < 0"));
        assertTrue(eval("-0.5 < jobs.probe.outputs.ratio"));
        assertTrue(eval("--1 == 1"));
        assertTrue(eval("jobs.probe.outputs.ratio == 0.5"));
        assertTrue(eval("1e3 == 1000"));
        assertTrue(eval("1_000 == 1000"));
    }

    @Test
    void pythonSemantics() {
        assertTrue(eval("True == 1"));
        assertTrue(eval("1 == 1.0"));
        assertFalse(eval("'true' == True"));
        assertFalse(eval("jobs.probe.outputs.flag == True"));
        assertTrue(eval("jobs.probe.outputs.flag == 'true'"));
        assertFalse(eval("'1' == 1"));
        assertTrue(eval("1 < 2 < 3"));
        assertFalse(eval("1 < 3 < 2"));
        assertTrue(eval("'abc' < 'abd'"));
        assertTrue(eval("0 or 'x'"));
        assertFalse(eval("'' or 0"));
        assertFalse(eval("1 and 0"));
        assertTrue(eval("not (1 == 2)"));
        assertTrue(eval("True > False"));
        assertTrue(eval("None == None"));
        assertFalse(eval("None == 0"));
        assertTrue(eval("jobs.probe.outputs.items"));
        assertTrue(eval("jobs.probe.outputs.nested.deep == 1"));
        assertTrue(eval("not jobs.other.outputs"));
    }

    @Test
    void precedence() {
        assertTrue(eval("True or False and False"));
        assertFalse(eval("(True or False) and False"));
        assertTrue(eval("not False and True"));
        assertTrue(eval("not 1 == 2"));
    }

    @Test
    void shortCircuitSkipsErrors() {
        assertTrue(eval("True or jobs.missing.status == 'x'"));
        assertFalse(eval("False and jobs.missing.status == 'x'"));
        assertFalse(eval("1 > 2 > jobs.missing.x"));
    }

    @Test
    void evaluationErrors() {
        WhenEvaluationException e = assertThrows(WhenEvaluationException.class,
                () -> eval("jobs.missing.status == 'SUCCESS'"));
        assertTrue(e.getMessage().contains("Unknown job 'missing'"), e.getMessage());
        assertTrue(e.getMessage().contains("['other', 'probe']"), e.getMessage());
        e = assertThrows(WhenEvaluationException.class, () -> eval("jobs.probe.outputs.nope == 1"));
        assertTrue(e.getMessage().startsWith("jobs.probe.outputs has no key 'nope'"), e.getMessage());
        e = assertThrows(WhenEvaluationException.class, () -> eval("jobs.probe.outputs.count.x == 1"));
        assertEquals("jobs.probe.outputs.count is int, it has no attribute 'x'", e.getMessage());
        e = assertThrows(WhenEvaluationException.class, () -> eval("jobs.probe.outputs.name < 3"));
        assertEquals("'<' not supported between instances of 'str' and 'int'", e.getMessage());
        e = assertThrows(WhenEvaluationException.class, () -> eval("None >= 1"));
        assertEquals("'>=' not supported between instances of 'NoneType' and 'int'", e.getMessage());
        e = assertThrows(WhenEvaluationException.class, () -> eval("-jobs.probe.outputs.name"));
        assertEquals("bad operand type for unary -: 'str'", e.getMessage());
    }

    @Test
    void unsupportedNodesUseReferenceNames() {
        rejected("(1 + 1) == 2", "Unsupported node: BinOp");
        rejected("jobs.a.outputs.n * 2 > 1", "Unsupported node: BinOp");
        rejected("'a' in jobs.a.outputs.l", "Unsupported node: In");
        rejected("jobs.a.status is None", "Unsupported node: Is");
        rejected("jobs.a.status not in 'x'", "Unsupported node: NotIn");
        rejected("len(jobs) > 1", "Unsupported node: Call");
        rejected("jobs.a.outputs.l[0] == 1", "Unsupported node: Subscript");
        rejected("[1, 2] == 1", "Unsupported node: List");
        rejected("{'a': 1} == 1", "Unsupported node: Dict");
        rejected("(1, 2) == 1", "Unsupported node: Tuple");
        rejected("+1 == 1", "Unsupported node: UAdd");
        rejected("~1 == 1", "Unsupported node: Invert");
        rejected("1 if True else 2", "Unsupported node: IfExp");
    }

    @Test
    void unsupportedNames() {
        rejected("foo == 1", "Unsupported name: foo");
        rejected("os.system == 1", "Unsupported name: os");
        rejected("jobs.a.status == SUCCESS", "Unsupported name: SUCCESS");
        rejected("__import__ == 1", "Unsupported name: __import__");
    }

    @Test
    void syntaxErrors() {
        for (String bad : List.of("", "   ", "jobs.a.status ==", "(jobs.a.status == 1", "jobs.a.status = 1",
                "'unterminated", "jobs.", "1 2", "and", "jobs.a.status == 'x' and", "01 == 1", "f'x' == 1",
                "jobs.a.status $ 1")) {
            WhenSyntaxException e = assertThrows(WhenSyntaxException.class, () -> WhenExpression.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("Syntax error: "), bad + " -> " + e.getMessage());
        }
    }

    @Test
    void attributeNamesMayLookLikeLiterals() {
        Map<String, Object> jobs = Map.of("none", Map.of("status", "SUCCESS", "outputs", Map.of("true", 1L)));
        assertTrue(WhenExpression.parse("jobs.none.outputs.true == 1").evaluate(jobs));
    }

    @Test
    void stringEscapesAndConcatenation() {
        assertTrue(eval("'a\\'b' == \"a'b\""));
        assertTrue(eval("'ab' == 'a' 'b'"));
        assertTrue(eval("'\\x41' == 'A'"));
        assertEquals("jobs.probe.status == 'SUCCESS'", WhenExpression.parse("jobs.probe.status == 'SUCCESS'").source());
    }
}
