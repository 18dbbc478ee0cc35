package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher refuses a plugin set that differs from plugins.lock: exit 3, naming the bundle. */
class PluginSetIT {

    @TempDir
    Path tmp;

    private Path home;

    @BeforeEach
    void copyInstallation() throws Exception {
        home = Aetherflow.copyInstallation(tmp);
    }

    private Result version() throws Exception {
        return Aetherflow.run(home, tmp, Aetherflow.baseEnv(tmp), "version");
    }

    private Path bundle(String part) throws Exception {
        try (Stream<Path> s = Files.list(home.resolve("bundles"))) {
            return s.filter(p -> p.getFileName().toString().contains(part)).findFirst().orElseThrow();
        }
    }

    @Test
    void aMissingBundleIsRefused() throws Exception {
        Path jar = bundle("steps-process");
        Files.delete(jar);
        Result r = version();
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.stderr().contains("io.aetherflow.steps.process"), r.stderr());
    }

    @Test
    void anExtraUnlockedBundleIsRefused() throws Exception {
        Files.copy(bundle("steps-control"), home.resolve("bundles/sneaky-plugin.jar"));
        Result r = version();
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.stderr().contains("sneaky-plugin.jar"), r.stderr());
    }

    /**
     * Plugin bundles start only when needed (docs/plugin-authoring.md, lazy start): a locked bundle that does
     * not resolve does not stop a command that does not need it, but {@code plugins verify} refuses the set.
     */
    @Test
    void aLockedBundleWithAnUnresolvableImportIsRefusedByVerifyButDoesNotStopOtherCommands() throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "com.example.broken");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "com.example.nowhere;version=\"[1.0,2)\"");
        Path jar = home.resolve("bundles/broken-1.0.0.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        Files.writeString(home.resolve("plugins.lock"), "com.example.broken 1.0.0 " + sha + " bundles/broken-1.0.0.jar\n",
                java.nio.file.StandardOpenOption.APPEND);
        Result r = version();
        assertEquals(0, r.exit(), r.toString());
        Result verify = Aetherflow.run(home, tmp, Aetherflow.baseEnv(tmp), "plugins", "verify");
        assertEquals(3, verify.exit(), verify.toString());
        assertTrue(verify.stderr().contains("com.example.broken") && verify.stderr().contains("com.example.nowhere"),
                verify.stderr());
        Result eager = Aetherflow.run(home, tmp, withEnv("AETHERFLOW_PLUGINS_START", "all"), "version");
        assertEquals(3, eager.exit(), "the old start-up refuses the launch: " + eager);
        assertTrue(eager.stderr().contains("plugin set does not resolve: com.example.broken 1.0.0"), eager.stderr());
    }

    private Map<String, String> withEnv(String key, String value) {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put(key, value);
        return env;
    }

    @Test
    void anIntactInstallationStarts() throws Exception {
        Result r = version();
        assertEquals(0, r.exit(), r.toString());
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        assertTrue(env.containsKey("AETHERFLOW_CACHE_HOME"));
    }
}
