package io.aetherflow.runtime.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateResolverTest {

    private static Map<String, Object> roots() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", 3L);
        s.put("l", List.of(1L, 2L));
        s.put("b", true);
        s.put("f", false);
        s.put("nul", null);
        s.put("m", new LinkedHashMap<>(Map.of("k", "v")));
        s.put("e", Map.of());
        s.put("empty", "");
        s.put("fl", 1.5);
        s.put("strs", List.of("a", "b"));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("env", Map.of("HOME", "/home/u", "X", "x", "EMPTY", ""));
        r.put("steps", Map.of("s", s));
        r.put("job", Map.of("id", "j1", "outputs", Map.of("count", 7L)));
        r.put("run_id", "r123");
        r.put("flow_id", "f1");
        r.put("result", Map.of());
        r.put("jobs", Map.of("probe", Map.of("status", "SUCCESS", "outputs", Map.of("has_data", true))));
        return r;
    }

    private static Object step(String s) {
        return TemplateResolver.render(s, Phase.STEP, roots());
    }

    private static void syntax(String s, Phase phase) {
        TemplateSyntaxException e = assertThrows(TemplateSyntaxException.class,
                () -> TemplateResolver.render(s, phase, roots()), s);
        assertTrue(e.getMessage().startsWith(TemplateSyntaxException.PREFIX + "\n"), e.getMessage());
    }

    @Test
    void replacesTokensAndToleratesWhitespace() {
        assertEquals("/home/u", step("{{env.HOME}}"));
        assertEquals("/home/u", step("{{  env.HOME  }}"));
        assertEquals("dir=/home/u/x", step("dir={{ env.HOME }}/{{env.X}}"));
        assertEquals("r123-f1-j1", step("{{run_id}}-{{flow_id}}-{{job.id}}"));
    }

    @Test
    void defaultIsEverythingAfterFirstColon() {
        assertEquals("localhost:1521/X", step("{{env.DSN:localhost:1521/X}}"));
        assertEquals("dsn=localhost:1521/X", step("dsn={{env.DSN:localhost:1521/X}}"));
        assertEquals("", step("{{env.NOPE:}}"));
        assertEquals("a--b", step("a-{{env.NOPE:}}-b"));
    }

    @Test
    void emptyStringCountsAsMissing() {
        assertEquals("d", step("{{env.EMPTY:d}}"));
        assertEquals("d", step("{{steps.s.empty:d}}"));
        TemplateMissingKeyException e = assertThrows(TemplateMissingKeyException.class, () -> step("{{env.EMPTY}}"));
        assertEquals("env.EMPTY", e.path());
    }

    @Test
    void missingWithoutDefaultCarriesPath() {
        TemplateMissingKeyException e = assertThrows(TemplateMissingKeyException.class,
                () -> step("x {{env.DOES_NOT_EXIST}}"));
        assertEquals("env.DOES_NOT_EXIST", e.path());
        assertEquals("Missing template value env.DOES_NOT_EXIST: set it or give a default "
                + "{{env.DOES_NOT_EXIST:default}}", e.getMessage());
        assertEquals("steps.zz.k", assertThrows(TemplateMissingKeyException.class,
                () -> step("{{steps.zz.k}}")).path());
    }

    @Test
    void foundNullIsNotMissing() {
        assertNull(step("{{steps.s.nul}}"));
        assertEquals("v=None", step("v={{steps.s.nul}}"));
    }

    @Test
    void everyForbiddenSubstringIsRejected() {
        for (String f : List.of("${HOME}", "{% if %}", "a %}", "{# c", "c #}", "x{}y")) {
            syntax(f, Phase.STEP);
        }
        // even without any template token
        syntax("echo ${HOME}", Phase.RESOURCE);
    }

    @Test
    void forbiddenProducedByInlineRenderingIsRejected() {
        syntax("v={{steps.s.e}}", Phase.STEP);
        // standalone: typed result, no post-check
        assertEquals(Map.of(), step("{{steps.s.e}}"));
    }

    @Test
    void invalidPathsAreSyntaxErrors() {
        syntax("{{env.X|upper}}", Phase.STEP);
        syntax("{{steps.1a}}", Phase.STEP);
        syntax("{{env.A B}}", Phase.STEP);
        syntax("{{steps.s.l[0]}}", Phase.STEP);
        syntax("{{env..X}}", Phase.STEP);
        syntax("a {{ }} b", Phase.STEP);
        syntax("{{}}", Phase.STEP);
        syntax("{{ :d}}", Phase.STEP);
    }

    @Test
    void unclosedAndPrematureClose() {
        syntax("a {{env.X", Phase.STEP);
        syntax("a }} b {{env.X}}", Phase.STEP);
        assertEquals("x }} tail", step("{{env.X}} }} tail"));
        assertEquals("a }}", step("a }}"));
        syntax("{{env.{X}}}", Phase.STEP);
        syntax("{{ {{env.X}} }}", Phase.STEP);
    }

    @Test
    void lookupsGoThroughMapsOnly() {
        assertThrows(TemplateMissingKeyException.class, () -> step("{{steps.s.l.x}}"));
        assertThrows(TemplateMissingKeyException.class, () -> step("{{steps.s.n.x}}"));
        assertEquals("v", step("{{steps.s.m.k}}"));
    }

    @Test
    void standaloneReturnsNativeValues() {
        assertEquals(3L, step("{{steps.s.n}}"));
        assertEquals(List.of(1L, 2L), step("{{ steps.s.l }}"));
        assertEquals(true, step("{{steps.s.b}}"));
        assertEquals(Map.of("k", "v"), step("{{steps.s.m}}"));
        assertEquals(true, step("{{jobs.probe.outputs.has_data}}"));
        assertEquals(7L, step("{{job.outputs.count}}"));
        Object rec = new Object();
        Map<String, Object> r = new LinkedHashMap<>(roots());
        r.put("result", Map.of("meta", rec));
        assertTrue(rec == TemplateResolver.render("{{result.meta}}", Phase.STEP, r));
    }

    @Test
    void anythingOutsideTheTokenGivesString() {
        assertEquals(" 3", step(" {{steps.s.n}}"));
        assertEquals("3 ", step("{{steps.s.n}} "));
        assertEquals("33", step("{{steps.s.n}}{{steps.s.n}}"));
    }

    @Test
    void standaloneDefaultKeepsSpacesInlineDefaultTrimmedAtEnd() {
        assertEquals(" sp ", step("{{ env.B: sp }}"));
        assertEquals("[ sp]", step("[{{ env.B: sp }}]"));
    }

    @Test
    void inlineRenderingIsPythonStr() {
        assertEquals("b=True f=False n=None", step("b={{steps.s.b}} f={{steps.s.f}} n={{steps.s.nul}}"));
        assertEquals("l=[1, 2] s=['a', 'b']", step("l={{steps.s.l}} s={{steps.s.strs}}"));
        assertEquals("m={'k': 'v'} fl=1.5", step("m={{steps.s.m}} fl={{steps.s.fl}}"));
    }

    @Test
    void deepWalkRendersStringsOnlyAndDoesNotMutate() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("{{env.X}}", "{{env.X}}");
        List<Object> list = new ArrayList<>(List.of("{{steps.s.n}}", 5L, true));
        in.put("list", list);
        in.put("nested", new LinkedHashMap<>(Map.of("deep", "a{{env.X}}")));
        in.put("num", 1.25);
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) TemplateResolver.render(in, Phase.STEP, roots());
        assertEquals("x", out.get("{{env.X}}"));
        assertEquals(List.of(3L, 5L, true), out.get("list"));
        assertEquals(Map.of("deep", "ax"), out.get("nested"));
        assertEquals(1.25, out.get("num"));
        assertEquals("{{env.X}}", in.get("{{env.X}}"));
        assertEquals("{{steps.s.n}}", list.get(0));
    }

    @Test
    void phasesRestrictRoots() {
        syntax("{{steps.x}}", Phase.RESOURCE);
        syntax("{{run_id}}", Phase.FLOW_META);
        syntax("{{nope.x}}", Phase.STEP);
        syntax("a {{secrets.x:d}}", Phase.STEP);
        assertEquals(Set.of("env"), Phase.RESOURCE.allowedRoots());
        assertEquals(Set.of("env", "steps", "job", "run_id", "flow_id", "result", "jobs"), Phase.STEP.allowedRoots());
        assertEquals("x", TemplateResolver.render("{{env.X}}", Phase.FLOW_META, roots()));
    }

    @Test
    void fastPathAndRenderString() {
        assertEquals("plain", step("plain"));
        assertEquals("3", TemplateResolver.renderString("{{steps.s.n}}", Phase.STEP, roots()));
        assertEquals("True", TemplateResolver.renderString("{{steps.s.b}}", Phase.STEP, roots()));
    }

    @Test
    void lenientRootsTolerateMissing() {
        Set<String> lenient = Set.of("steps");
        assertNull(TemplateResolver.render("{{steps.nope.x}}", Phase.STEP, roots(), lenient));
        assertEquals("a-", TemplateResolver.render("a-{{steps.nope.x}}", Phase.STEP, roots(), lenient));
        assertThrows(TemplateMissingKeyException.class,
                () -> TemplateResolver.render("a-{{env.NOPE}}", Phase.STEP, roots(), lenient));
    }

    @Test
    void scanListsTokensWithLocations() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("a", "{{ env.X }} and {{bogus.y:z}}");
        in.put("l", List.of("x", Map.of("k", "{{run_id}}")));
        List<TemplateRef> refs = TemplateResolver.scan(in, "jobs[0].steps[0].inputs");
        assertEquals(List.of(new TemplateRef("jobs[0].steps[0].inputs.a", "env", "env.X"),
                new TemplateRef("jobs[0].steps[0].inputs.a", "bogus", "bogus.y"),
                new TemplateRef("jobs[0].steps[0].inputs.l[1].k", "run_id", "run_id")), refs);
    }

    @Test
    void standaloneTokenCheck() {
        assertTrue(TemplateResolver.isStandaloneToken(" {{env.P}} "));
        assertFalse(TemplateResolver.isStandaloneToken("pw-{{env.P}}"));
        assertFalse(TemplateResolver.isStandaloneToken("{{env.P}}{{env.Q}}"));
    }
}
