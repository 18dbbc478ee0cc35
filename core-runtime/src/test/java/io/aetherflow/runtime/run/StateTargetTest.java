package io.aetherflow.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which store a command opens: flow.state.backend/url, AETHERFLOW_STATE_URL, --from/--to/--state options. */
class StateTargetTest {

    private static final Path FILE = Path.of("/var/lib/af/state.sqlite");
    private static final Map<String, String> ENV_URL = Map.of(StateTarget.ENV_URL,
            "postgresql://etl:env%2Fpw@db.example:5433/shared");

    @Test
    void theFlowsBackendWinsThenTheEnvironmentThenTheFile() {
        StateTarget yaml = StateTarget.resolve("postgres", "postgresql://ops:yaml-pw@db2/flows", "f.yaml", FILE, ENV_URL);
        assertTrue(yaml.shared());
        assertEquals("postgresql://ops:***@db2:5432/flows", yaml.location());
        assertEquals("yaml-pw", yaml.postgres().password());

        StateTarget fromEnv = StateTarget.resolve("postgres", null, "f.yaml", FILE, ENV_URL);
        assertEquals("postgresql://etl:***@db.example:5433/shared", fromEnv.location());
        assertEquals("env/pw", fromEnv.postgres().password());

        StateTarget unset = StateTarget.resolve(null, null, "f.yaml", FILE, ENV_URL);
        assertEquals(fromEnv.location(), unset.location(), "no backend named: AETHERFLOW_STATE_URL for every flow");

        StateTarget sqlite = StateTarget.resolve("sqlite", null, "f.yaml", FILE, ENV_URL);
        assertFalse(sqlite.shared());
        assertEquals(FILE, sqlite.sqlite());
        assertNull(sqlite.postgres());
        assertEquals(FILE, StateTarget.resolve(null, null, "f.yaml", FILE, Map.of(StateTarget.ENV_URL, " ")).sqlite(),
                "a blank variable is unset");
    }

    @Test
    void postgresWithoutAnyUrlAndABadUrlAreOneLineErrorsWithoutThePassword() {
        UserError none = assertThrows(UserError.class, () -> StateTarget.resolve("postgres", null, "flows/etl.yaml", FILE,
                Map.of()));
        assertEquals(ExitCodes.INVALID, none.exitCode());
        assertEquals("flows/etl.yaml: flow.state.backend is postgres but neither flow.state.url nor AETHERFLOW_STATE_URL"
                + " is set: add state.url: postgresql://user:password@host:5432/db", none.getMessage());
        UserError bad = assertThrows(UserError.class, () -> StateTarget.resolve(null, null, "f.yaml", FILE,
                Map.of(StateTarget.ENV_URL, "mysql://u:hunter2@h/db")));
        assertEquals(ExitCodes.INVALID, bad.exitCode());
        assertTrue(bad.getMessage().startsWith("AETHERFLOW_STATE_URL: not a PostgreSQL URL (mysql://u:***@h/db)"),
                bad.getMessage());
        UserError yaml = assertThrows(UserError.class, () -> StateTarget.resolve("postgres",
                "postgresql://u:hunter2@h:0/db", "f.yaml", FILE, Map.of()));
        assertTrue(yaml.getMessage().startsWith("f.yaml: flow.state.url"), yaml.getMessage());
        assertFalse(yaml.getMessage().contains("hunter2"), yaml.getMessage());
    }

    @Test
    void optionFormsOfStateMigrateAndRuns() {
        Path cwd = Path.of("/home/ops");
        assertEquals(Path.of("/home/ops/state/af.sqlite"), StateTarget.ofOption("sqlite:state/af.sqlite", "--from", cwd)
                .sqlite());
        assertEquals(Path.of("/abs.sqlite"), StateTarget.ofOption("/abs.sqlite", "--from", cwd).sqlite());
        assertEquals(Path.of("/home/ops/plain.sqlite"), StateTarget.ofOption("plain.sqlite", "--from", cwd).sqlite());
        for (String pg : new String[] {"postgres:postgresql://u:pw@h/db", "postgresql://u:pw@h/db", "postgres://u:pw@h/db",
                "postgres:jdbc:postgresql://h/db?user=u&password=pw", "jdbc:postgresql://h/db?user=u&password=pw"}) {
            StateTarget t = StateTarget.ofOption(pg, "--to", cwd);
            assertTrue(t.shared(), pg);
            assertEquals("postgresql://u:***@h:5432/db", t.location(), pg);
            assertEquals(t.location(), t.toString());
        }
        UserError e = assertThrows(UserError.class, () -> StateTarget.ofOption("postgres:mysql://u:pw@h/db", "--to", cwd));
        assertTrue(e.getMessage().startsWith("--to: not a PostgreSQL URL"), e.getMessage());
    }
}
