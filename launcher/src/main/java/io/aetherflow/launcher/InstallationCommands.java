package io.aetherflow.launcher;

import io.aetherflow.launch.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands that concern the installation itself and run in the launcher, before (and without)
 * the engine: {@code trust add|list|remove} and {@code plugins verify|lock|diff|add|remove}.
 * {@code plugins list} stays in the engine, which knows what each bundle serves.
 *
 * <p>Exit codes: 0 done, 2 usage error, 3 plugin set or trust problem (nothing was changed),
 * 4 the installation could not be written.
 */
public final class InstallationCommands {

    /** The {@code plugins} sub-commands handled here. */
    public static final Set<String> PLUGIN_COMMANDS = Set.of("verify", "lock", "diff", "add", "remove");

    private final Map<String, String> env;
    private final Installation inst;
    private final CacheDirs cache;
    private final PrintStream out;
    private final PrintStream err;
    private final Instant now;

    /**
     * @param env the process environment
     * @param inst the installation
     * @param cache the cache directories
     * @param out standard output (reports)
     * @param err standard error (errors, framework messages)
     * @param now the time of the checks
     */
    public InstallationCommands(Map<String, String> env, Installation inst, CacheDirs cache, PrintStream out,
            PrintStream err, Instant now) {
        this.env = env;
        this.inst = inst;
        this.cache = cache;
        this.out = out;
        this.err = err;
        this.now = now;
    }

    /**
     * @param args the command line
     * @return true when the launcher handles this command itself
     */
    public static boolean handles(List<String> args) {
        if (args.isEmpty()) {
            return false;
        }
        if (args.get(0).equals("trust")) {
            return true;
        }
        return args.get(0).equals("plugins") && args.size() > 1 && PLUGIN_COMMANDS.contains(args.get(1));
    }

