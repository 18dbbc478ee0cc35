package io.aetherflow.launcher;

import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.EngineCommand.CheckKind;
import io.aetherflow.launch.Quote;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The command model of {@code aetherflow}: every command and sub-command, whichever side executes it,
 * with its help and its options (Apache Commons CLI {@link Options}). {@link Cli} parses each command
 * line with it once; each command turns what was parsed into an {@link Outcome}: a typed
 * {@link EngineCommand} for the engine, or an installation command that the launcher runs itself
 * ({@link InstallationCommands}).
 */
final class Commands {

    private Commands() {
    }

    /** What a parsed command line asks for. */
    sealed interface Outcome permits ForEngine, Installation {
    }

    /**
     * Hand this command to the engine.
     *
     * @param command the typed command
     */
    record ForEngine(EngineCommand command) implements Outcome {
    }

    /**
     * Run this installation command in the launcher.
     *
     * @param action the command
     */
    record Installation(InstallationCommands.Action action) implements Outcome {
    }

    /** A usage error found after parsing: exit 2, printed as its message. */
    static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;

        UsageError(String line) {
            super(line);
        }
    }

    /**
     * One command.
     *
     * @param path the words after {@code aetherflow}, e.g. {@code runs show}
     * @param summary one line for the command lists
     * @param synopsis the usage lines, without {@code usage: }
     * @param description the help paragraph
     */
    record Command(String path, String summary, String synopsis, String description) {

        /** @return its options, built anew (null for a group that only has sub-commands); see {@link Commands#build} */
        Options options() {
            return optionsOf(path);
        }
    }

    /**
     * A parsed command line of one command.
     *
     * @param command the command
     * @param line what Commons CLI parsed
     * @param raw the arguments after the command path, as given
     */
    record Parsed(Command command, CommandLine line, List<String> raw) {

        /** @return the value of {@code --name} (the last one when given twice), or null */
        String value(String name) {
            String[] v = line.getOptionValues(name);
            return v == null ? null : v.length == 0 ? "" : v[v.length - 1];
        }

        boolean flag(String name) {
            return line.hasOption(name);
        }

        List<String> positionals() {
            return line.getArgList();
        }

        void noPositionals() throws UsageError {
            if (!positionals().isEmpty()) {
                throw usage(command.path(), "unrecognized arguments: " + Quote.argument(String.join(" ", positionals())));
            }
        }

        String required(String name) throws UsageError {
            String v = value(name);
            if (v == null || v.isEmpty()) {
                throw usage(command.path(), "the following arguments are required: --" + name);
            }
            return v;
        }
    }

    static UsageError usage(String command, String message) {
        return new UsageError(Quote.usage(command, message));
    }

    /**
     * An installation command that takes exactly {@code n} positional arguments.
     *
     * @param message the usage error when it gets another number
     * @param action what it does then
     */
    private static Installation installation(Parsed a, int n, String message, InstallationCommands.Action action) {
        return new Installation(c -> {
            if (a.positionals().size() != n) {
                throw new UsageException(message);
            }
            return action.run(c);
        });
    }

    private static Option valued(String name, String label, String description) {
        return Option.builder().longOpt(name).hasArg().argName(label).desc(description).build();
    }

    private static Option flag(String name, String description) {
        return Option.builder().longOpt(name).desc(description).build();
    }

    private static Options options(Option... options) {
        Options o = new Options();
        for (Option option : options) {
            o.addOption(option);
        }
        return o;
    }

    private static Option json() {
        return flag("json", "print one JSON document");
    }

    /** Every command by path, top-level commands in the order the help lists them. */
    static final Map<String, Command> ALL = new LinkedHashMap<>();

    /**
     * What a command group does without a sub-command (or with an option first): {@code a sub-command is
     * required: <required>}; with an unknown one: {@code <invalid>'<it>' (choose from <choices>)}.
     */
    private static Outcome noSubcommand(Parsed a, String group, String required, String invalid, String choices)
            throws UsageError {
        if (a.raw().isEmpty() || a.raw().get(0).startsWith("--")) {
            throw usage(group, "a sub-command is required: " + required);
        }
        throw usage(group, invalid + Quote.q(a.raw().get(0)) + " (choose from " + choices + ")");
    }

    private static void add(String path, String summary, String synopsis, String description) {
        ALL.put(path, new Command(path, summary, synopsis, description));
    }

    /** @return the top-level commands, in help order */
    static List<Command> topLevel() {
        List<Command> out = new ArrayList<>();
        for (Command c : ALL.values()) {
            if (c.path().indexOf(' ') < 0) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * @param group a command with sub-commands
     * @return its sub-commands, in help order
     */
    static List<Command> subCommands(String group) {
        List<Command> out = new ArrayList<>();
        for (Command c : ALL.values()) {
            if (c.path().startsWith(group + " ")) {
                out.add(c);
            }
        }
        return out;
    }

    private static Options flowCheck() {
        return options(valued("flow-yaml", "FLOW_YAML", "the flow file (with --bundle-manifest: in the bundle's active"
                + " tree; default its entry flow)"), json(),
                valued("bundle-manifest", "M", "asset bundle manifest: sync the bundle first (docs/bundles.md)"),
                flag("allow-stale-bundle", "with --bundle-manifest: use the last synced bundle on failure"));
    }

    private static Outcome check(CheckKind kind, Parsed a) throws UsageError {
        a.noPositionals();
        String manifest = a.value("bundle-manifest");
        return new ForEngine(new EngineCommand.Check(kind, flowYaml(a, manifest), manifest, a.flag("json"),
                a.flag("allow-stale-bundle")));
    }

    /** {@code --flow-yaml}: required, except with a bundle manifest (whose entry flow is the default). */
    private static String flowYaml(Parsed a, String manifest) throws UsageError {
        if (manifest != null && manifest.isEmpty()) {
            throw usage(a.command().path(), "argument --bundle-manifest: expected one argument");
        }
        String flow = a.value("flow-yaml");
        return manifest != null && (flow == null || flow.isEmpty()) ? null : a.required("flow-yaml");
    }

    private static Options bundleOptions(boolean sync) {
        Options o = options(valued("bundle-manifest", "M", "the bundle manifest (required)"),
                valued("work-root", "W", "work root (default: AETHERFLOW_WORK_ROOT, else /tmp/work)"), json());
        if (sync) {
            o.addOption(flag("print-local-root", "also print the synced local root on its own line (text mode)"));
            o.addOption(flag("allow-stale-bundle", "if the sync fails, keep using the last active bundle"));
        }
        return o;
    }

    private static Options runsOptions() {
        return options(valued("state", "PATH", "the state store file"),
                valued("flow-yaml", "FLOW_YAML", "read that flow's state store and select that flow"),
                valued("flow-id", "FLOW_ID", "select this flow"),
                valued("limit", "N", "list at most N runs (default 20)"), json());
    }

    private static EngineCommand.Runs runs(boolean show, Parsed a) {
        return new EngineCommand.Runs(show, a.positionals(), a.value("state"), a.value("flow-yaml"), a.value("flow-id"),
                a.value("limit"), a.flag("json"));
    }

    private static EngineCommand.Schedule schedule(EngineCommand.ScheduleAction action, Parsed a) throws UsageError {
        List<String> pos = a.positionals();
        if (pos.isEmpty()) {
            throw usage(a.command().path(), "the following arguments are required: scheduler_yaml");
        }
        if (pos.size() > 1) {
            throw usage(a.command().path(), "unrecognized arguments: " + Quote.argument(String.join(" ", pos.subList(1,
                    pos.size()))));
        }
        boolean run = action == EngineCommand.ScheduleAction.RUN;
        boolean next = action == EngineCommand.ScheduleAction.NEXT;
        return new EngineCommand.Schedule(action, pos.get(0), run ? a.value("once") : null,
                run ? a.value("stop-grace") : null, next ? a.value("count") : null, next ? a.value("from") : null,
                !run && a.flag("json"));
    }

    static {
        add("run", "run a flow (or resume it with --run-id)",
                "aetherflow run --flow-yaml FLOW_YAML [--run-id RUN_ID] [--flow-job FLOW_JOB]\n"
                        + "       aetherflow run --bundle-manifest M [--allow-stale-bundle] [--run-id RUN_ID] [--flow-job FLOW_JOB]",
                "Runs every job of the flow in order (or only --flow-job). With --run-id of an earlier run,\n"
                        + "resumes it: steps that succeeded or were skipped are not run again and their outputs are\n"
                        + "restored. With --bundle-manifest, syncs the asset bundle once and runs its entry flow.");
        add("validate", "check a flow file (schema, semantics, templates)",
                "aetherflow validate --flow-yaml FLOW_YAML [--bundle-manifest M [--allow-stale-bundle]] [--json]",
                "Checks the flow: schema, semantic rules, templates, step inputs. Exit 0 when valid,\n"
                        + "2 when not (3 when a step type is not installed).");
        add("doctor", "check that the environment provides what the flow needs",
                "aetherflow doctor --flow-yaml FLOW_YAML [--bundle-manifest M [--allow-stale-bundle]] [--json]",
                "Checks that every env value the flow's templates and profiles need is set.\n"
                        + "Exit 0 when nothing is missing, 2 otherwise.");
        add("explain", "show the flow's resources and their profiles", "aetherflow explain --flow-yaml FLOW_YAML [--bundle-manifest M [--allow-stale-bundle]] [--json]",
                "Lists the flow's resources that use a profile, with kind, driver and decode rules.");
        add("bundle", "asset bundles: sync | status",
                "aetherflow bundle sync --bundle-manifest M [--work-root W] [--json] [--print-local-root] [--allow-stale-bundle]\n"
                        + "       aetherflow bundle status --bundle-manifest M [--work-root W] [--json]",
                "Asset bundles: a manifest names a source (filesystem, sftp, smb, db, rest); sync materialises it\n"
                        + "under <work_root>/bundles/<id>/active (docs/bundles.md).");
        add("bundle sync", "sync a bundle manifest into the local active directory",
                "aetherflow bundle sync --bundle-manifest M [--work-root W] [--json] [--print-local-root] [--allow-stale-bundle]",
                "Lists the source, compares the fingerprint with the last sync, fetches what changed (checksums\n"
                        + "verified) and publishes the new tree atomically. Prints CHANGED: or UNCHANGED:. Exit 0; 2 invalid\n"
                        + "manifest; 4 the sync failed (no stale fallback).");
        add("bundle status", "show the local bundle status (no remote access)",
                "aetherflow bundle status --bundle-manifest M [--work-root W] [--json]",
                "The bundle's local directories, its last fingerprint and whether an active tree exists, and the\n"
                        + "plugin set the manifest pins. Never contacts the source.");
        add("plugins", "the plugin set: list | add | remove | verify | lock | diff",
                "aetherflow plugins list [--json] [--bundle-manifest M]\n"
                        + "       aetherflow plugins add JAR... [--keep] | remove NAME[@VERSION] | verify [--json] | lock\n"
                        + "       aetherflow plugins diff LOCK_A LOCK_B [--json]",
                "list: the installed bundles, their trust verdict and signer, the step types and connector\n"
                        + "drivers each serves, and the plugin-set hash of plugins.lock. The other sub-commands change or\n"
                        + "check the installation ('aetherflow plugins SUB --help'; docs/signing-and-trust.md).");
        add("plugins list", "the installed bundles and what each serves (run by the engine)",
                "aetherflow plugins list [--json] [--bundle-manifest M [--allow-stale-bundle]]",
                "The installed bundles, their trust verdict and signer, the step types and connector drivers\n"
                        + "each serves, and the plugin-set hash of plugins.lock. With --bundle-manifest, syncs the asset\n"
                        + "bundle once and also loads and lists the plugin jars it ships (docs/bundles.md).");
        add("plugins add", "add bundle jars to the plugin set", "aetherflow plugins add JAR... [--keep]",
                "Adds bundle jars: checks each jar's signature per policy, refuses a symbolic name and version\n"
                        + "already locked with other bytes, resolves the new set in a real framework, and only then copies the\n"
                        + "jars into bundles/ and rewrites plugins.lock atomically. Another version of the same bundle is\n"
                        + "replaced (upgrade or rollback) unless --keep installs it side by side.");
        add("plugins remove", "remove a plugin from the plugin set", "aetherflow plugins remove SYMBOLIC-NAME[@VERSION]",
                "Removes a plugin from plugins.lock (and its jar from bundles/); refused while another bundle\n"
                        + "needs it (the refusal names them) and for bundles of the core distribution.");
        add("plugins verify", "check the installation against plugins.lock", "aetherflow plugins verify [--json]",
                "Checks the whole installation against plugins.lock: every jar present with its sha256, no unlocked\n"
                        + "jar, every plugin's signature read in full and judged by the signing policy, and the set resolves\n"
                        + "in a fresh OSGi framework. Exit 0 when all is well, 3 otherwise.");
        add("plugins lock", "regenerate plugins.lock", "aetherflow plugins lock",
                "Regenerates plugins.lock from bundles/*.jar and the AETHERFLOW_PLUGIN_PATHS directories (signer\n"
                        + "column for signed jars) after checking signatures per policy and that the set resolves; the lock\n"
                        + "is replaced atomically. Exit 3 (lock unchanged) when a jar is refused or the set does not resolve.");
        add("plugins diff", "what changed between two lock files", "aetherflow plugins diff LOCK_A LOCK_B [--json]",
                "What changed from LOCK_A to LOCK_B: added, removed, upgraded, downgraded, changed-bytes,\n"
                        + "signer-changed, moved. Exit 0.");
        add("trust", "the trust store of plugin vendors: add | list | remove", TrustCommands.USAGE.substring(7),
                "Manages the PKCS#12 trust store of plugin vendor certificates (AETHERFLOW_TRUSTSTORE,\n"
                        + "AETHERFLOW_TRUSTSTORE_PASSWORD).");
        add("trust add", "trust a vendor certificate (PEM or DER)", "aetherflow trust add CERT-FILE [--alias A]",
                "Adds the certificate to the trust store; plugins signed by it (or by a certificate it issued)\n"
                        + "become trusted.");
        add("trust list", "list the trusted certificates", "aetherflow trust list [--json]",
                "The trusted certificates: alias, validity, sha256 and subject.");
        add("trust remove", "stop trusting a certificate", "aetherflow trust remove ALIAS",
                "Plugins it signed become untrusted (aetherflow plugins verify).");
        add("runs", "list runs and show one run from the state store",
                "aetherflow runs [list] [--state PATH | --flow-yaml FLOW_YAML] [--flow-id FLOW_ID] [--limit N] [--json]\n"
                        + "       aetherflow runs show RUN_ID [--state PATH | --flow-yaml FLOW_YAML] [--flow-id FLOW_ID] [--json]",
                "Reads the state store: --state PATH; else the flow.state.path of --flow-yaml; else\n"
                        + "$AETHERFLOW_STATE_ROOT/aetherflow.sqlite (default /tmp/state/aetherflow.sqlite).\n"
                        + "--flow-yaml also selects that flow: only its runs are listed or shown (--flow-id names\n"
                        + "another flow; --state alone shows every flow). Runs whose process died are marked INTERRUPTED.");
        add("runs list", "list the runs of the state store, newest first",
                "aetherflow runs list [--state PATH | --flow-yaml FLOW_YAML] [--flow-id FLOW_ID] [--limit N] [--json]",
                "Lists the runs, newest first (--limit, default 20).");
        add("runs show", "show one run: its jobs, steps and outputs",
                "aetherflow runs show RUN_ID [--state PATH | --flow-yaml FLOW_YAML] [--flow-id FLOW_ID] [--json]",
                "Shows one run: its jobs, steps, outputs and errors.");
        add("schedule", "run flows on cron schedules (scheduler.yaml)",
                "aetherflow schedule {run,validate,next} SCHEDULER_YAML [options]",
                "The scheduler: fires the items of a scheduler file inside this warm engine (also\n"
                        + "'aetherflow-scheduler run SCHEDULER_YAML'). See docs/scheduler.md.");
        add("schedule run", "fire the items of a scheduler file until SIGTERM",
                "aetherflow schedule run SCHEDULER_YAML [--once ITEM] [--stop-grace SECONDS]",
                "Fires every item on its cron schedule, each run in-process and claimed in the state store\n"
                        + "(exactly once across schedulers sharing it). SIGTERM/SIGINT: no new fires; running flows\n"
                        + "get --stop-grace seconds (default 10, at most 15), then end INTERRUPTED.");
        add("schedule validate", "check a scheduler file and the flows it names",
                "aetherflow schedule validate SCHEDULER_YAML [--json]",
                "Checks the scheduler file (keys, time zone, cron expressions, item ids) and validates each\n"
                        + "item's flow file. Exit 0 valid, 2 invalid.");
        add("schedule next", "print the next fire times of every item",
                "aetherflow schedule next SCHEDULER_YAML [--count N] [--from ISO-8601-TIME] [--json]",
                "Prints the next N fire times (default 5) of every item, in the scheduler's time zone and in UTC,\n"
                        + "after --from (default now; an instant, an offset time, or a local time in the scheduler's zone).");
        add("state", "manage the state store", "aetherflow state migrate --from STORE --to STORE",
                "Sub-commands: migrate (copy a team's history into a new store).");
        add("state migrate", "copy every table of one state store into another, empty one",
                "aetherflow state migrate --from sqlite:PATH --to postgres:URL",
                "Copies runs, jobs, steps, locks, process records and fire claims, in one transaction on the\n"
                        + "target. STORE is sqlite:PATH, postgres:URL or a PostgreSQL URL (postgresql://user:pass@host:port/db\n"
                        + "or jdbc:postgresql://...). The target must be empty: a second run is refused and copies nothing.");
        add("version", "print the version and the plugin-set hash", "aetherflow version [--json]",
                "Prints the distribution version and the plugin-set hash.");
    }

    /**
     * The options of one command, built when that command is parsed or its help printed (not for every
     * command on every start).
     *
     * @param path the command path
     * @return its options, or null for a group that only has sub-commands
     */
    static Options optionsOf(String path) {
        return switch (path) {
            case "run" -> options(
                    valued("flow-yaml", "FLOW_YAML", "the flow file (ignored with --bundle-manifest: the entry flow runs)"),
                    valued("run-id", "RUN_ID", "run id to use or resume (letters, digits, '.', '_', '-')"),
                    valued("flow-job", "FLOW_JOB", "run only this job (jobs with depends_on are then BLOCKED)"),
                    valued("bundle-manifest", "M", "asset bundle manifest: sync it, run its entry flow (docs/bundles.md)"),
                    flag("allow-stale-bundle", "with --bundle-manifest: use the last synced bundle on failure"));
            case "validate", "doctor", "explain" -> flowCheck();
            case "bundle", "plugins", "trust", "schedule" -> null;
            case "bundle sync" -> bundleOptions(true);
            case "bundle status" -> bundleOptions(false);
            case "plugins list" -> options(json(),
                    valued("bundle-manifest", "M", "asset bundle manifest: list its plugin jars too"),
                    flag("allow-stale-bundle", "with --bundle-manifest: use the last synced bundle on failure"));
            case "plugins add" -> options(flag("keep", "install beside the locked version instead of replacing it"));
            case "plugins remove" -> options();
            case "plugins verify" -> options(json());
            case "plugins lock" -> options();
            case "plugins diff" -> options(json());
            case "trust add" -> options(valued("alias", "A", "the alias (default: from the subject's CN)"));
            case "trust list" -> options(json());
            case "trust remove" -> options();
            case "runs", "runs list", "runs show" -> runsOptions();
            case "schedule run" -> options(
                    valued("once", "ITEM", "fire this item now, wait for its run and exit with its exit code"),
                    valued("stop-grace", "SECONDS", "how long running flows may take after SIGTERM (default 10)"));
            case "schedule validate" -> options(json());
            case "schedule next" -> options(valued("count", "N", "how many fire times per item (default 5)"),
                    valued("from", "ISO-8601-TIME", "start after this time instead of now"), json());
            case "state" -> options();
            case "state migrate" -> options(valued("from", "STORE", "the store to copy from"),
                    valued("to", "STORE", "the empty store to copy into"));
            case "version" -> options(json());
            default -> throw new IllegalStateException("no command " + path);
        };
    }

    /**
     * What a parsed command line means (one dispatch instead of a lambda per command: each lambda would cost
     * its bootstrap, about 0.2 ms in the interpreter, on every start).
     *
     * @param a the parsed arguments
     * @return what to run
     * @throws UsageError when the arguments are not usable
     */
    static Outcome build(Parsed a) throws UsageError {
        switch (a.command().path()) {
            case "run" -> {
                a.noPositionals();
                String manifest = a.value("bundle-manifest");
                return new ForEngine(new EngineCommand.Run(flowYaml(a, manifest), a.value("run-id"),
                        a.value("flow-job"), manifest, a.flag("allow-stale-bundle")));
            }
            case "validate" -> {
                return check(CheckKind.VALIDATE, a);
            }
            case "doctor" -> {
                return check(CheckKind.DOCTOR, a);
            }
            case "explain" -> {
                return check(CheckKind.EXPLAIN, a);
            }
            case "bundle" -> {
                return noSubcommand(a, "bundle", "sync or status", "argument bundle_cmd: invalid choice: ", "sync, status");
            }
            case "bundle sync" -> {
                a.noPositionals();
                return new ForEngine(new EngineCommand.BundleSync(a.required("bundle-manifest"), a.value("work-root"),
                        a.flag("json"), a.flag("print-local-root"), a.flag("allow-stale-bundle")));
            }
            case "bundle status" -> {
                a.noPositionals();
                return new ForEngine(new EngineCommand.BundleStatus(a.required("bundle-manifest"),
                        a.value("work-root"), a.flag("json")));
            }
            case "plugins" -> {
                return noSubcommand(a, "plugins", "list, add, remove, verify, lock or diff", "unknown sub-command ",
                        "list, add, remove, verify, lock, diff");
            }
            case "plugins list" -> {
                a.noPositionals();
                String manifest = a.value("bundle-manifest");
                if (manifest != null && manifest.isEmpty()) {
                    throw usage(a.command().path(), "argument --bundle-manifest: expected one argument");
                }
                return new ForEngine(new EngineCommand.PluginsList(a.flag("json"), manifest,
                        a.flag("allow-stale-bundle")));
            }
            case "plugins add" -> {
                return new Installation(c -> {
                    if (a.positionals().isEmpty()) {
                        throw new UsageException("plugins add: at least one jar is required (usage: aetherflow plugins"
                                + " add JAR... [--keep])");
                    }
                    return c.installer().add(a.positionals(), a.flag("keep"));
                });
            }
            case "plugins remove" -> {
                return installation(a, 1, "plugins remove: one SYMBOLIC-NAME[@VERSION] is required",
                        c -> c.installer().remove(a.positionals().get(0)));
            }
            case "plugins verify" -> {
                return installation(a, 0, "plugins verify takes no arguments",
                        c -> c.pluginSet().verify(a.flag("json")));
            }
            case "plugins lock" -> {
                return installation(a, 0, "plugins lock takes no arguments (it reads bundles/ and"
                        + " AETHERFLOW_PLUGIN_PATHS)", c -> c.pluginSet().lock());
            }
            case "plugins diff" -> {
                return installation(a, 2, "plugins diff: two lock files are required (usage: aetherflow plugins"
                        + " diff LOCK_A LOCK_B [--json])",
                        c -> c.pluginSet().diff(a.positionals().get(0), a.positionals().get(1), a.flag("json")));
            }
            case "trust" -> {
                return new Installation(c -> {
                    if (a.raw().isEmpty()) {
                        throw new UsageException("trust: a sub-command is required: add, list or remove ("
                                + TrustCommands.USAGE + ")");
                    }
                    throw new UsageException("trust: unknown sub-command '" + a.raw().get(0) + "' ("
                            + TrustCommands.USAGE + ")");
                });
            }
            case "trust add" -> {
                return installation(a, 1, "trust add: exactly one certificate file is required ("
                        + TrustCommands.USAGE + ")", c -> c.trust().add(a.positionals().get(0), a.value("alias")));
            }
            case "trust list" -> {
                return installation(a, 0, "trust list takes no arguments",
                        c -> c.trust().list(a.flag("json")));
            }
            case "trust remove" -> {
                return installation(a, 1, "trust remove: exactly one alias is required (" + TrustCommands.USAGE + ")",
                        c -> c.trust().remove(a.positionals().get(0)));
            }
            case "runs" -> {
                // a first argument that is no option names the sub-command ('runs' alone is 'runs list')
                if (!a.raw().isEmpty() && !a.raw().get(0).startsWith("--")) {
                    throw usage("runs", "unknown sub-command " + Quote.q(a.raw().get(0)) + " (choose from list, show)");
                }
                return new ForEngine(runs(false, a));
            }
            case "runs list" -> {
                return new ForEngine(runs(false, a));
            }
            case "runs show" -> {
                return new ForEngine(runs(true, a));
            }
            case "schedule" -> {
                if (a.raw().isEmpty()) {
                    throw usage("schedule", "a sub-command is required (choose from run, validate, next)");
                }
                throw usage("schedule", "argument command: invalid choice: " + Quote.q(a.raw().get(0))
                        + " (choose from run, validate, next)");
            }
            case "schedule run" -> {
                return new ForEngine(schedule(EngineCommand.ScheduleAction.RUN, a));
            }
            case "schedule validate" -> {
                return new ForEngine(schedule(EngineCommand.ScheduleAction.VALIDATE, a));
            }
            case "schedule next" -> {
                return new ForEngine(schedule(EngineCommand.ScheduleAction.NEXT, a));
            }
            case "state" -> {
                throw usage("state", a.raw().isEmpty() ? "a sub-command is required (choose from migrate)"
                        : "unknown sub-command " + Quote.q(a.raw().get(0)) + " (choose from migrate)");
            }
            case "state migrate" -> {
                a.noPositionals();
                return new ForEngine(new EngineCommand.StateMigrate(a.required("from"), a.required("to")));
            }
            case "version" -> {
                a.noPositionals();
                return new ForEngine(new EngineCommand.Version(a.flag("json")));
            }
            default -> throw new IllegalStateException("no command " + a.command().path());
        }
    }
}
