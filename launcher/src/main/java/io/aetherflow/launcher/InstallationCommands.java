package io.aetherflow.launcher;

import io.aetherflow.launch.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs the commands that concern the installation itself, in the launcher, before (and without) the
 * engine: {@code trust add|list|remove} ({@link TrustCommands}), {@code plugins verify|lock|diff}
 * ({@link PluginSetCommands}) and {@code plugins add|remove} ({@link PluginInstaller}). The command
 * line is parsed by {@link Cli}; {@code plugins list} runs in the engine, which knows what each bundle serves.
 *
 * <p>Exit codes: 0 done, 2 usage error, 3 plugin set or trust problem (nothing was changed),
 * 4 the installation could not be written.
 */
public final class InstallationCommands {

    /** One parsed installation command. */
    interface Action {
        /**
         * @param commands where the command implementations are
         * @return the exit code
         * @throws UsageException when the arguments are not usable
         * @throws PluginSetException on a plugin set or trust problem
         * @throws IOException when the installation cannot be written
         */
        int run(InstallationCommands commands) throws UsageException, PluginSetException, IOException;
    }

    private final CommandContext ctx;
    private PluginSetChecks checks;

    /**
     * @param env the process environment
     * @param inst the installation
     * @param cache the cache directories (the installation commands keep nothing there)
     * @param out standard output (reports)
     * @param err standard error (errors, framework messages)
     * @param now the time of the checks
     */
    public InstallationCommands(Map<String, String> env, Installation inst, CacheDirs cache, PrintStream out,
            PrintStream err, Instant now) {
        this.ctx = new CommandContext(env, inst, out, err, now);
    }

    /**
     * Parses and runs one installation command line (the way {@link Main} does, for callers that hold a
     * command line).
     *
     * @param args the command line ({@code trust ...} or {@code plugins verify|lock|diff|add|remove ...})
     * @return the exit code
     */
    public int run(List<String> args) {
        Cli.Parsed parsed = Cli.parse(args, ctx.out(), ctx.err(), ctx.env(), ctx.inst());
        if (parsed.exitCode() != null) {
            return parsed.exitCode();
        }
        if (!(parsed.outcome() instanceof Commands.Installation i)) {
            ctx.err().println("aetherflow: " + String.join(" ", args.subList(0, Math.min(2, args.size())))
                    + " is not an installation command");
            return ExitCodes.INVALID;
        }
        return run(i.action());
    }

    /**
     * Runs one parsed command and maps its failure to an exit code and one line on stderr.
     *
     * @param action the command
     * @return the exit code
     */
    int run(Action action) {
        try {
            return action.run(this);
        } catch (UsageException e) {
            ctx.err().println("aetherflow: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PluginSetException e) {
            ctx.err().println("aetherflow: " + e.getMessage());
            return ExitCodes.PLUGINS;
        } catch (IOException e) {
            ctx.err().println("aetherflow: cannot update the installation " + ctx.inst().home() + ": " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        }
    }

    private PluginSetChecks checks() {
        if (checks == null) {
            checks = new PluginSetChecks(ctx);
        }
        return checks;
    }

    /** @return {@code trust add|list|remove} */
    TrustCommands trust() {
        return new TrustCommands(ctx);
    }

    /** @return {@code plugins verify|lock|diff} */
    PluginSetCommands pluginSet() {
        return new PluginSetCommands(ctx, checks());
    }

    /** @return {@code plugins add|remove} */
    PluginInstaller installer() {
        return new PluginInstaller(ctx, checks());
    }
}
