package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Python AetherFlow secrets hook ({@code hooks/set_envs.py}) works unchanged through python3 and our adapter. */
class PythonSecretsHookIT {

    private static final String DECODED = "pa55-from-python-Hook";

    @TempDir
    Path tmp;

    /** A reference-style hook: not executable, decode() plus expand_env(), a private helper, a print(). */
    private Path hook() throws Exception {
        return Aetherflow.write(tmp.resolve("hooks/set_envs.py"), """
                import base64

                def _b64(value):
                    return base64.b64decode(value).decode("utf-8")

                def decode(value):
                    print("decode called")
                    if value == "broken":
                        raise ValueError("vault says no for " + value)
                    return _b64(value)

                def expand_env(env):
                    out = dict(env)
                    out["DB_PASS"] = _b64(env["DB_PASS_B64"])
                    return out
                """);
    }

    private Path flowFile() throws Exception {
        String yaml = "resources:\n  db:\n    kind: db\n    driver: none\n    config:\n"
                + "      password: \"{{env.DB_PASS_B64}}\"\n    decode:\n      config:\n        password: true\n"
                + flow("pyhook", "  - id: a\n    steps:\n"
                        + sh("s", "printf %s \"$DB_PASS\" > \"$AETHERFLOW_WORK_ROOT/pass.txt\";"
                                + " echo env=$DB_PASS; echo literal=" + DECODED,
                                "          log: {stdout: capture, stderr: capture}\n"));
        return Aetherflow.write(tmp.resolve("flow.yaml"), yaml);
    }

    private Map<String, String> env(String encoded) throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("DB_PASS_B64", encoded);
        env.put("AETHERFLOW_SECRETS_PATH", "hooks/set_envs.py");
        hook();
        return env;
    }

    @Test
    void decodedValuesAreUsedAndMasked() throws Exception {
        Map<String, String> env = env(Base64.getEncoder().encodeToString(DECODED.getBytes()));
        Path f = flowFile();
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "py1");
        assertEquals(0, r.exit(), r.toString());
        // expand_env's value reached the step's environment ...
        assertEquals(DECODED, Files.readString(Path.of(env.get("AETHERFLOW_WORK_ROOT"), "pass.txt")));
        // ... and neither it nor decode()'s value appears anywhere in the output
        String all = r.stdout() + r.stderr();
        assertFalse(all.contains(DECODED), all);
        assertTrue(r.stderr().contains("env=***"), r.stderr());
        assertTrue(r.stderr().contains("literal=***"), r.stderr());
        assertFalse(all.contains("decode called"), "the hook's print() leaked into the engine's output: " + all);
        assertFalse(Files.exists(tmp.resolve("hooks/__pycache__")), "importing the hook wrote __pycache__");
    }

    @Test
    void aFailingDecodeIsOneLineExit4WithoutTraceback() throws Exception {
        Map<String, String> env = env("enc-value-xyz");
        Files.writeString(tmp.resolve("hooks/set_envs.py"), "import json\n"
                + "def decode(value):\n    raise ValueError('vault says no for ' + value)\n");
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", flowFile().toString(), "--run-id", "py2");
        assertEquals(4, r.exit(), r.toString());
        assertFalse(r.stderr().contains("Traceback"), r.stderr());
        assertTrue(r.stderr().contains("decode() raised ValueError: vault says no for *** (line 3)"), r.stderr());
        assertFalse(r.stderr().contains("enc-value-xyz"), r.stderr());

        env.put("AETHERFLOW_LOG_LEVEL", "DEBUG");
        Result debug = Aetherflow.run(tmp, env, "run", "--flow-yaml", flowFile().toString(), "--run-id", "py3");
        assertEquals(4, debug.exit(), debug.toString());
        assertTrue(debug.stderr().contains("Traceback (most recent call last)"), debug.stderr());
        assertFalse(debug.stderr().contains("enc-value-xyz"), debug.stderr());
    }

    @Test
    void withoutPython3OnThePathTheRunStopsWithExit4AndOneLine() throws Exception {
        Map<String, String> env = env(Base64.getEncoder().encodeToString(DECODED.getBytes()));
        // a PATH with the tools bin/aetherflow needs, but no python3
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("readlink", "dirname", "cksum", "mkdir", "rm", "mv")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                if (Files.isExecutable(Path.of(dir, tool)) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), Path.of(dir, tool));
                }
            }
        }
        env.put("PATH", bin.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", flowFile().toString(), "--run-id", "py4");
        assertEquals(4, r.exit(), r.toString());
        List<String> lines = r.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), r.stderr());
        assertEquals("aetherflow: error: AETHERFLOW_SECRETS_PATH=hooks/set_envs.py is a Python secrets hook, but there is"
                + " no python3 on the PATH (" + bin + "); install Python 3 or put python3 on the PATH", lines.get(0));
    }
}
