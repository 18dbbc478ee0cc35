package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON logs parse line by line, carry ids, end with run_end; secrets never reach logs or state. */
class LogsAndSecretsIT {

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(String stderr) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : stderr.split("\n")) {
            if (!line.isBlank()) {
                out.add((Map<String, Object>) Json.parse(line));
            }
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonLogLinesParseAndEveryEventCarriesItsIds() throws Exception {
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("logs", "  - id: a\n    steps:\n"
                + sh("s", "echo out-line; echo err-line >&2", "          log: {stdout: capture, stderr: capture}\n")));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_LOG_FORMAT", "json");
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "j1");
        assertEquals(0, r.exit(), r.toString());
        List<Map<String, Object>> ev = events(r.stderr());
        assertFalse(ev.isEmpty());
        for (Map<String, Object> e : ev) {
            assertEquals("logs", e.get("flow_id"), e.toString());
            assertEquals("j1", e.get("run_id"), e.toString());
        }
        Map<String, Object> stepEnd = ev.stream().filter(e -> "step_end".equals(e.get("event"))).findFirst().orElseThrow();
        assertEquals("a", stepEnd.get("job_id"));
        assertEquals("s", stepEnd.get("step_id"));
        assertTrue(ev.stream().anyMatch(e -> "external_process_stdout".equals(e.get("event"))
                && "out-line".equals(e.get("message")) && "s".equals(e.get("step_id"))));
        Map<String, Object> end = ev.get(ev.size() - 1);
        assertEquals("run_end", end.get("event"));
        assertEquals("SUCCESS", end.get("status"));
        assertEquals(Map.of("SUCCESS", 1L), end.get("status_counts"));
    }

    @Test
    void runEndIsEmittedOnFailureToo() throws Exception {
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("logs", "  - id: a\n    steps:\n" + sh("s", "exit 4", null)));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_LOG_FORMAT", "json");
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString());
        assertEquals(1, r.exit(), r.toString());
        List<Map<String, Object>> ev = events(r.stderr());
        Map<String, Object> end = ev.get(ev.size() - 1);
        assertEquals("run_end", end.get("event"));
        assertEquals("FAILED", end.get("status"));
        assertNotNull(end.get("error"));
    }

    @Test
    void secretsAreMaskedInLogsCapturedOutputAndState() throws Exception {
        String decoded = "pa55-decoded-Secret";
        Path decoder = tmp.resolve("decode.sh");
        Files.writeString(decoder, "#!/bin/sh\n[ \"$1\" = decode ] || exit 64\nbase64 -d\n");
        Files.setPosixFilePermissions(decoder, PosixFilePermissions.fromString("rwx------"));
        String yaml = "resources:\n  db:\n    kind: db\n    driver: none\n    config:\n"
                + "      password: \"{{env.DB_PASS_B64}}\"\n    decode:\n      config:\n        password: true\n"
                + flow("sec", "  - id: a\n    steps:\n"
                        + sh("s", "echo token=$API_TOKEN; echo decoded=" + decoded + "; echo $API_TOKEN >&2",
                                "          log: {stdout: capture, stderr: capture}\n"));
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), yaml);
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("API_TOKEN", "tok-very-secret-123");
        env.put("DB_PASS_B64", Base64.getEncoder().encodeToString(decoded.getBytes()));
        env.put("AETHERFLOW_SECRETS_PATH", decoder.toString());
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "sec1");
        assertEquals(0, r.exit(), r.toString());
        String all = r.stdout() + r.stderr();
        assertFalse(all.contains("tok-very-secret-123"), all);
        assertFalse(all.contains(decoded), all);
        assertTrue(r.stderr().contains("token=***"), r.stderr());
        Path db = Path.of(env.get("AF_STATE"));
        String state = StateDb.query(db, "SELECT * FROM step_runs").toString() + Files.readString(db,
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(state.contains("tok-very-secret-123"), "secret in the state store");
        assertFalse(state.contains(decoded), "decoded secret in the state store");

        Path failing = tmp.resolve("fail.sh");
        Files.writeString(failing, "#!/bin/sh\necho cannot decode >&2\nexit 3\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        env.put("AETHERFLOW_SECRETS_PATH", failing.toString());
        Result bad = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "sec2");
        assertEquals(4, bad.exit(), bad.toString());
        assertFalse(bad.stderr().contains(env.get("DB_PASS_B64")), bad.stderr());
    }
}
