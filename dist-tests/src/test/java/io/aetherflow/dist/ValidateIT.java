package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input at validation and run time: one clear line, the documented exit code, nothing half-written. */
class ValidateIT {

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Aetherflow.baseEnv(tmp);
    }

    private Path file(String yaml) throws Exception {
        return Aetherflow.write(tmp.resolve("flow.yaml"), yaml);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(Result r) {
        return (Map<String, Object>) Json.parse(r.stdout().trim());
    }

    @Test
    @SuppressWarnings("unchecked")
    void validationErrorsCarryYamlLineNumbers() throws Exception {
        Path f = file(flow("v", "  - id: a\n    steps:\n" + sh("s", "true", null) + sh("s", "true", null)));
        Result text = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
        assertEquals(2, text.exit(), text.toString());
        assertTrue(text.stdout().startsWith("INVALID: " + f), text.stdout());
        assertTrue(text.stdout().contains("- jobs[0].steps: semantic:duplicate_step_id - Duplicate step id in job 'a': s"),
                text.stdout());
        assertTrue(text.stdout().contains("flow.yaml:10:"), text.stdout());
        Result js = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString(), "--json");
        assertEquals(2, js.exit());
        Map<String, Object> report = json(js);
        assertEquals(false, report.get("ok"));
        Map<String, Object> err = ((List<Map<String, Object>>) report.get("errors")).get(0);
        assertEquals("semantic:duplicate_step_id", err.get("code"));
        assertEquals(10L, ((Number) err.get("line")).longValue());
        assertEquals(f.toString(), report.get("flow_yaml"));
    }

    @Test
    void aValidFlowValidatesWithExitZero() throws Exception {
        Path f = file(flow("v", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result r = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().startsWith("OK: " + f), r.stdout());
    }

    @Test
    void malformedYamlNamesFileLineAndColumn() throws Exception {
        Path f = file("flow:\n  id: x\njobs:\n  - id: a\n   steps: []\n");
        Result r = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue((r.stdout() + r.stderr()).matches("(?s).*flow\\.yaml:\\d+:\\d+.*"), r.toString());
        assertFalse(r.stderr().contains("\tat "), r.stderr());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonModePrintsAReportEvenForUnloadableYaml() throws Exception {
        Path f = file("flow:\n  id: a\nflow:\n  id: b\njobs: []\n");
        Result r = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString(), "--json");
        assertEquals(2, r.exit(), r.toString());
        Map<String, Object> report = json(r);
        assertEquals(false, report.get("ok"));
        Map<String, Object> err = ((List<Map<String, Object>>) report.get("errors")).get(0);
        assertEquals("yaml:invalid", err.get("code"));
        assertEquals(3L, ((Number) err.get("line")).longValue());
        assertTrue(String.valueOf(err.get("msg")).contains("duplicate key"), err.toString());
    }

    @Test
    void aliasBombsAndHugeDocumentsAreRefused() throws Exception {
        StringBuilder bomb = new StringBuilder("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            bomb.append("]\n");
            prev = c;
        }
        Path f = file(bomb.toString());
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().toLowerCase().contains("alias"), r.stderr());

        Path huge = tmp.resolve("huge.yaml");
        StringBuilder sb = new StringBuilder(flow("h", "  - id: a\n    steps: []\n"));
        String line = "# " + "x".repeat(1000) + "\n";
        try (var w = Files.newBufferedWriter(huge)) {
            w.write(sb.toString());
            for (int i = 0; i < 12_000; i++) {
                w.write(line);
            }
        }
        Result big = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", huge.toString());
        assertEquals(2, big.exit(), big.toString());
    }

    @Test
    void unknownKeysWarnAndAreErrorsInStrictMode() throws Exception {
        Path f = file(flow("v", "  - id: a\n    retries: 3\n    steps:\n" + sh("s", "true", null)));
        Result r = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("! jobs[0].retries: schema:unknown_key"), r.stdout());
        Map<String, String> strict = env();
        strict.put("AETHERFLOW_VALIDATE_STRICT", "true");
        assertEquals(2, Aetherflow.run(tmp, strict, "validate", "--flow-yaml", f.toString()).exit());
    }

    @Test
    void templateSyntaxErrorsAndInvalidWhenAreExitTwoBeforeAnythingRuns() throws Exception {
        Path marker = tmp.resolve("ran");
        Path f = file(flow("v", "  - id: a\n    steps:\n" + sh("s", "touch " + marker + " {{ env.HOME | upper }}", null)));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("template:syntax"), r.stderr());
        assertFalse(Files.exists(marker));
        assertFalse(Files.exists(Path.of(env().get("AF_STATE"))), "nothing written for an invalid flow");

        Path w = file(flow("v", "  - id: a\n    steps: []\n  - id: b\n    when: jobs.a.outputs.n + 1 > 2\n    steps: []\n"));
        Result bad = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", w.toString());
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.stdout().contains("semantic:invalid_when"), bad.stdout());
    }

    @Test
    void missingEnvWarnsInValidateFailsStrictAndFailsTheRunClearly() throws Exception {
        Path f = file(flow("v", "  - id: a\n    steps:\n" + sh("s", "echo {{env.SURELY_NOT_SET_X}}", null)));
        Result v = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
        assertEquals(0, v.exit(), v.toString());
        assertTrue(v.stdout().contains("semantic:missing_env"), v.stdout());
        Map<String, String> strict = env();
        strict.put("AETHERFLOW_VALIDATE_ENV_STRICT", "true");
        assertEquals(2, Aetherflow.run(tmp, strict, "validate", "--flow-yaml", f.toString()).exit());
        Result run = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.stderr().contains("env.SURELY_NOT_SET_X"), run.stderr());

        Path meta = file("flow:\n  id: m\n  workspace:\n    root: \"{{env.SURELY_NOT_SET_ROOT}}\"\n  state:\n"
                + "    path: \"{{env.AF_STATE}}\"\njobs: []\n");
        Result m = Aetherflow.run(tmp, env(), "run", "--flow-yaml", meta.toString());
        assertEquals(2, m.exit(), m.toString());
        assertTrue(m.stderr().contains("SURELY_NOT_SET_ROOT"), m.stderr());
    }

    @Test
    void idsThatWouldEscapeTheWorkspaceAreRefused() throws Exception {
        Path f = file(flow("v", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "../../etc");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("--run-id"), r.stderr());
        Path g = file(flow("a/../../b", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result fr = Aetherflow.run(tmp, env(), "run", "--flow-yaml", g.toString());
        assertEquals(2, fr.exit(), fr.toString());
        assertTrue(fr.stderr().contains("flow.id"), fr.stderr());
    }

    @Test
    void unknownStepTypesAreExitThreeInValidateToo() throws Exception {
        Path f = file(flow("v", "  - id: a\n    steps:\n      - id: s\n        type: sftp_upload_file\n"));
        Result r = Aetherflow.run(tmp, env(), "validate", "--flow-yaml", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.stdout().contains("semantic:unknown_step_type"), r.stdout());
    }
}