    /**
     * Runs one command.
     *
     * @param args the command line ({@code trust ...} or {@code plugins verify|lock|diff|add|remove ...})
     * @return the exit code
     */
    public int run(List<String> args) {
        try {
            if (args.get(0).equals("trust")) {
                return trust(args.subList(1, args.size()));
            }
            PluginSetChecks checks = new PluginSetChecks(env, inst, err, now);
            PluginSetCommands set = new PluginSetCommands(inst, out, err, checks);
            PluginInstaller installer = new PluginInstaller(env, inst, out, checks);
            List<String> rest = args.subList(2, args.size());
            if (rest.contains("--help") || rest.contains("-h")) {
                out.println(help(args.get(1)));
                return 0;
            }
            return switch (args.get(1)) {
                case "verify" -> {
                    Options o = Options.parse(rest, Set.of("--json"), Set.of());
                    if (!o.positionals().isEmpty()) {
                        throw new UsageException("plugins verify takes no arguments");
                    }
                    yield set.verify(o.flags().contains("--json"));
                }
                case "lock" -> {
                    if (!Options.parse(rest, Set.of(), Set.of()).positionals().isEmpty()) {
                        throw new UsageException("plugins lock takes no arguments (it reads bundles/ and"
                                + " AETHERFLOW_PLUGIN_PATHS)");
                    }
                    yield set.lock();
                }
                case "diff" -> {
                    Options o = Options.parse(rest, Set.of("--json"), Set.of());
                    if (o.positionals().size() != 2) {
                        throw new UsageException("plugins diff: two lock files are required (usage: aetherflow plugins"
                                + " diff LOCK_A LOCK_B [--json])");
                    }
                    yield set.diff(o.positionals().get(0), o.positionals().get(1), o.flags().contains("--json"));
                }
                case "add" -> {
                    Options o = Options.parse(rest, Set.of("--keep"), Set.of());
                    if (o.positionals().isEmpty()) {
                        throw new UsageException("plugins add: at least one jar is required (usage: aetherflow plugins"
                                + " add JAR... [--keep])");
                    }
                    yield installer.add(o.positionals(), o.flags().contains("--keep"));
                }
                default -> {
                    Options o = Options.parse(rest, Set.of(), Set.of());
                    if (o.positionals().size() != 1) {
                        throw new UsageException("plugins remove: one SYMBOLIC-NAME[@VERSION] is required");
                    }
                    yield installer.remove(o.positionals().get(0));
                }
            };
        } catch (UsageException e) {
            err.println("aetherflow: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (PluginSetException e) {
            err.println("aetherflow: " + e.getMessage());
            return ExitCodes.PLUGINS;
        } catch (IOException e) {
            err.println("aetherflow: cannot update the installation " + inst.home() + ": " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        }
    }

    private static String help(String sub) {
        return switch (sub) {
            case "verify" -> "usage: aetherflow plugins verify [--json]\n"
                    + "Checks the whole installation against plugins.lock: every jar present with its sha256, no unlocked\n"
                    + "jar, every plugin's signature read in full and judged by the signing policy, and the set resolves\n"
                    + "in a fresh OSGi framework. Exit 0 when all is well, 3 otherwise.";
            case "lock" -> "usage: aetherflow plugins lock\n"
                    + "Regenerates plugins.lock from bundles/*.jar and the AETHERFLOW_PLUGIN_PATHS directories (signer\n"
                    + "column for signed jars) after checking signatures per policy and that the set resolves; the lock\n"
                    + "is replaced atomically. Exit 3 (lock unchanged) when a jar is refused or the set does not resolve.";
            case "diff" -> "usage: aetherflow plugins diff LOCK_A LOCK_B [--json]\n"
                    + "What changed from LOCK_A to LOCK_B: added, removed, upgraded, downgraded, changed-bytes,\n"
                    + "signer-changed, moved. Exit 0.";
            case "add" -> "usage: aetherflow plugins add JAR... [--keep]\n"
                    + "Adds bundle jars: checks each jar's signature per policy, refuses a symbolic name and version\n"
                    + "already locked with other bytes, resolves the new set in a real framework, and only then copies the\n"
                    + "jars into bundles/ and rewrites plugins.lock atomically. Another version of the same bundle is\n"
                    + "replaced (upgrade or rollback) unless --keep installs it side by side.";
            default -> "usage: aetherflow plugins remove SYMBOLIC-NAME[@VERSION]\n"
                    + "Removes a plugin from plugins.lock (and its jar from bundles/); refused while another bundle\n"
                    + "needs it (the refusal names them) and for bundles of the core distribution.";
        };
    }

    /** Parsed options: flags, valued options and positionals. */
    private record Options(Set<String> flags, Map<String, String> values, List<String> positionals) {
        static Options parse(List<String> args, Set<String> flagNames, Set<String> valueNames) throws UsageException {
            Set<String> flags = new HashSet<>();
            Map<String, String> values = new LinkedHashMap<>();
            List<String> pos = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("--")) {
                    int eq = a.indexOf('=');
                    String name = eq > 0 ? a.substring(0, eq) : a;
                    if (flagNames.contains(name) && eq < 0) {
                        flags.add(name);
                    } else if (valueNames.contains(name)) {
                        if (eq > 0) {
                            values.put(name, a.substring(eq + 1));
                        } else if (i + 1 < args.size()) {
                            values.put(name, args.get(++i));
                        } else {
                            throw new UsageException(name + " needs a value");
                        }
                    } else {
                        throw new UsageException("unknown option " + a + " (see --help)");
                    }
                } else {
                    pos.add(a);
                }
            }
            return new Options(flags, values, pos);
        }
    }

    private int trust(List<String> args) throws UsageException, PluginSetException, IOException {
        String usage = TrustCommands.USAGE;
        TrustCommands trust = new TrustCommands(env, inst, out, now);
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            if (args.isEmpty()) {
                throw new UsageException("trust: a sub-command is required: add, list or remove (" + usage + ")");
            }
            out.println(trust.help());
            return 0;
        }
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (sub) {
            case "add": {
                Options o = Options.parse(rest, Set.of(), Set.of("--alias"));
                if (o.positionals().size() != 1) {
                    throw new UsageException("trust add: exactly one certificate file is required (" + usage + ")");
                }
                return trust.add(o.positionals().get(0), o.values().get("--alias"));
            }
            case "list": {
                Options o = Options.parse(rest, Set.of("--json"), Set.of());
                if (!o.positionals().isEmpty()) {
                    throw new UsageException("trust list takes no arguments");
                }
                return trust.list(o.flags().contains("--json"));
            }
            case "remove": {
                Options o = Options.parse(rest, Set.of(), Set.of());
                if (o.positionals().size() != 1) {
                    throw new UsageException("trust remove: exactly one alias is required (" + usage + ")");
                }
                return trust.remove(o.positionals().get(0));
            }
            default:
                throw new UsageException("trust: unknown sub-command '" + sub + "' (" + usage + ")");
        }
    }
}
