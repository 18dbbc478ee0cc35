package io.aetherflow.runtime.cli;

import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.env.EnvSnapshot;
import io.aetherflow.runtime.run.StateTarget;
import io.aetherflow.runtime.run.StoreAccess;
import io.aetherflow.runtime.state.StateCopy;
import io.aetherflow.runtime.state.StateStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code aetherflow state migrate --from STORE --to STORE}: copies a team's history between stores
 * ({@link StateCopy}); the target is created (schema) when missing and must hold no rows.
 */
final class StateMigrateCommand {

    private final PrintStream out;
    private final Map<String, String> osEnv;
    private final Path cwd;
    private final Path cacheDir;

    StateMigrateCommand(PrintStream out, Map<String, String> osEnv, Path cwd, Path cacheDir) {
        this.out = out;
        this.osEnv = osEnv;
        this.cwd = cwd;
        this.cacheDir = cacheDir;
    }

    int execute(EngineCommand.StateMigrate m) {
        Map<String, String> env = EnvSnapshot.build(osEnv, cwd);
        StateTarget from = StateTarget.ofOption(m.from(), "--from", cwd);
        StateTarget to = StateTarget.ofOption(m.to(), "--to", cwd);
        if (from.location().equals(to.location())) {
            throw new UserError(ExitCodes.INVALID, "state migrate: --from and --to name the same store (" + from + ")");
        }
        if (from.sqlite() != null && !Files.isRegularFile(from.sqlite())) {
            throw new UserError(ExitCodes.INVALID, "state migrate: --from " + from.sqlite()
                    + ": no such state file (pass the flow.state.path of the flows to migrate)");
        }
        Path cache = cacheDir != null ? cacheDir : StoreAccess.cacheDir(env);
        try (StateStore source = StoreAccess.open(from, cache, env);
                StateStore target = StoreAccess.open(to, cache, env)) {
            Map<String, Integer> copied = StateCopy.copy(source, target);
            out.println("Migrated state store " + from + " to " + to + ":");
            copied.forEach((table, n) -> out.println("  " + table + ": " + n + " row(s)"));
        }
        return ExitCodes.OK;
    }
}
