package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 (3, 9): a child's output is masked in the default {@code inherit} mode and in log files;
 * only {@code inherit_raw} hands the child the engine's descriptors; URL userinfo and query values of
 * a decoded setting are masked even inside a longer URL.
 */
class OutputMaskingIT {

    private static final String SECRET = "hunter2-xyz-Secret";

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("DB_PASSWORD", SECRET);
        return env;
    }

    private static String filesUnder(Path dir) throws Exception {
        StringBuilder b = new StringBuilder();
        if (!Files.exists(dir)) {
            return "";
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                b.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }

    @Test
    void theDefaultInheritModeMasksStdoutAndStderrAndKeepsPartialLines() throws Exception {
        // the secret is written in two pieces with a pause between them (cut by the shell, so the flow
        // text holds no part of it); the last line has no newline
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("inherit", "  - id: a\n    steps:\n"
                + sh("s", "echo pw=$DB_PASSWORD; echo err=$DB_PASSWORD >&2;"
                        + " printf 'half=%s' $(echo $DB_PASSWORD | cut -c1-7);"
                        + " sleep 0.3; printf -- '%s tail' $(echo $DB_PASSWORD | cut -c8-)", null)));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(0, r.exit(), r.toString());
        assertFalse((r.stdout() + r.stderr()).contains("hunter2"), r.toString());
        assertEquals("pw=***\nhalf=*** tail", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("\nerr=***\n"), r.stderr());
    }

    @Test
    void fileModeLogsAreMaskedAsTheyAreWritten() throws Exception {
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("filelog", "  - id: a\n    steps:\n"
                + sh("s", "echo pw=$DB_PASSWORD; printf 'half=%s' $(echo $DB_PASSWORD | cut -c1-7);"
                        + " sleep 0.3; printf -- '%s\\n' $(echo $DB_PASSWORD | cut -c8-);"
                        + " echo e=$DB_PASSWORD >&2",
                        "          log: {stdout: file, stderr: file, file_path: logs/p.log}\n")));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString(), "--run-id", "f1");
        assertEquals(0, r.exit(), r.toString());
        Path log;
        try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
            log = s.filter(p -> p.endsWith("logs/p.log")).findFirst().orElseThrow();
        }
        // stdout and stderr are separate pipes: whole lines, in each stream's order
        String text = Files.readString(log);
        assertTrue(text.endsWith("\n"), text);
        assertEquals(Set.of("pw=***", "half=***", "e=***"), Set.copyOf(List.of(text.split("\n"))), text);
        assertTrue(text.indexOf("pw=***") < text.indexOf("half=***"), text);
        assertFalse(filesUnder(tmp).contains("hunter2"), "secret under the test directory");
    }

    @Test
    void theOutputTailIsKeptWhenAStepTimesOut() throws Exception {
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("tail", "  - id: a\n    steps:\n"
                + sh("s", "printf 'last words %s' $DB_PASSWORD; exec sleep 30", "          timeout_seconds: 1\n")));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("last words ***", r.stdout(), r.toString());
    }

    @Test
    void inheritRawIsTheExplicitUnmaskedOptOut() throws Exception {
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("raw", "  - id: a\n    steps:\n"
                + sh("s", "echo raw=$DB_PASSWORD", "          log: {stdout: inherit_raw}\n")));
        Result r = Aetherflow.run(tmp, env(), "run", "--flow-yaml", f.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("raw=" + SECRET + "\n", r.stdout(), "inherit_raw writes to the engine's stdout directly");
    }

    @Test
    void urlUserinfoAndQueryValuesOfADecodedBaseUrlAreMaskedInErrorsAndState() throws Exception {
        String password = "Pw-9sEcret-u";
        String key = "Key-77abc-q";
        String baseUrl = "http://svc:" + password + "@127.0.0.1:9/api?api_key=" + key;
        Path decoder = tmp.resolve("decode.sh");
        Files.writeString(decoder, "#!/bin/sh\n[ \"$1\" = decode ] || exit 64\nbase64 -d\n");
        Files.setPosixFilePermissions(decoder, PosixFilePermissions.fromString("rwx------"));
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), "resources:\n  api:\n    kind: rest\n    driver: http\n"
                + "    config:\n      base_url: \"{{env.API_URL_B64}}\"\n    options: {timeout: 5}\n"
                + "    decode:\n      config:\n        base_url: true\n"
                + flow("url", "  - id: a\n    steps:\n"
                        + "      - id: get\n        type: http_request\n        inputs:\n"
                        + "          resource: api\n          path: items/42\n"));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("API_URL_B64", Base64.getEncoder().encodeToString(baseUrl.getBytes(StandardCharsets.UTF_8)));
        env.put("AETHERFLOW_SECRETS_PATH", decoder.toString());
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "u1");
        assertEquals(1, r.exit(), r.toString());
        // the client shows the URL without userinfo and query; that form of a decoded value is masked too
        assertTrue(r.stderr().contains("http_request: REST request failed after 1 attempt(s): GET ***"), r.stderr());
        String everything = r.stdout() + r.stderr() + filesUnder(tmp) + StateDb.query(Path.of(env.get("AF_STATE")),
                "SELECT * FROM step_runs").toString();
        assertFalse(everything.contains(password), r.toString());
        assertFalse(everything.contains(key), r.toString());
        assertFalse(everything.contains("http://127.0.0.1:9/api"), r.toString());
    }
}
