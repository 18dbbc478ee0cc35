package io.aetherflow.runtime.cli;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.support.Json;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.LaunchInfo;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.ShippedPlugins;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.bundle.BundleWiring;
import io.aetherflow.runtime.observe.StartupPhases;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.run.FlowRun;
import io.aetherflow.runtime.run.RunRequest;
import io.aetherflow.runtime.schedule.FlowFires;
import io.aetherflow.runtime.yaml.YamlCache;
import java.time.Clock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's side of the {@code aetherflow} command line: executes a command the launcher parsed
 * ({@link EngineCommand}; the launcher owns the one parser and the help), maps failures to the
 * documented exit codes and prints them as one line.
 *
 * @param catalog the installed plugins
 * @param info launcher facts (may be null outside the launcher)
 * @param out standard output
 * @param err standard error
 * @param osEnv the process environment
 * @param cwd working directory
 * @param processCache engine-wide connector cache
 */
public record Cli(PluginCatalog catalog, LaunchInfo info, PrintStream out, PrintStream err, Map<String, String> osEnv,
        Path cwd, Map<String, Connector> processCache) {

    /**
     * Runs one command, parsed by the launcher.
     *
     * @param command the typed command
     * @return the exit code
     */
    public int execute(EngineCommand command) {
        try {
            return dispatch(command);
        } catch (UserError e) {
            // one line whatever the message echoes (a value with a newline, a path with a tab)
            String msg = Quote.escape(String.valueOf(e.getMessage()));
            err.println(msg.startsWith("aetherflow") ? msg : "aetherflow: error: " + msg);
            if (isDebug() && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            return e.exitCode();
        }
    }

    private boolean isDebug() {
        return "DEBUG".equalsIgnoreCase(osEnv.getOrDefault("AETHERFLOW_LOG_LEVEL", ""));
    }

    private int dispatch(EngineCommand command) {
        StartupPhases phases = StartupPhases.of(osEnv, info, err);
        phases.phase("engine command started");
        if (command instanceof EngineCommand.Run r) {
            return run(r, phases);
        }
        if (command instanceof EngineCommand.Check c) {
            return new Diagnose(catalog, out, osEnv, cwd, bundles()).withPhases(phases)
                    .withYamlCache(YamlCache.in(cacheDir(), info == null ? null : info.pluginSetHash())).execute(c);
        }
        if (command instanceof EngineCommand.BundleSync b) {
            return bundles().sync(b);
        }
        if (command instanceof EngineCommand.BundleStatus b) {
            return bundles().status(b);
        }
        if (command instanceof EngineCommand.PluginsList p) {
            ShippedPlugins.Loaded shipped = p.bundleManifest() == null ? null
                    : bundles().prepareWithPlugins(p.bundleManifest(), p.allowStaleBundle(), false).plugins();
            Map<String, Object> report = PluginsReport.build(catalog, info, shipped);
            out.print(p.json() ? Json.writeSpaced(report) + "\n" : PluginsReport.text(report));
            return ExitCodes.OK;
        }
        if (command instanceof EngineCommand.Schedule s) {
            FlowFires fires = new FlowFires(catalog, processCache, err, osEnv, cwd,
                    info == null ? null : info.pluginSetHash(), cacheDir(), item -> bundles().prepare(item.bundleManifest(),
                            item.allowStaleBundle(), true));
            return new ScheduleCommand(catalog, out, err, osEnv, cwd, cacheDir(), Clock.systemUTC(), fires).execute(s);
        }
        if (command instanceof EngineCommand.Runs r) {
            return new RunsCommand(out, err, osEnv, cwd, cacheDir()).execute(r);
        }
        if (command instanceof EngineCommand.StateMigrate m) {
            return new StateMigrateCommand(out, osEnv, cwd, cacheDir()).execute(m);
        }
        return version(((EngineCommand.Version) command).json());
    }

    private int run(EngineCommand.Run r, StartupPhases phases) {
        BundleWiring bundle = r.bundleManifest() == null ? null : bundles().prepare(r.bundleManifest(),
                r.allowStaleBundle(), true);
        Path flow = bundle != null ? bundle.entryFlow() : cwd.resolve(r.flowYaml());
        RunRequest req = new RunRequest(flow, r.runId(), r.flowJob(), osEnv, cwd,
                info == null ? null : info.pluginSetHash(), cacheDir(), bundle);
        // FlowRun joins its SQLite preload thread before it returns (StoreAccess.Preload)
        return new FlowRun(catalog, processCache, err).withPhases(phases).execute(req);
    }

    private BundleCommand bundles() {
        return new BundleCommand(catalog, processCache, out, err, osEnv, cwd, info);
    }

    /** @return the cache directory the launcher uses, or null (outside the launcher) to compute it from the environment */
    private Path cacheDir() {
        return info == null ? null : info.cacheDir();
    }

    private int version(boolean json) {
        String version = info == null ? "dev" : info.version();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", version);
            m.put("plugin_set_hash", info == null ? null : info.pluginSetHash());
            m.put("java", System.getProperty("java.version"));
            out.println(Json.writeSpaced(m));
        } else {
            out.println("aetherflow " + version);
            if (info != null) {
                out.println("plugin set sha256:" + info.pluginSetHash() + " (" + info.bundles().size() + " bundles, "
                        + info.lockFile() + ")");
            }
            out.println("java " + System.getProperty("java.version"));
        }
        return ExitCodes.OK;
    }

}
