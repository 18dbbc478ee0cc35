package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.launch.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python secrets hooks ({@code AETHERFLOW_SECRETS_PATH=<file>.py}) run by the real python3 of this machine. */
class PythonSecretsHookTest {

    @TempDir
    Path dir;

    private SecretsProvider hook(String source) throws Exception {
        Path py = dir.resolve("set_envs.py");
        Files.writeString(py, source); // not executable, as such files usually are
        Optional<SecretsProvider> p = SecretsProviders.resolve(
                Settings.from(Map.of("AETHERFLOW_SECRETS_PATH", py.toString())), n -> Optional.empty());
        ExecutableSecretsProvider provider = assertInstanceOf(ExecutableSecretsProvider.class, p.orElseThrow());
        assertTrue(provider.isPythonHook());
        return provider;
    }

    @Test
    void decodeAndExpandEnvOfAReferenceStyleModule() throws Exception {
        SecretsProvider p = hook("""
                import base64
                print("hooks may print; it must not reach the answer")

                def _helper(v):
                    return base64.b64decode(v).decode("utf-8")

                def decode(value):
                    print("decoding")
                    return _helper(value)

                def expand_env(env):
                    out = dict(env)
                    out["FROM_HOOK"] = "h-" + env["A"]
                    del out["DROP"]
                    return out
                """);
        assertEquals("pä55 wörd\n", p.decode(java.util.Base64.getEncoder()
                .encodeToString("pä55 wörd\n".getBytes("UTF-8"))));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        env.put("DROP", "x");
        assertEquals(Map.of("A", "1", "FROM_HOOK", "h-1"), p.expandEnv(env));
        assertFalse(Files.exists(dir.resolve("__pycache__")), "importing the hook wrote __pycache__");
    }

    @Test
    void withoutExpandEnvTheSnapshotIsUnchanged() throws Exception {
        SecretsProvider p = hook("def decode(value):\n    return value[::-1]\n");
        Map<String, String> env = Map.of("A", "1");
        assertSame(env, p.expandEnv(env));
        assertEquals("cba", p.decode("abc"));
    }

    @Test
    void decodeExceptionIsOneLineWithTheTracebackOnlyAsCause() throws Exception {
        SecretsProvider p = hook("def decode(value):\n    raise ValueError('cannot decode ' + value)\n");
        SecretsException e = assertThrows(SecretsException.class, () -> p.decode("s3cr3t-token"));
        assertEquals("secrets hook " + dir.resolve("set_envs.py") + " decode failed: decode() raised"
                + " ValueError: cannot decode *** (line 2)", e.getMessage());
        assertNotNull(e.getCause());
        assertTrue(e.getCause().getMessage().contains("Traceback (most recent call last)"), e.getCause().getMessage());
        assertFalse(e.getCause().getMessage().contains("s3cr3t-token"), e.getCause().getMessage());
    }

    @Test
    void decodeMustReturnStr() throws Exception {
        SecretsProvider p = hook("def decode(value):\n    return None\n");
        SecretsException e = assertThrows(SecretsException.class, () -> p.decode("x"));
        assertTrue(e.getMessage().endsWith("decode failed: decode() returned NoneType, not str;"
                + " it must return the decoded text"), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void expandEnvMustReturnADictOfStrings() throws Exception {
        SecretsProvider none = hook("def decode(v):\n    return v\ndef expand_env(env):\n    env['X'] = '1'\n");
        assertTrue(assertThrows(SecretsException.class, () -> none.expandEnv(Map.of())).getMessage()
                .endsWith("expand-env failed: expand_env() returned NoneType, not dict; it must return the whole"
                        + " new environment as a dict of str to str"));
        SecretsProvider number = hook("def decode(v):\n    return v\ndef expand_env(env):\n    return {'PORT': 22}\n");
        assertTrue(assertThrows(SecretsException.class, () -> number.expandEnv(Map.of())).getMessage()
                .endsWith("expand_env() returned a int value for PORT; keys and values must be str"));
    }

    @Test
    void aModuleWithoutDecodeIsRefused() throws Exception {
        SecretsProvider p = hook("def expand_env(env):\n    return env\n");
        SecretsException e = assertThrows(SecretsException.class, () -> p.expandEnv(Map.of()));
        assertTrue(e.getMessage().endsWith("expand-env failed: defines no callable decode(value); a secrets hook"
                + " must define decode(value) -> str and may define expand_env(env) -> dict"), e.getMessage());
    }

    @Test
    void importErrorsNameTheLine() throws Exception {
        SecretsProvider syntax = hook("def decode(value)\n    return value\n");
        assertTrue(assertThrows(SecretsException.class, () -> syntax.decode("x")).getMessage()
                .contains("decode failed: cannot be imported: SyntaxError: "));
        SecretsProvider missing = hook("import no_such_module_here\ndef decode(v):\n    return v\n");
        assertTrue(assertThrows(SecretsException.class, () -> missing.decode("x")).getMessage()
                .endsWith("decode failed: cannot be imported: ModuleNotFoundError: No module named"
                        + " 'no_such_module_here' (line 1)"));
    }

    @Test
    void noPython3OnThePathIsAnEnvironmentError() throws Exception {
        Path py = Files.writeString(dir.resolve("set_envs.py"), "def decode(v):\n    return v\n");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        SecretsConfigException e = assertThrows(SecretsConfigException.class, () -> SecretsProviders.resolve(
                Settings.from(Map.of("AETHERFLOW_SECRETS_PATH", py.toString())), n -> Optional.empty(),
                bin.toString()));
        assertEquals("AETHERFLOW_SECRETS_PATH=" + py + " is a Python secrets hook, but there is no python3 on the"
                + " PATH (" + bin + "); install Python 3 or put python3 on the PATH", e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
    }

    @Test
    void filesInTheWorkingDirectoryDoNotShadowStandardModules() throws Exception {
        // the engine's working directory is on no import path: a json.py there must not break the adapter
        Path cwd = Path.of("").toAbsolutePath();
        Path planted = cwd.resolve("json.py");
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(planted));
        Files.writeString(planted, "raise RuntimeError('shadowed')\n");
        try {
            SecretsProvider p = hook("def decode(value):\n    return value.upper()\n"
                    + "def expand_env(env):\n    return {'A': 'b'}\n");
            assertEquals(Map.of("A", "b"), p.expandEnv(Map.of()));
        } finally {
            Files.delete(planted);
        }
    }
}
