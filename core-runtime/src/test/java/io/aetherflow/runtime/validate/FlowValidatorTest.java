package io.aetherflow.runtime.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.runtime.spec.Issue;
import io.aetherflow.runtime.template.TemplateSyntaxException;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowValidatorTest {

    @TempDir
    Path dir;

    private static final String HEAD = "flow: {id: f}\n";

    private static ValidationReport validate(String yaml, Map<String, String> env) {
        return new FlowValidator(TestSteps.all(), Set.of()).validate(YamlLoader.loadString(yaml, "flow.yaml"), env);
    }

    private static ValidationReport validate(String yaml) {
        return validate(yaml, Map.of());
    }

    private static List<String> codes(List<Issue> issues) {
        return issues.stream().map(i -> i.code() + "@" + i.loc()).toList();
    }

    private static Issue find(List<Issue> issues, String code) {
        return issues.stream().filter(i -> i.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + issues));
    }

    @Test
    void validFlowIsOk() {
        ValidationReport r = validate(HEAD + "jobs:\n  - id: a\n    steps:\n      - {id: s, type: external.process,"
                + " inputs: {command: echo}}\n");
        assertTrue(r.ok(), r.errors().toString());
        assertNotNull(r.spec());
        assertEquals("{\"ok\": true, \"errors\": [], \"warnings\": [], \"flow_yaml\": \"flow.yaml\"}",
                Json.writeSpaced(r.toJson()));
        assertEquals("OK: flow.yaml\n", r.toText());
    }

    @Test
    void schemaFailureHasNoWarningsKeyAndSkipsSemantics() {
        ValidationReport r = validate("flow: {}\njobs: [{id: a, steps: [{id: s, type: nope}]}]\nextra: 1\n");
        assertFalse(r.ok());
        assertTrue(r.schemaFailed());
        assertNull(r.spec());
        assertEquals(List.of("schema:missing@flow.id"), codes(r.errors()));
        Map<String, Object> json = r.toJson();
        assertEquals(List.of("ok", "errors", "flow_yaml"), List.copyOf(json.keySet()));
        assertEquals("{\"code\": \"schema:missing\", \"loc\": \"flow.id\", \"msg\": \"Field required\", \"line\": 1,"
                + " \"column\": 1}", Json.writeSpaced(((List<?>) json.get("errors")).get(0)));
    }

    @Test
    void stepChecksSeeTheDeclaredResourcesAlsoInNestedSteps() {
        ValidationReport r = new FlowValidator(TestSteps.withResourceStep(), Set.of()).validate(YamlLoader.loadString(
                HEAD + "resources:\n  wh: {kind: db, driver: sqlite3}\n  api: {kind: rest, driver: httpx}\n"
                + "jobs:\n  - id: a\n    steps:\n      - {id: s, type: uses_resource, inputs: {resource: wh}}\n"
                + "      - {id: t, type: with_lock, inputs: {step: {type: uses_resource, inputs: {resource: nope}}}}\n",
                "flow.yaml"), Map.of());
        List<Issue> issues = r.errors().stream().filter(i -> i.code().equals("test:resource")).toList();
        assertEquals(2, issues.size(), r.errors().toString());
        assertEquals("jobs[0].steps[0].inputs.resource", issues.get(0).loc());
        assertEquals("wh -> db of {wh=db, api=rest}", issues.get(0).msg());
        assertEquals("jobs[0].steps[1].inputs.step.inputs.resource", issues.get(1).loc());
        assertEquals("nope -> null of {wh=db, api=rest}", issues.get(1).msg());
    }

    @Test
    void enterpriseArchiveDriver() {
        String yaml = HEAD + "resources:\n  z: {kind: archive, driver: pyzipper}\n  d: {kind: db, driver: x}\njobs: []\n";
        ValidationReport r = validate(yaml, Map.of("AETHERFLOW_MODE", " Enterprise "));
        Issue i = find(r.errors(), "semantic:enterprise_archive_driver");
        assertEquals("resources.z.driver", i.loc());
        assertEquals("Enterprise mode requires archive driver in []; got 'pyzipper'", i.msg());
        assertEquals(1, r.errors().size());
        assertTrue(validate(yaml).ok());
        ValidationReport allowed = new FlowValidator(TestSteps.all(), Set.of("pyzipper", "os"))
                .validate(YamlLoader.loadString(yaml, "f"), Map.of("AETHERFLOW_MODE", "enterprise"));
        assertTrue(allowed.ok());
        ValidationReport other = new FlowValidator(TestSteps.all(), Set.of("zipfile", "os"))
                .validate(YamlLoader.loadString(yaml, "f"), Map.of("AETHERFLOW_MODE", "enterprise"));
        assertEquals("Enterprise mode requires archive driver in ['os', 'zipfile']; got 'pyzipper'",
                other.errors().get(0).msg());
    }

    @Test
    void duplicateIdsAndDependencies() {
        ValidationReport r = validate(HEAD + """
                jobs:
                  - {id: b, depends_on: [c, zz, b], steps: [{id: s, type: check_items}, {id: s, type: check_items}]}
                  - {id: a, steps: []}
                  - {id: b, steps: []}
                  - {id: a, steps: []}
                  - {id: c, steps: []}
                """);
        assertEquals(List.of("semantic:duplicate_job_id@jobs", "semantic:duplicate_job_id@jobs",
                "semantic:duplicate_step_id@jobs[0].steps", "semantic:depends_on_order@jobs[0].depends_on",
                "semantic:depends_on_unknown_job@jobs[0].depends_on"), codes(r.errors()));
        assertEquals("Duplicate job id: a", r.errors().get(0).msg());
        assertEquals("Duplicate job id: b", r.errors().get(1).msg());
        assertEquals("Duplicate step id in job 'b': s", r.errors().get(2).msg());
        assertEquals("Job 'b' depends_on 'c' which appears after it; reorder jobs", r.errors().get(3).msg());
        assertEquals("Job 'b' depends_on unknown job: zz", r.errors().get(4).msg());
        Issue self = find(r.warnings(), "semantic:depends_on_self");
        assertEquals("jobs[0].depends_on", self.loc());
    }

    @Test
    void unknownStepTypeListsLoadedTypesSorted() {
        ValidationReport r = validate(HEAD + "jobs:\n  - id: a\n    steps:\n      - {id: s, type: sftp_list}\n");
        Issue i = r.errors().get(0);
        assertEquals("semantic:unknown_step_type", i.code());
        assertEquals("jobs[0].steps[0].type", i.loc());
        assertEquals("Unknown step type: sftp_list. Loaded: ['broken', 'check_items', 'excel_fill_from_file',"
                + " 'external.process', 'with_lock']", i.msg());
        assertEquals(5, i.line());
    }

    @Test
    void stepInputChecksArePrefixedAndNestedStepsValidated() {
        ValidationReport r = validate(HEAD + """
                jobs:
                  - id: a
                    steps:
                      - {id: p, type: external.process, inputs: {shell: true}}
                      - id: l
                        type: with_lock
                        inputs:
                          step: {type: external.process, inputs: {command: 5}}
                      - {id: l2, type: with_lock, inputs: {step: {type: nope}}}
                      - {id: l3, type: with_lock, inputs: {step: {type: with_lock, inputs: {step: {type: external.process}}}}}
                      - {id: b, type: broken}
                """);
        assertEquals(List.of("semantic:external_process_missing_command@jobs[0].steps[0].inputs.command",
                "semantic:external_process_command_type@jobs[0].steps[1].inputs.step.inputs.command",
                "semantic:unknown_step_type@jobs[0].steps[2].inputs.step.type",
                "semantic:external_process_missing_command@jobs[0].steps[3].inputs.step.inputs.step.inputs.command",
                "semantic:step_check_failed@jobs[0].steps[4]"), codes(r.errors()));
        assertEquals(9, r.errors().get(1).line());
        assertEquals("test:shell@jobs[0].steps[0].inputs.shell", codes(r.warnings()).get(0));
        assertTrue(r.errors().get(4).msg().contains("boom"));
    }

    @Test
    void invalidWhenForms() {
        ValidationReport r = validate(HEAD + """
                jobs:
                  - {id: a, when: "jobs.x.status ==", steps: []}
                  - {id: b, when: "(1 + 1) == 2", steps: []}
                  - {id: c, when: "foo == 1", steps: []}
                  - {id: d, when: "  ", steps: []}
                  - {id: e, when: "TRUE and jobs.a.outputs.n > -1", steps: []}
                """);
        assertEquals(List.of("semantic:invalid_when@jobs[0].when", "semantic:invalid_when@jobs[1].when",
                "semantic:invalid_when@jobs[2].when"), codes(r.errors()));
        assertTrue(r.errors().get(0).msg().startsWith("Syntax error: "));
        assertEquals("Unsupported node: BinOp", r.errors().get(1).msg());
        assertEquals("Unsupported name: foo", r.errors().get(2).msg());
    }

    @Test
    void resourceMissingEnvIsWarningOrStrictError() {
        String yaml = HEAD + "resources:\n  db:\n    kind: db\n    driver: x\n    config: {url: '{{env.DB_URL}}',"
                + " other: '{{env.OTHER}}'}\n    options: {a: '{{env.OPT:d}}'}\njobs: []\n";
        ValidationReport r = validate(yaml);
        assertTrue(r.ok());
        assertEquals(List.of("semantic:missing_env@resources.db.config"), codes(r.warnings()));
        assertEquals("Missing env env.DB_URL", r.warnings().get(0).msg());
        assertEquals(6, r.warnings().get(0).line());
        ValidationReport strict = validate(yaml, Map.of("AETHERFLOW_VALIDATE_ENV_STRICT", "TRUE"));
        assertFalse(strict.ok());
        assertEquals(List.of("semantic:missing_env@resources.db.config"), codes(strict.errors()));
        assertTrue(validate(yaml, Map.of("DB_URL", "u", "OTHER", "o")).warnings().isEmpty());
        assertEquals(List.of("semantic:missing_env@resources.db.config"),
                codes(validate(yaml, Map.of("DB_URL", "", "OTHER", "o")).warnings()));
    }

    @Test
    void resourceSyntaxAndDecodeRules() {
        ValidationReport r = validate(HEAD + """
                resources:
                  r:
                    kind: db
                    driver: x
                    config: {password: 'pw-{{env.P:x}}', user: '{{ env.U:u }}', bad: '${X}'}
                    decode:
                      config: {password: true, user: true}
                      options_paths: [token]
                      note: 'a {{env.N}} b'
                    options: {token: '{{env.T:t}}'}
                jobs: []
                """);
        assertEquals(List.of("template:syntax@resources.r.config", "template:syntax@resources.r.config.password",
                "template:syntax@resources.r.decode.note"), codes(r.errors()));
        assertTrue(r.errors().get(0).msg().startsWith(TemplateSyntaxException.PREFIX));
        assertEquals("Decode target must be a standalone template token like '{{TOKEN}}' (no prefix/suffix).",
                r.errors().get(1).msg());
        assertEquals(TemplateSyntaxException.PREFIX, r.errors().get(2).msg());
        ValidationReport bad = validate(HEAD + "resources:\n  r: {kind: db, driver: x, decode: {config: {p: maybe}}}\njobs: []\n");
        assertEquals(List.of("template:syntax@resources.r.decode"), codes(bad.errors()));
        ValidationReport dec = validate(HEAD + "resources:\n  r: {kind: db, driver: x, decode: {x: '{{env.DK}}'}}\njobs: []\n");
        assertEquals(List.of("semantic:missing_env@resources.r.decode.x"), codes(dec.warnings()));
    }

    @Test
    void flowBlockScan() {
        ValidationReport r = validate("flow: {id: f, workspace: {root: '{{ env.broken }}/w'}, state: {path: '{{env.S}}'}}\njobs: []\n");
        assertTrue(r.ok());
        assertEquals(List.of("semantic:missing_env@flow"), codes(r.warnings()));
        assertEquals("Missing env env.broken", r.warnings().get(0).msg());
        ValidationReport s = validate("flow: {id: '{{run_id}}'}\njobs: []\n");
        assertEquals(List.of("template:syntax@flow"), codes(s.errors()));
    }

    @Test
    void stepScanUnknownRootsAndEnvOnlyMissing() {
        ValidationReport r = validate(HEAD + """
                jobs:
                  - id: a
                    steps:
                      - id: s
                        type: external.process
                        inputs:
                          command: "echo {{secrets.pw}} {{ctx.x}}"
                          args: ['{{steps.prev.out}}', '{{jobs.x.outputs.y}}', '{{result.z}} {{job.outputs.k}}']
                        outputs: {n: '{{result.count}}', e: '{{env.NEEDED}}'}
                      - id: t
                        type: external.process
                        inputs: {command: '{{env.AETHERFLOW_ACTIVE_DIR}}/x {{env.AETHERFLOW_MODE}} {{run_id}} {{flow_id}}'}
                """);
        assertEquals(List.of("template:unknown_root@jobs[0].steps[0].inputs.command",
                "template:unknown_root@jobs[0].steps[0].inputs.command",
                "template:syntax@jobs[0].steps[0].inputs"), codes(r.errors()));
        assertEquals("Unknown template root: secrets", r.errors().get(0).msg());
        assertEquals("Unknown template root: ctx", r.errors().get(1).msg());
        assertEquals(List.of("semantic:missing_env@jobs[0].steps[0].outputs"), codes(r.warnings()));
        assertEquals("Missing env env.NEEDED", r.warnings().get(0).msg());
    }

    @Test
    void onlyFirstProblemPerSubtree() {
        ValidationReport r = validate(HEAD + "resources:\n  r: {kind: db, driver: x, config: {a: '{{env.A}}', b: '{{env.B}}'}}\n"
                + "jobs: []\n");
        assertEquals(1, r.warnings().size());
        assertEquals("Missing env env.A", r.warnings().get(0).msg());
    }

    @Test
    void profilesScanJsonWinsOverFile() throws Exception {
        Path file = dir.resolve("profiles.yaml");
        Files.writeString(file, "p:\n  config:\n    password: '{{env.FILE_PASS}}'\n");
        String yaml = HEAD + "jobs: []\n";
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AETHERFLOW_PROFILES_FILE", file.toString());
        ValidationReport fromFile = validate(yaml, env);
        Issue i = fromFile.warnings().get(0);
        assertEquals("semantic:missing_env@profiles.p.config.password", i.code() + "@" + i.loc());
        assertEquals(file.toString(), i.file());
        assertEquals(3, i.line());
        env.put("AETHERFLOW_PROFILES_JSON", "{\"q\": {\"options\": {\"x\": \"{{env.JSON_X}}\", \"ok\": \"{{env.J:d}}\"},"
                + " \"decode\": {\"config\": {\"pw\": true}, \"s\": \"pre {{env.Z}}\"}}}");
        ValidationReport fromJson = validate(yaml, env);
        assertEquals(List.of("template:syntax@profiles.q.decode.s"), codes(fromJson.errors()));
        assertEquals(List.of("semantic:missing_env@profiles.q.options.x"), codes(fromJson.warnings()));
        env.put("AETHERFLOW_PROFILES_JSON", "{not json");
        ValidationReport broken = validate(yaml, env);
        assertTrue(broken.ok());
        assertEquals(List.of("profiles:not_scanned@profiles"), codes(broken.warnings()));
        env.remove("AETHERFLOW_PROFILES_JSON");
        env.put("AETHERFLOW_PROFILES_FILE", dir.resolve("missing.yaml").toString());
        assertTrue(validate(yaml, env).warnings().isEmpty());
    }

    @Test
    void unknownKeyWarningsAndStrictMode() {
        String yaml = HEAD + "jobs:\n  - id: a\n    retry: 3\n    steps: []\n";
        ValidationReport r = validate(yaml);
        assertTrue(r.ok());
        assertEquals(List.of("schema:unknown_key@jobs[0].retry"), codes(r.warnings()));
        ValidationReport strict = validate(yaml, Map.of("AETHERFLOW_VALIDATE_STRICT", "true"));
        assertFalse(strict.ok());
        assertTrue(strict.schemaFailed());
    }

    @Test
    void textRenderingHasPositions() {
        ValidationReport r = validate(HEAD + "jobs:\n  - id: a\n    when: 'x == 1'\n    steps: []\n"
                + "resources:\n  r: {kind: db, driver: x, config: {u: '{{env.U}}'}}\n");
        assertEquals("INVALID: flow.yaml\n"
                + "- jobs[0].when: semantic:invalid_when - Unsupported name: x (flow.yaml:4:5)\n"
                + "! resources.r.config: semantic:missing_env - Missing env env.U (flow.yaml:7:28)\n", r.toText());
    }

    @Test
    void validatesFromPath() throws Exception {
        Path f = dir.resolve("flow.yaml");
        Files.writeString(f, HEAD + "jobs: []\n");
        ValidationReport r = new FlowValidator(TestSteps.all(), Set.of()).validate(f, Map.of());
        assertTrue(r.ok());
        assertEquals(f.toString(), r.flowYaml());
    }

    @Test
    void idsThatBecomePathSegmentsMustBeSafe() {
        ValidationReport r = validate("flow: {id: \"../up\"}\njobs:\n  - id: \"../../..\"\n    steps:\n"
                + "      - {id: \"/abs/path\", type: external.process, inputs: {command: echo}}\n"
                + "  - id: \"a\\nb\"\n    steps:\n      - id: w\n        type: with_lock\n"
                + "        inputs: {lock_key: k, step: {id: \"..\", type: external.process, inputs: {command: echo}}}\n");
        assertFalse(r.ok());
        List<String> unsafe = r.errors().stream().filter(i -> i.code().equals("semantic:unsafe_id"))
                .map(i -> i.loc() + "@" + i.line() + ":" + i.column()).toList();
        assertEquals(List.of("flow.id@1:8", "jobs[0].id@3:5", "jobs[0].steps[0].id@5:10", "jobs[1].id@6:5",
                "jobs[1].steps[0].inputs.step.id@10:38"), unsafe);
        Issue job = find(r.errors(), "semantic:unsafe_id");
        assertTrue(job.msg().startsWith("Unsafe flow id '../up': it contains '/' (a path separator)"), job.msg());
        String text = r.toText();
        assertTrue(text.contains("Unsafe job id 'a\\nb': it contains a control character"), text);
        assertEquals(text.lines().count(), text.split("\n").length, "one line per issue");
    }

    @Test
    void aHugeIdFailsFastWithAShortMessage() {
        String id = "j".repeat(5_000_000);
        long t0 = System.nanoTime();
        ValidationReport r = validate(HEAD + "jobs:\n  - id: \"" + id + "\"\n    steps: []\n");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(r.ok());
        Issue i = find(r.errors(), "semantic:unsafe_id");
        assertTrue(i.msg().contains("(5000000 characters)") && i.msg().length() < 400, i.msg());
        assertTrue(ms < 5_000, "took " + ms + " ms");
    }

    @Test
    void templatedFlowIdsAreLeftToTheRunner() {
        assertTrue(validate("flow: {id: \"{{env.FLOW}}\"}\njobs: []\n").ok());
    }
}
