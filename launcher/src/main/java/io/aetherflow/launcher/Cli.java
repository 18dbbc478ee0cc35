package io.aetherflow.launcher;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.Quote;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

/**
 * The one parser and the one help system of {@code aetherflow}, for every command whichever side
 * executes it ({@link Commands} is the model; Apache Commons CLI parses the options and formats the
 * option lists). Parses a command line once: prints help (exit 0) or a one-line usage error (exit 2,
 * argparse style: {@code aetherflow run: error: ... (see 'aetherflow run --help')}), or returns what to
 * run: a typed engine command or an installation command.
 *
 * <p>Commons CLI rather than an annotation-driven library: it is small, compiled for a current class
 * file version (so class-data sharing archives it) and uses no reflection, which keeps the launcher's
 * start-up where it was.
 */
final class Cli {

    /**
     * The result of parsing.
     *
     * @param exitCode the exit code when parsing already finished the command (help, usage error), else null
     * @param outcome what to run, when {@code exitCode} is null
     */
    record Parsed(Integer exitCode, Commands.Outcome outcome) {
    }

    private Cli() {
    }

    /**
     * @param args the command line after the program name
     * @param out where help goes
     * @param err where usage errors go
     * @param env the process environment (the trust store location in {@code trust --help})
     * @param inst the installation
     * @return help or error already printed (with its exit code), or what to run
     */
    static Parsed parse(List<String> args, PrintStream out, PrintStream err, Map<String, String> env,
            Installation inst) {
        if (args.isEmpty()) {
            err.println(mainHelp());
            return fail(err, Quote.usage(null, "a command is required"));
        }
        List<String> argv = new ArrayList<>(args);
        String first = argv.get(0);
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            out.println(mainHelp());
            return new Parsed(ExitCodes.OK, null);
        }
        if (first.equals("--version")) {
            argv.set(0, "version");
        }
        Commands.Command command = Commands.ALL.get(argv.get(0));
        if (command == null) {
            List<String> names = new ArrayList<>();
            Commands.topLevel().forEach(c -> names.add(c.path()));
            return fail(err, Quote.usage(null, "argument command: invalid choice: " + Quote.q(first) + " (choose from "
                    + String.join(", ", names) + ")"));
        }
        int depth = 1;
        if (argv.size() > 1 && Commands.ALL.containsKey(argv.get(0) + " " + argv.get(1))) {
            command = Commands.ALL.get(argv.get(0) + " " + argv.get(1));
            depth = 2;
        }
        List<String> rest = argv.subList(depth, argv.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(help(command, env, inst));
            return new Parsed(ExitCodes.OK, null);
        }
        String errorName = command.path().equals("runs") ? "runs list" : command.path();
        CommandLine line = null;
        Options options = command.options();
        if (options != null) {
            try {
                line = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options,
                        rest.toArray(new String[0]));
            } catch (ParseException e) {
                return fail(err, Quote.usage(errorName, message(e)));
            }
            // as argparse: '--name --other' is a missing value, never the value '--other'
            for (int i = 0; i + 1 < rest.size(); i++) {
                String name = rest.get(i);
                if (name.startsWith("--") && options.hasLongOption(name.substring(2))
                        && options.getOption(name.substring(2)).hasArg() && rest.get(i + 1).startsWith("--")) {
                    return fail(err, Quote.usage(errorName, "argument " + name + ": expected one argument"));
                }
            }
        }
        try {
            return new Parsed(null, Commands.build(new Commands.Parsed(command, line, List.copyOf(rest))));
        } catch (Commands.UsageError e) {
            return fail(err, e.getMessage());
        }
    }

    private static Parsed fail(PrintStream err, String line) {
        err.println(Quote.escape(line));
        return new Parsed(ExitCodes.INVALID, null);
    }

    private static String message(ParseException e) {
        if (e instanceof UnrecognizedOptionException u) {
            return "unrecognized arguments: " + Quote.argument(u.getOption());
        }
        if (e instanceof MissingArgumentException m) {
            return "argument --" + m.getOption().getLongOpt() + ": expected one argument";
        }
        return Quote.escape(e.getMessage());
    }

    /** @return the help of {@code aetherflow}: every command */
    static String mainHelp() {
        StringBuilder sb = new StringBuilder("usage: aetherflow <command> [options]\n\n"
                + "AetherFlow for the JVM: run-once YAML workflows on an OSGi plugin host.\n\ncommands:\n");
        commandList(sb, Commands.topLevel(), 0);
        return sb.append("\nRun 'aetherflow <command> --help' for a command's options.\n"
                + "Exit codes: 0 ok, 1 a job failed, 2 invalid input, 3 plugin set problem,\n"
                + "4 environment problem, 75 lock busy, 130 interrupted (docs/cli.md).").toString();
    }

    private static void commandList(StringBuilder sb, List<Commands.Command> commands, int skip) {
        for (Commands.Command c : commands) {
            String name = c.path().substring(skip);
            sb.append("  ").append(name).append(" ".repeat(Math.max(1, 12 - name.length()))).append(c.summary())
                    .append('\n');
        }
    }

    /**
     * @param command a command
     * @param env the process environment
     * @param inst the installation
     * @return its help: usage, description, options, sub-commands
     */
    static String help(Commands.Command command, Map<String, String> env, Installation inst) {
        String description = command.path().equals("trust")
                ? new TrustCommands(new CommandContext(env, inst, null, null, null)).help().lines().skip(1).findFirst().orElse("")
                : command.description();
        StringBuilder header = new StringBuilder("\n").append(description).append('\n');
        List<Commands.Command> subs = Commands.subCommands(command.path());
        if (!subs.isEmpty()) {
            header.append("\ncommands:\n");
            commandList(header, subs, command.path().length() + 1);
        }
        Options own = command.options();
        Options options = own == null ? new Options() : own;
        if (options.getOptions().isEmpty()) {
            return "usage: " + command.synopsis() + "\n" + header.toString().stripTrailing();
        }
        header.append("\noptions:");
        HelpFormatter f = new HelpFormatter();
        f.setOptionComparator(null);
        java.io.StringWriter text = new java.io.StringWriter();
        try (PrintWriter w = new PrintWriter(text)) {
            f.printHelp(w, 110, command.synopsis(), header.toString(), options, 2, 3, null, false);
        }
        return text.toString().stripTrailing();
    }
}
