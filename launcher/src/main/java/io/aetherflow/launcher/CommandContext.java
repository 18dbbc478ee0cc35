package io.aetherflow.launcher;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;

/**
 * What every installation command works with ({@code trust ...}, {@code plugins verify|lock|diff},
 * {@code plugins add|remove} and their shared checks): one context, built once per command by
 * {@link InstallationCommands}.
 *
 * @param env the process environment (trust policy, trust store location and password, plugin paths)
 * @param inst the installation
 * @param out standard output (reports)
 * @param err standard error (problems, warnings, framework messages)
 * @param now the time of the command's signature and validity checks
 */
record CommandContext(Map<String, String> env, Installation inst, PrintStream out, PrintStream err, Instant now) {
}
