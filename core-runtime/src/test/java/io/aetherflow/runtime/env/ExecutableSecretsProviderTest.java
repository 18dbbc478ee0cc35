package io.aetherflow.runtime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.secrets.SecretsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutableSecretsProviderTest {

    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void decodeReadsStdinAndStripsOneNewline() throws Exception {
        Path p = script("dec.sh", """
                [ "$1" = decode ] || exit 64
                v=$(cat)
                printf 'decoded:%s\\n\\n' "$v"
                """);
        ExecutableSecretsProvider provider = new ExecutableSecretsProvider(p);
        assertEquals("decoded:abc def\n", provider.decode("abc def"));
    }

    @Test
    void decodeOfBase64() throws Exception {
        Path p = script("b64.sh", "[ \"$1\" = decode ] || exit 64\nbase64 -d\n");
        String encoded = java.util.Base64.getEncoder().encodeToString("pä55 wörd".getBytes("UTF-8"));
        assertEquals("pä55 wörd", new ExecutableSecretsProvider(p).decode(encoded));
    }

    @Test
    void expandEnvReplacesTheSnapshot() throws Exception {
        // Adds a key and drops another, in JSON, using only sed.
        Path p = script("exp.sh", """
                case "$1" in
                  expand-env) sed -e 's/"DROP_ME": "x", //' -e 's/}$/, "FROM_VAULT": "v-123"}/' ;;
                  *) exit 64 ;;
                esac
                """);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("A", "1");
        env.put("DROP_ME", "x");
        env.put("B", "quote\" and \\ back");
        Map<String, String> out = new ExecutableSecretsProvider(p).expandEnv(env);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("A", "1");
        expected.put("B", "quote\" and \\ back");
        expected.put("FROM_VAULT", "v-123");
        assertEquals(expected, out);
    }

    @Test
    void expandEnvUnsupportedLeavesTheSnapshotUnchanged() throws Exception {
        Path p = script("dec.sh", "[ \"$1\" = decode ] || exit 64\ncat\n");
        Map<String, String> env = Map.of("A", "1");
        assertSame(env, new ExecutableSecretsProvider(p).expandEnv(env));
    }

    @Test
    void expandEnvBadOutput() throws Exception {
        Path notJson = script("a.sh", "cat >/dev/null; echo hello\n");
        assertTrue(assertThrows(SecretsException.class,
                () -> new ExecutableSecretsProvider(notJson).expandEnv(Map.of("A", "1"))).getMessage()
                .contains("JSON object"));
        Path broken = script("c.sh", "cat >/dev/null; echo '{\"A\": '\n");
        assertTrue(assertThrows(SecretsException.class,
                () -> new ExecutableSecretsProvider(broken).expandEnv(Map.of("A", "1"))).getMessage()
                .contains("not JSON"));
        Path nonString = script("b.sh", "cat >/dev/null; echo '{\"A\": 1}'\n");
        assertTrue(assertThrows(SecretsException.class,
                () -> new ExecutableSecretsProvider(nonString).expandEnv(Map.of("A", "1"))).getMessage()
                .contains("value of A"));
    }

    @Test
    void failureNeverLeaksTheValueOrStdout() throws Exception {
        Path p = script("fail.sh", """
                v=$(cat)
                echo "partial-output-$v"
                echo "cannot decode $v (partial-output-$v)" >&2
                echo "second line" >&2
                exit 3
                """);
        SecretsException e = assertThrows(SecretsException.class,
                () -> new ExecutableSecretsProvider(p).decode("ENCODED-VALUE-42"));
        String msg = e.getMessage();
        assertFalse(msg.contains("ENCODED-VALUE-42"), msg);
        assertFalse(msg.contains("partial-output"), msg);
        assertFalse(msg.contains("second line"), msg);
        assertTrue(msg.contains("exit code 3"), msg);
        assertTrue(msg.contains("cannot decode ***"), msg);
        assertTrue(msg.contains(p.toString() + " decode"), msg);
    }

    @Test
    void expandEnvFailureMasksSecretEnvValues() throws Exception {
        Path p = script("fail.sh", "cat >/dev/null\necho \"vault said no to $DB_PASSWORD\" >&2\nexit 2\n");
        SecretsException e = assertThrows(SecretsException.class,
                () -> new ExecutableSecretsProvider(p).expandEnv(Map.of("DB_PASSWORD", "pw-xyz-987")));
        // The child sees the engine's environment, not the snapshot; the message still must not leak it.
        assertFalse(e.getMessage().contains("pw-xyz-987"), e.getMessage());
        assertTrue(e.getMessage().contains("exit code 2"), e.getMessage());
    }

    @Test
    void timeoutKillsTheProgram() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path p = script("slow.sh", "echo $$ > '" + pidFile + "'\nsleep 30\n");
        long t0 = System.nanoTime();
        SecretsException e = assertThrows(SecretsException.class,
                () -> new ExecutableSecretsProvider(p, Duration.ofSeconds(2)).decode("x"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
        // generous bound: the program sleeps 30 s, so returning at all proves the timeout worked
        assertTrue(ms < 15_000, "took " + ms + " ms");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(pidFile) && !Files.readString(pidFile).isBlank(),
                "the program was killed before its first line ran (a loaded host): nothing left to check");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the program must have been killed");
    }

    @Test
    void largeInputDoesNotDeadlock() throws Exception {
        Path p = script("echo.sh", "cat\n");
        String big = "x".repeat(1 << 20);
        assertEquals(big, new ExecutableSecretsProvider(p).decode(big));
    }
}
