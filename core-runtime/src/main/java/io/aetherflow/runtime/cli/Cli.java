package io.aetherflow.runtime.cli;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.launch.LaunchInfo;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.json.Json;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.run.FlowRun;
import io.aetherflow.runtime.run.RunRequest;
import io.aetherflow.runtime.run.StoreAccess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code aetherflow} command line: parses arguments, dispatches to a command, maps failures to
 * the documented exit codes and prints them as one line.
 */
public final class Cli {

    private final PluginCatalog catalog;
    private final LaunchInfo info;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> osEnv;
    private final Path cwd;
    private final Map<String, Connector> processCache;

    /**
     * @param catalog the installed plugins
     * @param info launcher facts (may be null outside the launcher)
     * @param out standard output
     * @param err standard error
     * @param osEnv the process environment
     * @param cwd working directory
     * @param processCache engine-wide connector cache
     */
    public Cli(PluginCatalog catalog, LaunchInfo info, PrintStream out, PrintStream err, Map<String, String> osEnv,
            Path cwd, Map<String, Connector> processCache) {
        this.catalog = catalog;
        this.info = info;
        this.out = out;
        this.err = err;
        this.osEnv = osEnv;
        this.cwd = cwd;
        this.processCache = processCache;
    }

    /**
     * Runs one command line.
     *
     * @param argv arguments after the program name
     * @return the exit code
     */
    public int execute(List<String> argv) {
        try {
            return dispatch(argv);
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

    private int dispatch(List<String> argv) {
        if (argv.isEmpty()) {
            err.println(Help.MAIN);
            throw Args.usage(null, "a command is required");
        }
        String cmd = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        if (cmd.equals("--help") || cmd.equals("-h") || cmd.equals("help")) {
            out.println(Help.MAIN);
            return ExitCodes.OK;
        }
        if (cmd.equals("--version")) {
            cmd = "version";
        }
        if (!Help.COMMANDS.containsKey(cmd)) {
            throw Args.usage(null, "argument command: invalid choice: " + Quote.q(cmd)
                    + " (choose from run, validate, doctor, explain, plugins, trust, runs, version)");
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(Help.COMMANDS.get(cmd));
            return ExitCodes.OK;
        }
        switch (cmd) {
            case "run":
                return run(rest);
            case "validate":
            case "doctor":
            case "explain":
                return new Diagnose(catalog, out, osEnv, cwd).execute(cmd, Args.parse(cmd, rest,
                        Set.of("--flow-yaml", "--bundle-manifest"), Set.of("--json", "--allow-stale-bundle")));
            case "plugins":
                return plugins(rest);
            case "runs":
                return new RunsCommand(out, err, osEnv, cwd, cacheDir()).execute(rest);
            default:
                return version(Args.parse(cmd, rest, Set.of(), Set.of("--json")));
        }
    }

    private int run(List<String> rest) {
        Args a = Args.parse("run", rest, Set.of("--flow-yaml", "--run-id", "--flow-job", "--bundle-manifest"),
                Set.of("--allow-stale-bundle"));
        a.noPositionals();
        String flow = a.required("--flow-yaml");
        if (a.get("--bundle-manifest") != null) {
            throw new UserError(ExitCodes.INVALID, "--bundle-manifest: asset bundles are not supported in this release "
                    + "(see docs/differences.md); run the flow file directly");
        }
        RunRequest req = new RunRequest(cwd.resolve(flow), a.get("--run-id"), a.get("--flow-job"), osEnv, cwd,
                info == null ? null : info.pluginSetHash(), cacheDir());
        try {
            return new FlowRun(catalog, processCache, err).execute(req);
        } finally {
            StoreAccess.awaitPreload();
        }
    }

    /** @return the cache directory the launcher uses, or null (outside the launcher) to compute it from the environment */
    private Path cacheDir() {
        return info == null ? null : info.cacheDir();
    }

    private int plugins(List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw Args.usage("plugins", "a sub-command is required: list, add, remove, verify, lock or diff");
        }
        String sub = rest.get(0);
        if (!sub.equals("list")) {
            throw Args.usage("plugins", "unknown sub-command " + Quote.q(sub) + " (choose from list, add, remove, verify, lock, diff)");
        }
        Args a = Args.parse("plugins list", rest.subList(1, rest.size()), Set.of(), Set.of("--json"));
        a.noPositionals();
        Map<String, Object> report = PluginsReport.build(catalog, info);
        out.print(a.flag("--json") ? Json.write(report) + "\n" : PluginsReport.text(report));
        return ExitCodes.OK;
    }

    private int version(Args a) {
        a.noPositionals();
        String version = info == null ? "dev" : info.version();
        if (a.flag("--json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", version);
            m.put("plugin_set_hash", info == null ? null : info.pluginSetHash());
            m.put("java", System.getProperty("java.version"));
            out.println(Json.write(m));
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
