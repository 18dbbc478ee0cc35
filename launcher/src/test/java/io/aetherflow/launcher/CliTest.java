package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.EngineCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one parser and help of every command: typed outcomes, argparse-style one-line usage errors, help. */
class CliTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Cli.Parsed parse(String... args) {
        out.reset();
        err.reset();
        Installation inst = Installation.locate(Map.of("AETHERFLOW_HOME", home.toString()));
        return Cli.parse(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), inst);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private EngineCommand engine(String... args) {
        Cli.Parsed p = parse(args);
        assertNull(p.exitCode(), stderr());
        return assertInstanceOf(Commands.ForEngine.class, p.outcome()).command();
    }

    private String usageError(String... args) {
        Cli.Parsed p = parse(args);
        assertEquals(2, p.exitCode(), stdout() + stderr());
        assertEquals("", stdout());
        String[] lines = stderr().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void engineCommandsBecomeTypedRequests() {
        assertEquals(new EngineCommand.Run("f.yaml", "r-1", "j", null, false),
                engine("run", "--flow-yaml", "f.yaml", "--run-id=r-1", "--flow-job", "j"));
        assertEquals(new EngineCommand.Run("@args.txt", null, null, null, false), engine("run", "--flow-yaml", "@args.txt"),
                "an @file is a file name, not a list of arguments");
        assertEquals(new EngineCommand.Run("b.yaml", null, null, null, false),
                engine("run", "--flow-yaml", "a.yaml", "--flow-yaml", "b.yaml"), "the last value wins");
        assertEquals(new EngineCommand.Check(EngineCommand.CheckKind.DOCTOR, "f.yaml", null, true, false),
                engine("doctor", "--json", "--flow-yaml", "f.yaml"));
        assertEquals(new EngineCommand.PluginsList(true), engine("plugins", "list", "--json"));
        assertEquals(new EngineCommand.BundleSync("m.yaml", "/w", true, true, true), engine("bundle", "sync",
                "--bundle-manifest", "m.yaml", "--work-root", "/w", "--json", "--print-local-root", "--allow-stale-bundle"));
        assertEquals(new EngineCommand.BundleStatus("m.yaml", null, false), engine("bundle", "status", "--bundle-manifest",
                "m.yaml"));
        assertEquals(new EngineCommand.Run(null, null, null, "m.yaml", true), engine("run", "--bundle-manifest", "m.yaml",
                "--allow-stale-bundle"), "with a bundle the entry flow runs: no --flow-yaml needed");
        assertEquals(new EngineCommand.Check(EngineCommand.CheckKind.VALIDATE, "flows/x.yaml", "m.yaml", false, false),
                engine("validate", "--bundle-manifest", "m.yaml", "--flow-yaml", "flows/x.yaml"));
        assertEquals(new EngineCommand.Version(false), engine("--version"));
        assertEquals(new EngineCommand.Runs(false, List.of(), "s.db", null, null, "5", false),
                engine("runs", "--state", "s.db", "--limit", "5"));
        assertEquals(new EngineCommand.Runs(true, List.of("r-1"), null, "f.yaml", null, null, true),
                engine("runs", "show", "r-1", "--flow-yaml", "f.yaml", "--json"));
    }

    @Test
    void installationCommandsRunInTheLauncher() {
        for (String[] args : List.of(new String[] {"trust", "list"}, new String[] {"plugins", "verify", "--json"},
                new String[] {"plugins", "add", "a.jar", "--keep"}, new String[] {"trust"})) {
            Cli.Parsed p = parse(args);
            assertNull(p.exitCode(), String.join(" ", args) + ": " + stderr());
            assertInstanceOf(Commands.Installation.class, p.outcome(), String.join(" ", args));
        }
    }

    @Test
    void usageErrorsAreOneArgparseStyleLine() {
        assertEquals("aetherflow: error: a command is required (see 'aetherflow --help')", usageError());
        assertTrue(stderr().startsWith("usage: aetherflow <command> [options]"), stderr());
        assertEquals("aetherflow: error: argument command: invalid choice: 'frobnicate' (choose from run, validate, doctor,"
                + " explain, bundle, plugins, trust, runs, schedule, state, version) (see 'aetherflow --help')", usageError("frobnicate"));
        assertEquals("aetherflow run: error: argument --flow-yaml: expected one argument (see 'aetherflow run --help')",
                usageError("run", "--flow-yaml"));
        assertEquals("aetherflow run: error: argument --flow-yaml: expected one argument (see 'aetherflow run --help')",
                usageError("run", "--flow-yaml", "--run-id", "x"));
        assertEquals("aetherflow run: error: the following arguments are required: --flow-yaml (see 'aetherflow run"
                + " --help')", usageError("run"));
        assertEquals("aetherflow run: error: the following arguments are required: --flow-yaml (see 'aetherflow run"
                + " --help')", usageError("run", "--flow-yaml="));
        assertEquals("aetherflow validate: error: unrecognized arguments: --bogus (see 'aetherflow validate --help')",
                usageError("validate", "--flow-yaml", "f", "--bogus"));
        assertEquals("aetherflow bundle: error: a sub-command is required: sync or status (see 'aetherflow bundle --help')",
                usageError("bundle"));
        assertEquals("aetherflow bundle sync: error: the following arguments are required: --bundle-manifest (see"
                + " 'aetherflow bundle sync --help')", usageError("bundle", "sync"));
        assertEquals("aetherflow bundle status: error: unrecognized arguments: --print-local-root (see 'aetherflow bundle"
                + " status --help')", usageError("bundle", "status", "--bundle-manifest", "m", "--print-local-root"));
        assertEquals("aetherflow run: error: unrecognized arguments: a b (see 'aetherflow run --help')",
                usageError("run", "--flow-yaml", "f", "a", "b"));
        assertEquals("aetherflow version: error: unrecognized arguments: --json=yes (see 'aetherflow version --help')",
                usageError("version", "--json=yes"));
        assertEquals("aetherflow run: error: unrecognized arguments: --x\\ny (see 'aetherflow run --help')",
                usageError("run", "--x\ny"), "one line whatever the argument holds");
        assertTrue(usageError("run", "--" + "x".repeat(5000)).contains("... (5002 characters)"), stderr());
        assertEquals("aetherflow plugins: error: a sub-command is required: list, add, remove, verify, lock or diff (see"
                + " 'aetherflow plugins --help')", usageError("plugins"));
        assertEquals("aetherflow plugins: error: unknown sub-command 'frob' (choose from list, add, remove, verify, lock,"
                + " diff) (see 'aetherflow plugins --help')", usageError("plugins", "frob"));
        assertEquals("aetherflow runs: error: unknown sub-command 'frob' (choose from list, show) (see 'aetherflow runs"
                + " --help')", usageError("runs", "frob"));
        assertEquals("aetherflow runs list: error: unrecognized arguments: --bogus (see 'aetherflow runs list --help')",
                usageError("runs", "--bogus"));
        assertEquals("aetherflow plugins verify: error: unrecognized arguments: --bogus (see 'aetherflow plugins verify"
                + " --help')", usageError("plugins", "verify", "--bogus"));
    }

    @Test
    void oneHelpListsEveryCommandAndEachCommandHasItsOwn() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"}, new String[] {"-h"})) {
            assertEquals(0, parse(args).exitCode());
            for (String c : List.of("run", "validate", "doctor", "explain", "plugins", "trust", "runs", "version")) {
                assertTrue(stdout().contains("\n  " + c + " "), c + " in\n" + stdout());
            }
            assertTrue(stdout().contains("Exit codes: 0 ok, 1 a job failed"), stdout());
        }
        assertEquals(0, parse("run", "--flow-yaml", "--help").exitCode());
        assertTrue(stdout().startsWith("usage: aetherflow run --flow-yaml FLOW_YAML"), stdout());
        assertTrue(stdout().contains("--run-id") && stdout().contains("--flow-job"), stdout());
        assertEquals(0, parse("runs", "--help").exitCode());
        assertTrue(stdout().contains("$AETHERFLOW_STATE_ROOT/aetherflow.sqlite (default /tmp/state/aetherflow.sqlite)")
                && stdout().contains("--flow-yaml also selects that flow"), stdout());
        assertEquals(0, parse("plugins", "--help").exitCode());
        for (String c : List.of("list", "add", "remove", "verify", "lock", "diff")) {
            assertTrue(stdout().contains("\n  " + c + " "), c + " in\n" + stdout());
        }
        assertEquals(0, parse("plugins", "verify", "-h").exitCode());
        assertTrue(stdout().startsWith("usage: aetherflow plugins verify [--json]"), stdout());
        assertEquals(0, parse("trust", "--help").exitCode());
        assertTrue(stdout().contains("truststore.p12") && stdout().contains("AETHERFLOW_TRUSTSTORE_PASSWORD"), stdout());
        assertEquals(0, parse("trust", "add", "--help").exitCode());
        assertTrue(stdout().contains("--alias"), stdout());
        assertEquals("", stderr());
    }

    @Test
    void everyCommandOfTheTableHasAMeaning() {
        // Commands.build dispatches on the command path: each command of the table parses to an outcome or a
        // usage error, never "no command"
        for (String path : Commands.ALL.keySet()) {
            List<String> args = new java.util.ArrayList<>(List.of(path.split(" ")));
            Cli.Parsed p = parse(args.toArray(new String[0]));
            assertTrue(p.outcome() != null || p.exitCode() == 2, path + ": " + stderr());
            assertTrue(!stderr().contains("no command"), path + ": " + stderr());
            args.add("--help");
            assertEquals(0, parse(args.toArray(new String[0])).exitCode(), path + " --help: " + stderr());
            assertTrue(stdout().startsWith("usage: "), path + " --help: " + stdout());
        }
        assertInstanceOf(Commands.Installation.class, parse("trust", "list").outcome());
        assertInstanceOf(Commands.Installation.class, parse("plugins", "verify").outcome());
        assertEquals(new EngineCommand.Version(true), engine("version", "--json"));
    }
}
