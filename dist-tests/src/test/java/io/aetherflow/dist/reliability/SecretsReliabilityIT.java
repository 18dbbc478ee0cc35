package io.aetherflow.dist.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.reliability.SecretsExperiment.Result;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 reliability experiment "secrets": 12 secret-bearing runs across every log mode (inherit,
 * capture, file, JSON logs), failures, timeouts, retries, step outputs, binary output and a decoded
 * URL; then every byte of stdout and stderr (of the runs and of {@code runs show --json} /
 * {@code runs list --json}), every file under the test directory (workspace, artifacts, logs, the
 * SQLite file and its WAL) and every column of every table of the state DB is searched for the
 * secrets. Criterion: 0 occurrences.
 */
class SecretsReliabilityIT {

    private static final String DB_PASSWORD = "Rel-Pw-4711-alpha";
    private static final String API_TOKEN = "tok-Rel-9f3e2d1c";
    private static final String DECODED = "Decoded-Rel-Zq8w";
    private static final String URL_PASSWORD = "UrlPw-Rel-55x";
    private static final String URL_KEY = "UrlKey-Rel-66y";
    /** How HTTP clients show the decoded URL in errors (no userinfo, no query): masked as well. */
    private static final String URL_SHOWN = "http://127.0.0.1:9/api";
    private static final List<String> SECRETS = List.of(DB_PASSWORD, API_TOKEN, DECODED, URL_PASSWORD, URL_KEY,
            URL_SHOWN);

    /** Prints every secret the child can see: env secrets and the decoded value (decoded again by the child). */
    private static final String PRINT_ALL = "echo pw=$DB_PASSWORD tok=$API_TOKEN;"
            + " echo dec=$(echo $DB_PASS_B64 | base64 -d); echo err-pw=$DB_PASSWORD >&2";

    @TempDir
    Path tmp;

    private static String resources() {
        return "resources:\n"
                + "  db:\n    kind: db\n    driver: none\n    config:\n      password: \"{{env.DB_PASS_B64}}\"\n"
                + "    decode:\n      config:\n        password: true\n"
                + "  api:\n    kind: rest\n    driver: http\n    config:\n      base_url: \"{{env.API_URL_B64}}\"\n"
                + "    options: {timeout: 5}\n    decode:\n      config:\n        base_url: true\n";
    }

    private static String flow(String id, String steps) {
        return resources() + "flow:\n  id: " + id + "\n  workspace:\n    root: \"{{env.AETHERFLOW_WORK_ROOT}}\"\n"
                + "    cleanup_policy: never\n  state:\n    path: \"{{env.AF_STATE}}\"\n"
                + "jobs:\n  - id: j\n    steps:\n" + steps;
    }

