package io.aetherflow.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.runtime.yaml.LoadedYaml;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecParserTest {

    private static ParseResult parse(String yaml) {
        return new SpecParser().parse(YamlLoader.loadString(yaml, "flow.yaml"));
    }

    private static List<String> codesAndLocs(List<Issue> issues) {
        return issues.stream().map(i -> i.code() + "@" + i.loc()).toList();
    }

    private static Issue only(ParseResult r) {
        assertEquals(1, r.errors().size(), r.errors().toString());
        return r.errors().get(0);
    }

    @Test
    void minimalFlowGetsDefaults() {
        ParseResult r = parse("flow: {id: demo}\njobs: []\n");
        assertTrue(r.ok());
        FlowSpec s = r.spec();
        assertEquals(1, s.version());
        assertEquals("demo", s.flow().id());
        assertNull(s.flow().description());
        assertEquals(new WorkspaceSpec("/tmp/work", "on_success",
                Map.of("artifacts", "artifacts", "scratch", "scratch", "manifests", "manifests")), s.flow().workspace());
        assertEquals(new StateSpec("sqlite", "/tmp/state/aetherflow.sqlite"), s.flow().state());
        assertEquals(new LocksSpec("job", 3600), s.flow().locks());
        assertEquals(Map.of(), s.resources());
        assertEquals(List.of(), s.jobs());
        assertEquals(Map.of("id", "demo"), s.rawFlow());
    }

    @Test
    void fullFlowParses() {
        ParseResult r = parse("""
                version: 1
                flow:
                  id: f
                  description: d
                  workspace: {root: /w, cleanup_policy: never, layout: {artifacts: out}}
                  state: {backend: file, path: /s.db}
                  locks: {scope: flow, ttl_seconds: "600"}
                resources:
                  db: {kind: db, driver: sqlite, profile: p, config: {url: x}, options: {}, decode: {config: {url: true}}}
                jobs:
                  - id: a
                    steps:
                      - {id: s1, type: check_items, inputs: {items: [1]}, outputs: {n: "{{result.count}}"}, on_no_data: skip_job}
                  - id: b
                    description: second
                    depends_on: [a]
                    when: "jobs.a.status == 'SUCCESS'"
                    steps: []
                """);
        assertTrue(r.ok(), r.errors().toString());
        FlowSpec s = r.spec();
        assertEquals(Map.of("artifacts", "out", "scratch", "scratch", "manifests", "manifests"),
                s.flow().workspace().layout());
        assertEquals("never", s.flow().workspace().cleanupPolicy());
        assertEquals(new StateSpec("file", "/s.db"), s.flow().state());
        assertEquals(new LocksSpec("flow", 600), s.flow().locks());
        ResourceSpec db = s.resources().get("db");
        assertEquals("sqlite", db.driver());
        assertEquals("p", db.profile());
        assertEquals(Map.of("config", Map.of("url", true)), db.decode());
        JobSpec a = s.jobs().get(0);
        assertEquals(List.of(), a.dependsOn());
        StepSpec s1 = a.steps().get(0);
        assertEquals("skip_job", s1.onNoData());
        assertEquals(Map.of("n", "{{result.count}}"), s1.outputs());
        assertEquals(List.of("a"), s.jobs().get(1).dependsOn());
        assertEquals("jobs.a.status == 'SUCCESS'", s.jobs().get(1).when());
    }

    @Test
    void missingFields() {
        ParseResult r = parse("");
        assertEquals(List.of("schema:missing@flow", "schema:missing@jobs"), codesAndLocs(r.errors()));
        assertEquals("Field required", r.errors().get(0).msg());
        assertNull(r.spec());
        r = parse("flow: {description: x}\njobs: [{id: a}, {steps: [{id: s}]}]\n");
        assertEquals(List.of("schema:missing@flow.id", "schema:missing@jobs[0].steps", "schema:missing@jobs[1].id",
                "schema:missing@jobs[1].steps[0].type"), codesAndLocs(r.errors()));
    }

    @Test
    void literalErrorsUseReferenceMessages() {
        Issue i = only(parse("flow: {id: f, workspace: {cleanup_policy: sometimes}}\njobs: []\n"));
        assertEquals("schema:literal_error", i.code());
        assertEquals("flow.workspace.cleanup_policy", i.loc());
        assertEquals("Input should be 'on_success', 'always' or 'never'", i.msg());
        i = only(parse("flow: {id: f}\njobs: [{id: a, steps: [{id: s, type: t, on_no_data: skip}]}]\n"));
        assertEquals("jobs[0].steps[0].on_no_data", i.loc());
        assertEquals("Input should be 'skip_job'", i.msg());
        i = only(parse("flow: {id: f, state: {backend: mysql}}\njobs: []\n"));
        assertEquals("Input should be 'sqlite', 'file' or 'postgres'", i.msg());
        assertEquals(new StateSpec("postgres", "/tmp/state/aetherflow.sqlite", "postgresql://u:p@h/d"),
                parse("flow: {id: f, state: {backend: postgres, url: 'postgresql://u:p@h/d'}}\njobs: []\n").spec().flow().state());
        i = only(parse("flow: {id: f, locks: {scope: global}}\njobs: []\n"));
        assertEquals("Input should be 'none', 'job' or 'flow'", i.msg());
    }

    @Test
    void typeErrors() {
        assertEquals("schema:int_parsing@version", codesAndLocs(parse("version: one\nflow: {id: f}\njobs: []\n").errors()).get(0));
        assertEquals("Input should be a valid integer, unable to parse string as an integer",
                parse("version: one\nflow: {id: f}\njobs: []\n").errors().get(0).msg());
        assertTrue(parse("version: 7\nflow: {id: f}\njobs: []\n").ok());
        assertEquals(List.of("schema:string_type@flow.id"), codesAndLocs(parse("flow: {id: 5}\njobs: []\n").errors()));
        assertEquals(List.of("schema:list_type@jobs"), codesAndLocs(parse("flow: {id: f}\njobs: {}\n").errors()));
        assertEquals(List.of("schema:model_type@flow"), codesAndLocs(parse("flow: f\njobs: []\n").errors()));
        assertEquals("Input should be a valid dictionary or instance of FlowMetaSpec",
                parse("flow: f\njobs: []\n").errors().get(0).msg());
        assertEquals(List.of("schema:model_type@<root>"), codesAndLocs(parse("- a\n").errors()));
        assertEquals(List.of("schema:dict_type@jobs[0].steps[0].inputs"),
                codesAndLocs(parse("flow: {id: f}\njobs: [{id: a, steps: [{id: s, type: t, inputs: [1]}]}]\n").errors()));
        assertEquals(List.of("schema:string_type@jobs[0].depends_on[1]"),
                codesAndLocs(parse("flow: {id: f}\njobs: [{id: a, depends_on: [x, 3], steps: []}]\n").errors()));
        assertEquals(List.of("schema:dict_type@resources"), codesAndLocs(parse("flow: {id: f}\nresources: []\njobs: []\n").errors()));
        assertEquals(List.of("schema:string_type@flow.workspace.layout.scratch"),
                codesAndLocs(parse("flow: {id: f, workspace: {layout: {scratch: 1}}}\njobs: []\n").errors()));
        assertEquals(List.of("schema:int_from_float@flow.locks.ttl_seconds"),
                codesAndLocs(parse("flow: {id: f, locks: {ttl_seconds: 1.5}}\njobs: []\n").errors()));
    }

    @Test
    void resourcesForbidExtraKeys() {
        ParseResult r = parse("""
                flow: {id: f}
                resources:
                  r: {kind: db, driver: x, config_env: {a: B}, decode_env: {}}
                  s: {driver: x}
                jobs: []
                """);
        assertEquals(List.of("schema:extra_forbidden@resources.r.config_env", "schema:extra_forbidden@resources.r.decode_env",
                "schema:missing@resources.s.kind"), codesAndLocs(r.errors()));
        assertEquals("Extra inputs are not permitted", r.errors().get(0).msg());
        assertEquals(3, r.errors().get(0).line());
    }

    @Test
    void unknownKeysWarnOrFailInStrictMode() {
        String yaml = """
                flows: {}
                flow:
                  id: f
                  owner: me
                  workspace: {rooot: /x}
                jobs:
                  - id: a
                    retries: 3
                    steps:
                      - id: s
                        type: t
                        timeout: 5
                """;
        ParseResult r = parse(yaml);
        assertTrue(r.ok());
        assertEquals(List.of("schema:unknown_key@flows", "schema:unknown_key@flow.owner",
                "schema:unknown_key@flow.workspace.rooot", "schema:unknown_key@jobs[0].steps[0].timeout",
                "schema:unknown_key@jobs[0].retries"), codesAndLocs(r.warnings()));
        Issue w = r.warnings().get(3);
        assertEquals("Unknown key 'timeout' ignored; remove it or check its spelling", w.msg());
        assertEquals(12, w.line());
        assertEquals(9, w.column());
        ParseResult strict = SpecParser.forEnv(Map.of("AETHERFLOW_VALIDATE_STRICT", " TRUE ")).parse(
                YamlLoader.loadString(yaml, "flow.yaml"));
        assertNull(strict.spec());
        assertEquals(5, strict.errors().size());
        assertEquals(List.of(), strict.warnings());
        assertTrue(SpecParser.forEnv(Map.of("AETHERFLOW_VALIDATE_STRICT", "no")).parse(
                YamlLoader.loadString(yaml, "flow.yaml")).ok());
    }

    @Test
    void issuesCarryFileLineColumn() {
        LoadedYaml y = YamlLoader.loadString("flow:\n  id: f\njobs:\n  - id: a\n    steps:\n      - id: s\n"
                + "        type: t\n        on_no_data: maybe\n", "my/flow.yaml");
        Issue i = only(new SpecParser().parse(y));
        assertEquals("my/flow.yaml", i.file());
        assertEquals(8, i.line());
        assertEquals(9, i.column());
        assertEquals("my/flow.yaml:8:9", i.where());
    }

    @Test
    void parseFlowMetaFillsLayoutAndFailsOnOneLine() {
        Map<String, Object> flow = new LinkedHashMap<>();
        flow.put("id", "f");
        flow.put("workspace", Map.of("root", "/r", "layout", Map.of("scratch", "tmp", "extra", "e")));
        FlowMeta m = SpecParser.parseFlowMeta(flow);
        assertEquals(Map.of("artifacts", "artifacts", "scratch", "tmp", "manifests", "manifests", "extra", "e"),
                m.workspace().layout());
        assertEquals("/r", m.workspace().root());
        SpecException e = assertThrows(SpecException.class,
                () -> SpecParser.parseFlowMeta(Map.of("state", Map.of("path", 3L))));
        assertEquals("Invalid flow block after rendering templates: flow.id: Field required (schema:missing)"
                + " (and 1 more); fix the flow YAML or the environment values it uses", e.getMessage());
        assertEquals(2, e.exitCode());
        assertNotNull(SpecParser.parseFlowMeta(Map.of("id", "x", "locks", Map.of("ttl_seconds", "60"))));
    }

    @Test
    void unknownKeysAreQuotedSafely() {
        ParseResult r = parse("flow: {id: f, \"a\\nb\": 1, " + "k".repeat(1000) + ": 2}\njobs: []\n");
        assertEquals("Unknown key 'a\\nb' ignored; remove it or check its spelling", r.warnings().get(0).msg());
        assertTrue(r.warnings().get(1).msg().contains("...' (1000 characters) ignored"), r.warnings().get(1).msg());
    }
}
