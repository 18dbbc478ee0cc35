package io.aetherflow.itests;

import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.LaunchInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** Calls the engine the way the launcher does, capturing what it prints. */
final class EngineFixture {

    /** What one command did. */
    record Outcome(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit=" + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private EngineFixture() {
    }

    static LaunchInfo info(Path home) {
        return new LaunchInfo(home, "0.1.0", home.resolve("plugins.lock"), "0".repeat(64), List.of(), System.nanoTime());
    }

    /** Runs one (typed, as the launcher parsed it) command; System.out/err are swapped for the duration (tests in this bundle run one at a time). */
    static synchronized Outcome run(Application app, Path home, EngineCommand command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = app.run(command, info(home));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code aetherflow run --flow-yaml <flow> --run-id <runId>} on the engine's Application
     * service (waiting for it to register), releasing the service afterwards.
     */
    static Outcome runFlow(BundleContext context, Path home, Path flow, String runId) throws Exception {
        return run(context, home, new EngineCommand.Run(flow.toString(), runId, null, null, false));
    }

    /**
     * Runs {@code command} on the engine's Application service (waiting for it to register),
     * releasing the service afterwards.
     */
    static Outcome run(BundleContext context, Path home, EngineCommand command) throws Exception {
        ServiceReference<Application> ref = Services.await(context, Application.class, null).get(0);
        try {
            return run(context.getService(ref), home, command);
        } finally {
            context.ungetService(ref);
        }
    }

    /**
     * The {@code flow:} block of a test flow: its id, a workspace and a state store under {@code home}.
     *
     * @param workspaceOptions more workspace settings, e.g. {@code cleanup_policy: never}
     */
    static String flowBlock(Path home, String flowId, String... workspaceOptions) {
        StringBuilder ws = new StringBuilder("{root: \"" + home.resolve("work") + "\"");
        for (String o : workspaceOptions) {
            ws.append(", ").append(o);
        }
        return String.join("\n",
                "flow:",
                "  id: " + flowId,
                "  workspace: " + ws + "}",
                "  state: {path: \"" + home.resolve("state.sqlite") + "\"}");
    }
}