    private static String sh(String id, String script, String extra) {
        return "      - id: " + id + "\n        type: external.process\n        inputs:\n"
                + "          command: [\"/bin/sh\", \"-c\", \""
                + script.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]\n"
                + (extra == null ? "" : extra);
    }

    /** One experiment run: a flow, extra env, the expected exit code. */
    private record Case(String name, String steps, Map<String, String> env, int exit) {
    }

    private List<Case> cases() {
        List<Case> c = new ArrayList<>();
        String capture = "          log: {stdout: capture, stderr: capture}\n";
        Map<String, String> json = Map.of("AETHERFLOW_LOG_FORMAT", "json");
        c.add(new Case("inherit", sh("s", PRINT_ALL, null), Map.of(), 0));
        c.add(new Case("capture", sh("s", PRINT_ALL, capture), Map.of(), 0));
        c.add(new Case("file", sh("s", PRINT_ALL, "          log: {stdout: file, stderr: file, file_path: logs/s.log}\n"),
                Map.of(), 0));
        c.add(new Case("json_capture", sh("s", PRINT_ALL, capture), json, 0));
        c.add(new Case("json_inherit", sh("s", PRINT_ALL, null), json, 0));
        c.add(new Case("error_capture", sh("s", PRINT_ALL + "; echo failing with $API_TOKEN >&2; exit 3",
                "          log: {stdout: capture, stderr: capture}\n"), Map.of(), 1));
        c.add(new Case("error_argv", "      - id: s\n        type: external.process\n        inputs:\n"
                + "          command: [\"/bin/sh\", \"-c\", \"echo $0 $1; exit 5\", \"{{env.DB_PASSWORD}}\","
                + " \"{{env.API_TOKEN}}\"]\n",
                json, 1));
        c.add(new Case("error_http_decoded_url", "      - id: get\n        type: http_request\n        inputs:\n"
                + "          resource: api\n          path: items/42?page=2\n", Map.of(), 1));
        c.add(new Case("timeout_tail", sh("s", "printf 'tail %s %s' $DB_PASSWORD $API_TOKEN; exec sleep 30",
                "          timeout_seconds: 1\n          log: {stdout: file, file_path: logs/t.log}\n"), Map.of(), 1));
        c.add(new Case("retry_split_file", sh("s", "printf 'pw=%s' $(echo $DB_PASSWORD | cut -c1-6); sleep 0.2;"
                + " printf -- '%s\\n' $(echo $DB_PASSWORD | cut -c7-); [ -f again ] || { touch again; exit 7; }",
                "          cwd: .\n          log: {stdout: file, stderr: file, file_path: logs/r.log}\n"
                        + "          retry: {max_attempts: 2, retry_on_exit_codes: [7]}\n"), Map.of(), 0));
        c.add(new Case("outputs", sh("s", "echo ok",
                "          outputs: {pw: \"{{env.DB_PASSWORD}}\", tok: \"{{env.API_TOKEN}}\"}\n")
                + sh("t", "echo got $PW", "          env: {PW: \"{{steps.s.pw}}\"}\n"
                        + "          log: {stdout: capture}\n"), json, 0));
        c.add(new Case("binary", sh("s", "head -c 3000 /dev/urandom; echo $DB_PASSWORD; head -c 3000 /dev/urandom;"
                + " echo $API_TOKEN >&2", null)
                + sh("f", "head -c 3000 /dev/urandom; printf %s $DB_PASSWORD; head -c 70000 /dev/zero",
                        "          log: {stdout: file, file_path: logs/b.log}\n"), Map.of(), 0));
        return c;
    }

    @Test
    void noSecretReachesAnyByteTheEngineWrites() throws Exception {
        Path decoder = tmp.resolve("decode.sh");
        Files.writeString(decoder, "#!/bin/sh\n[ \"$1\" = decode ] || exit 64\nbase64 -d\n");
        Files.setPosixFilePermissions(decoder, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> base = SecretsExperiment.baseEnv(tmp);
        base.put("DB_PASSWORD", DB_PASSWORD);
        base.put("API_TOKEN", API_TOKEN);
        base.put("DB_PASS_B64", b64(DECODED));
        base.put("API_URL_B64", b64("http://svc:" + URL_PASSWORD + "@127.0.0.1:9/api?api_key=" + URL_KEY));
        base.put("AETHERFLOW_SECRETS_PATH", decoder.toString());

        ByteArrayOutputStream searched = new ByteArrayOutputStream();
        List<String> problems = new ArrayList<>();
        int runs = 0;
        int masks = 0;
        for (Case c : cases()) {
            Path f = tmp.resolve("flows/" + c.name() + ".yaml");
            Files.createDirectories(f.getParent());
            Files.writeString(f, flow(c.name(), c.steps()));
            Map<String, String> env = new LinkedHashMap<>(base);
            env.putAll(c.env());
            Result r = SecretsExperiment.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "r-" + c.name());
            runs++;
            if (r.exit() != c.exit()) {
                problems.add(c.name() + ": exit " + r.exit() + ", expected " + c.exit() + "\n" + r);
            }
            int caseMasks = r.text().split("\\*\\*\\*", -1).length - 1;
            masks += caseMasks;
            searched.writeBytes(r.stdout());
            searched.writeBytes(r.stderr());
            Result show = SecretsExperiment.run(tmp, env, "runs", "show", "r-" + c.name(), "--state",
                    env.get("AF_STATE"), "--json");
            if (show.exit() != 0) {
                problems.add(c.name() + ": runs show exit " + show.exit() + "\n" + show);
            }
            searched.writeBytes(show.stdout());
            searched.writeBytes(show.stderr());
        }
        Result list = SecretsExperiment.run(tmp, base, "runs", "list", "--state", base.get("AF_STATE"), "--json");
        searched.writeBytes(list.stdout());
        searched.writeBytes(list.stderr());
        int files = 0;
        for (Path p : SecretsExperiment.files(tmp)) {
            searched.writeBytes(Files.readAllBytes(p));
            files++;
        }
        List<String> dbValues = SecretsExperiment.dumpDb(Path.of(base.get("AF_STATE")));
        for (String v : dbValues) {
            searched.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            searched.write('\n');
        }
        byte[] all = searched.toByteArray();
        int occurrences = 0;
        for (String s : SECRETS) {
            int n = SecretsExperiment.count(all, s.getBytes(StandardCharsets.UTF_8));
            if (n > 0) {
                problems.add(n + " occurrence(s) of secret " + SECRETS.indexOf(s));
            }
            occurrences += n;
        }
        boolean pass = occurrences == 0 && problems.isEmpty();
        System.out.println("FIGURE secrets-masking: runs=" + runs + " secret_occurrences=" + occurrences
                + " masks_seen=" + masks + " files=" + files + " db_values=" + dbValues.size() + " bytes_searched="
                + all.length + " (0 occurrences of any of " + SECRETS.size() + " secrets in every byte of stdout, stderr,"
                + " runs show/list --json, files under the workspace and every DB column) " + (pass ? "PASS" : "FAIL"));
        assertEquals(List.of(), problems);
        assertEquals(0, occurrences);
        assertTrue(masks >= runs, "every run printed secrets, so masks must show: " + masks);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
