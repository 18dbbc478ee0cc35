package io.aetherflow.runtime.cli;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.Quote;
import io.aetherflow.runtime.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed options of one sub-command: {@code --name value}, {@code --name=value}, boolean flags and
 * positionals. Unknown options and missing values are usage errors (exit 2), as argparse does.
 */
final class Args {

    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    static Args parse(String command, List<String> args, Set<String> valued, Set<String> flags) {
        Args a = new Args(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                a.positionals.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (arg.startsWith("--")) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                            throw usage(command, "argument " + name + ": expected one argument");
                        }
                        value = args.get(++i);
                    }
                    a.values.put(name, value);
                } else if (flags.contains(name) && value == null) {
                    a.values.put(name, "true");
                } else {
                    throw usage(command, "unrecognized arguments: " + Quote.escape(shorten(arg)));
                }
            } else if (arg.startsWith("-") && arg.length() > 1 && !arg.equals("-")) {
                throw usage(command, "unrecognized arguments: " + Quote.escape(shorten(arg)));
            } else {
                a.positionals.add(arg);
            }
        }
        return a;
    }

    static UserError usage(String command, String message) {
        return new UserError(ExitCodes.INVALID, "aetherflow" + (command == null ? "" : " " + command) + ": error: "
                + message + " (see 'aetherflow" + (command == null ? "" : " " + command) + " --help')");
    }

    /** An argument echoed in a message: long ones are cut (a 5 MB argument is not a 5 MB message). */
    private static String shorten(String arg) {
        return arg.length() <= Quote.MAX_SHOWN ? arg : arg.substring(0, Quote.MAX_SHOWN - 20) + "... (" + arg.length()
                + " characters)";
    }

    String get(String name) {
        return values.get(name);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw usage(command, "the following arguments are required: " + name);
        }
        return v;
    }

    boolean flag(String name) {
        return "true".equals(values.get(name));
    }

    List<String> positionals() {
        return positionals;
    }

    void noPositionals() {
        if (!positionals.isEmpty()) {
            throw usage(command, "unrecognized arguments: " + Quote.escape(shorten(String.join(" ", positionals))));
        }
    }
}
