package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.LaunchInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
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

    /** As {@link #runFlow}, asserting that the run succeeded (exit code 0; the outcome is the message otherwise). */
    static Outcome runFlowOk(BundleContext context, Path home, Path flow, String runId) throws Exception {
        Outcome r = runFlow(context, home, flow, runId);
        assertEquals(0, r.exit(), r.toString());
        return r;
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

    /**
     * A test flow's {@code flow:} block ({@link #flowBlock}) and the start of its one job {@code j},
     * up to its {@code steps:} key: the step lines follow.
     */
    static String oneJobFlow(Path home, String flowId, String... workspaceOptions) {
        return String.join("\n", flowBlock(home, flowId, workspaceOptions), "jobs:", "  - id: j", "    steps:");
    }

    /** The first lines of a resource under {@code resources:}: its name, kind and driver (its config follows). */
    static String resource(String name, String kind, String driver) {
        return String.join("\n", "  " + name + ":", "    kind: " + kind, "    driver: " + driver);
    }

    /**
     * A {@code resources:} section with the one resource {@code name} ({@link #resource}) and its
     * {@code config:} entries.
     *
     * @param config the config entries, one per line, unindented ({@code "host: 127.0.0.1"})
     */
    static String resources(String name, String kind, String driver, String... config) {
        StringBuilder sb = new StringBuilder("resources:\n").append(resource(name, kind, driver)).append("\n    config:");
        for (String c : config) {
            sb.append("\n      ").append(c);
        }
        return sb.toString();
    }

    /** The first lines of a step in a job's {@code steps:}: its id, its type and the {@code inputs:} key (inputs follow). */
    static String stepHead(String id, String type) {
        return String.join("\n", "      - id: " + id, "        type: " + type, "        inputs:");
    }

    /**
     * As {@link #stepHead}, with the inputs {@code resource: resource} and {@code inputs} (more inputs may follow).
     *
     * @param inputs more inputs, one per line, unindented ({@code "dest_dir: inbox"})
     */
    static String resourceStep(String id, String type, String resource, String... inputs) {
        StringBuilder sb = new StringBuilder(stepHead(id, type)).append("\n          resource: ").append(resource);
        for (String i : inputs) {
            sb.append("\n          ").append(i);
        }
        return sb.toString();
    }

    /**
     * Writes {@code home/flow.yaml}: the lines joined by newlines, with a final newline.
     *
     * @return the file
     */
    static Path writeFlow(Path home, String... lines) throws IOException {
        return Files.writeString(home.resolve("flow.yaml"), String.join("\n", lines) + "\n");
    }

    /**
     * The {@code jobs:} of the transfer flows (resource {@code files}): job {@code pull} lists the
     * {@code *.csv} in {@code listDir}, downloads them to {@code inbox} and uploads them to
     * {@code archiveDir}; job {@code nothing} is {@link #noDataJob}.
     *
     * @param family {@code sftp} or {@code smb} (the step types' prefix)
     * @param uploadInput the upload step's input naming the files ({@code items}, {@code local_files})
     */
    static String transferJobs(Path home, String family, String listDir, String uploadInput, String archiveDir,
            String emptyDir) {
        return String.join("\n",
                "jobs:",
                "  - id: pull",
                "    steps:",
                "      - id: list",
                "        type: " + family + "_list_files",
                "        inputs: {resource: files, remote_dir: " + listDir + ", pattern: \"*.csv\"}",
                resourceStep("get", family + "_download_files", "files", "files: \"{{steps.list.files}}\"", "dest_dir: inbox"),
                resourceStep("put", family + "_upload_files", "files", uploadInput + ": \"{{steps.get.local_files}}\"",
                        "remote_dir: " + archiveDir),
                noDataJob(home, family + "_list_files", emptyDir));
    }

    /**
     * A job {@code nothing} (resource {@code files}) whose list step finds no {@code *.xml} in
     * {@code remoteDir}; with {@code on_no_data: skip_job} the step after it, which would create
     * {@code home/never-ran}, is skipped ({@link #assertTransferred}).
     *
     * @param listType {@code sftp_list_files} or {@code smb_list_files}
     */
    private static String noDataJob(Path home, String listType, String remoteDir) {
        return String.join("\n",
                "  - id: nothing",
                "    steps:",
                "      - id: list_xml",
                "        type: " + listType,
                "        on_no_data: skip_job",
                "        inputs: {resource: files, remote_dir: " + remoteDir + ", pattern: \"*.xml\"}",
                stepHead("never", "external.process"),
                "          command: [/bin/sh, -c, \"touch " + home.resolve("never-ran") + "\"]");
    }

    /**
     * Asserts what a run of {@link #transferJobs} did: it succeeded, {@code a.csv} and {@code b.csv}
     * (the remote {@code in} directory holds {@code 1,2} and {@code 3,4}) arrived in
     * {@code archiveDir}, {@link #noDataJob}'s second step did not run, and the password appears
     * nowhere in the output.
     */
    static void assertTransferred(Outcome r, Path home, Path archiveDir, String password) throws IOException {
        assertEquals(0, r.exit(), r.toString());
        assertEquals("1,2\n", Files.readString(archiveDir.resolve("a.csv")));
        assertEquals("3,4\n", Files.readString(archiveDir.resolve("b.csv")));
        assertFalse(Files.exists(home.resolve("never-ran")), "on_no_data: skip_job skipped the rest of the job");
        assertFalse(r.toString().contains(password), "the password never appears in the output");
    }

    /**
     * A step {@code id} of a flow's step list: {@code /bin/sh -c script} in the job's directory.
     *
     * @param script the shell script, as it goes between double quotes in YAML
     */
    static String shellStep(String id, String script) {
        return String.join("\n",
                "      - id: " + id,
                "        type: external.process",
                "        inputs:",
                "          command: [/bin/sh, -c, \"" + script + "\"]",
                "          cwd: \".\"");
    }

    /**
     * A server socket on loopback (an ephemeral port) whose accept loop {@code handler} runs on a
     * daemon thread; closing the socket ends the loop.
     */
    static ServerSocket loopbackServer(String threadName, Consumer<ServerSocket> handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> handler.accept(server), threadName);
        t.setDaemon(true);
        t.start();
        return server;
    }
}
