package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.secrets.SecretsException;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.launch.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsProvidersTest {

    @TempDir
    Path dir;

    private static final SecretsProvider UPPER = String::toUpperCase;

    @Test
    void noneConfigured() {
        assertTrue(SecretsProviders.resolve(Settings.from(Map.of()), n -> Optional.of(UPPER)).isEmpty());
    }

    @Test
    void moduleWinsAndIsLookedUpByName() throws Exception {
        Settings s = Settings.from(Map.of("AETHERFLOW_SECRETS_MODULE", "vault",
                "AETHERFLOW_SECRETS_PATH", "/does/not/exist"));
        Optional<SecretsProvider> p = SecretsProviders.resolve(s,
                n -> n.equals("vault") ? Optional.of(UPPER) : Optional.empty());
        assertEquals("ABC", p.orElseThrow().decode("abc"));
    }

    @Test
    void missingModule() {
        Settings s = Settings.from(Map.of("AETHERFLOW_SECRETS_MODULE", "vault"));
        SecretsConfigException e = assertThrows(SecretsConfigException.class,
                () -> SecretsProviders.resolve(s, n -> Optional.empty()));
        assertEquals("AETHERFLOW_SECRETS_MODULE=vault: no secrets provider service with aetherflow.secrets.name=vault"
                + " is installed", e.getMessage());
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
    }

    @Test
    void pathMustBeAnExecutableFile() throws Exception {
        Function1 resolve = raw -> SecretsProviders.resolve(
                Settings.from(Map.of("AETHERFLOW_SECRETS_PATH", raw)), n -> Optional.empty());
        assertTrue(assertThrows(SecretsConfigException.class, () -> resolve.apply(dir.resolve("nope").toString()))
                .getMessage().contains("does not exist"));
        Path sh = dir.resolve("secrets.sh");
        Files.writeString(sh, "#!/bin/sh\nexit 64\n");
        assertTrue(assertThrows(SecretsConfigException.class, () -> resolve.apply(sh.toString()))
                .getMessage().contains("is not executable"));
        assertTrue(assertThrows(SecretsConfigException.class, () -> resolve.apply(dir.toString()))
                .getMessage().contains("not a regular file"));
        Files.setPosixFilePermissions(sh, PosixFilePermissions.fromString("rwx------"));
        ExecutableSecretsProvider p = assertInstanceOf(ExecutableSecretsProvider.class,
                resolve.apply(sh.toString()).orElseThrow());
        assertFalse(p.isPythonHook());
    }

    @Test
    void tildeIsExpanded() {
        assertEquals(Path.of(System.getProperty("user.home"), "bin/dec"), SecretsProviders.expandHome("~/bin/dec"));
        assertEquals(Path.of(System.getProperty("user.home")), SecretsProviders.expandHome("~"));
        assertEquals(Path.of("~x/y"), SecretsProviders.expandHome("~x/y"));
    }

    @Test
    void expandEnvRegistersNewValuesWithTheMasker() {
        SecretsProvider vault = new SecretsProvider() {
            @Override
            public String decode(String value) {
                return value;
            }

            @Override
            public Map<String, String> expandEnv(Map<String, String> env) {
                Map<String, String> out = new LinkedHashMap<>(env);
                out.put("DB_PASS", "from-vault-1");
                out.put("FEATURE", "true");
                return out;
            }
        };
        SecretMasker masker = new SecretMasker();
        Map<String, String> env = Map.of("HOME", "/home/u", "API_TOKEN", "tok-123");
        Map<String, String> out = SecretsProviders.expandEnv(Optional.of(vault), env, masker);
        assertEquals("from-vault-1", out.get("DB_PASS"));
        assertEquals("/home/u", out.get("HOME"));
        assertEquals("*** *** /home/u true", masker.mask("from-vault-1 tok-123 /home/u true"));
    }

    @Test
    void expandEnvWithoutProviderStillMasksSecretNames() {
        SecretMasker masker = new SecretMasker();
        Map<String, String> env = Map.of("API_TOKEN", "tok-123");
        assertSame(env, SecretsProviders.expandEnv(Optional.empty(), env, masker));
        assertEquals("***", masker.mask("tok-123"));
    }

    @Test
    void expandEnvFailureIsExitCode4() {
        SecretsProvider broken = new SecretsProvider() {
            @Override
            public String decode(String value) {
                return value;
            }

            @Override
            public Map<String, String> expandEnv(Map<String, String> env) throws SecretsException {
                throw new SecretsException("vault unreachable");
            }
        };
        SecretsFailedException e = assertThrows(SecretsFailedException.class,
                () -> SecretsProviders.expandEnv(Optional.of(broken), Map.of(), new SecretMasker()));
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
        assertTrue(e.getMessage().contains("vault unreachable"));
    }

    private interface Function1 {
        Optional<SecretsProvider> apply(String raw);
    }
}
