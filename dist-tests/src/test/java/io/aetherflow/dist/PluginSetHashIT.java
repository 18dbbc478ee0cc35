package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin-set hash is of the set, not of plugins.lock's text: add then remove gives the same hash everywhere. */
class PluginSetHashIT {

    @TempDir
    Path tmp;

    private Path home;
    private Map<String, String> env;

    @BeforeEach
    void copyInstallation() throws Exception {
        home = Aetherflow.copyInstallation(tmp);
        env = Aetherflow.installationEnv(tmp);
    }

    private Result af(String... args) throws Exception {
        return Aetherflow.run(home, tmp, env, args);
    }

    @SuppressWarnings("unchecked")
    private String hash(String... command) throws Exception {
        Result r = af(command);
        assertEquals(0, r.exit(), r.toString());
        return (String) ((Map<String, Object>) Json.parse(r.stdout())).get("plugin_set_hash");
    }

    @Test
    void addThenRemoveKeepsTheHash() throws Exception {
        String before = hash("version", "--json");
        assertTrue(before.matches("[0-9a-f]{64}"), before);
        assertEquals(before, hash("plugins", "list", "--json"));
        String lockBefore = Files.readString(home.resolve("plugins.lock"));

        Result add = af("plugins", "add", Signing.plugin(tmp.resolve("vendor/acme-versioned-1.0.0.jar"), "1.0.0").toString());
        assertEquals(0, add.exit(), add.toString());
        String added = hash("version", "--json");
        assertNotEquals(before, added, "another set, another hash");

        Result remove = af("plugins", "remove", "com.acme.versioned");
        assertEquals(0, remove.exit(), remove.toString());
        assertNotEquals(lockBefore, Files.readString(home.resolve("plugins.lock")), "the lock's comment line changed");
        assertEquals(before, hash("version", "--json"));
        assertEquals(before, hash("plugins", "list", "--json"));
        assertEquals(before, hash("plugins", "verify", "--json"));

        // a run records and logs the same value
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("hash", "  - id: a\n    steps:\n" + sh("s", "true", null)));
        Result run = af("run", "--flow-yaml", f.toString(), "--run-id", "h1");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.stderr().contains("plugin_set_hash=" + before), run.stderr());
        assertEquals(before, hash("runs", "show", "h1", "--state", env.get("AF_STATE"), "--json"));
    }
}
