package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.support.Json;
import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's commands and the informational commands on the real distribution. */
@RunsExamples("hello")
class CliIT {

    @TempDir
    Path tmp;

    @Test
    void theHelloExampleRunsFromTheRepositoryRoot() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Result r = Aetherflow.run(Aetherflow.REPO, env, "run", "--flow-yaml", "examples/hello/flow.yaml");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("run_end"), r.stderr());
        Result v = Aetherflow.run(Aetherflow.REPO, env, "validate", "--flow-yaml", "examples/hello/flow.yaml");
        assertEquals(0, v.exit(), v.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void pluginsListNamesTheBundleServingEachStepTypeAndThePluginSetHash() throws Exception {
        Result r = Aetherflow.run(tmp, Aetherflow.baseEnv(tmp), "plugins", "list", "--json");
        assertEquals(0, r.exit(), r.toString());
        Map<String, Object> report = (Map<String, Object>) Json.parse(r.stdout().trim());
        assertTrue(String.valueOf(report.get("plugin_set_hash")).matches("[0-9a-f]{64}"), report.toString());
        Map<String, Object> steps = (Map<String, Object>) report.get("step_types");
        assertEquals("io.aetherflow.steps.process", ((Map<String, Object>) steps.get("external.process")).get("bundle"));
        assertEquals("io.aetherflow.steps.control", ((Map<String, Object>) steps.get("with_lock")).get("bundle"));
        assertEquals("io.aetherflow.steps.control", ((Map<String, Object>) steps.get("check_items")).get("bundle"));
        List<Map<String, Object>> bundles = (List<Map<String, Object>>) report.get("bundles");
        // ACTIVE, or STARTING for a bundle with a lazy activation policy (snappy-java) until a class of it is used
        assertTrue(bundles.stream().allMatch(b -> "ACTIVE".equals(b.get("state"))
                || "STARTING".equals(b.get("state")) && "org.xerial.snappy.snappy-java".equals(b.get("symbolic_name"))
                || b.get("symbolic_name")
                .toString().startsWith("org.osgi")), bundles.stream().filter(b -> !"ACTIVE".equals(b.get("state")))
                .map(b -> b.get("symbolic_name") + "=" + b.get("state")).toList().toString());
        Result text = Aetherflow.run(tmp, Aetherflow.baseEnv(tmp), "plugins", "list");
        assertTrue(text.stdout().contains("external.process -> io.aetherflow.steps.process 1.0.0"), text.stdout());
    }

    @Test
    void versionAndHelp() throws Exception {
        Result v = Aetherflow.run(tmp, Aetherflow.baseEnv(tmp), "version");
        assertEquals(0, v.exit(), v.toString());
        assertTrue(v.stdout().startsWith("aetherflow 0.1.0"), v.stdout());
        Result h = Aetherflow.run(tmp, Aetherflow.baseEnv(tmp), "run", "--help");
        assertEquals(0, h.exit());
        assertTrue(h.stdout().contains("--flow-yaml"), h.stdout());
        Result runs = Aetherflow.run(tmp, Aetherflow.baseEnv(tmp), "runs", "--help");
        assertEquals(0, runs.exit(), runs.toString());
        // the help says what docs/cli.md says: the default file honours AETHERFLOW_STATE_ROOT, --flow-yaml selects the flow
        assertTrue(runs.stdout().contains("$AETHERFLOW_STATE_ROOT/aetherflow.sqlite (default /tmp/state/aetherflow.sqlite)")
                && runs.stdout().contains("--flow-yaml also selects that flow"), runs.stdout());
    }

    @Test
    void theDocumentedC2OptionOverridesTheCommandJitFlags() throws Exception {
        // docs/operations.md: AETHERFLOW_JAVA_OPTS=-XX:TieredStopAtLevel=4 for long row loops; the launcher's
        // one-C1-thread default must give way (C2 refuses CICompilerCount=1 and the JVM would not start)
        validatesHelloWithC2In("AETHERFLOW_JAVA_OPTS");
    }

    @Test
    void aC2OptionInJavaOptionsAlsoOverridesTheCommandJitFlags() throws Exception {
        // _JAVA_OPTIONS comes after the command line: C2 switched on there must not meet CICompilerCount=1
        validatesHelloWithC2In("_JAVA_OPTIONS");
    }

    /** {@code validate} of the hello example with {@code -XX:TieredStopAtLevel=4} in the given variable exits 0. */
    private void validatesHelloWithC2In(String variable) throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put(variable, "-XX:TieredStopAtLevel=4");
        Result r = Aetherflow.run(Aetherflow.REPO, env, "validate", "--flow-yaml", "examples/hello/flow.yaml");
        assertEquals(0, r.exit(), r.toString());
    }

    @Test
    void runsListAndShowReadTheStateStore() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), Flows.flow("rl", "  - id: a\n    steps:\n"
                + Flows.sh("s", "true", "          outputs: {answer: 42}\n")));
        assertEquals(0, Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "r-77").exit());
        Result list = Aetherflow.run(tmp, env, "runs", "list", "--flow-yaml", f.toString());
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().contains("r-77") && list.stdout().contains("SUCCESS"), list.stdout());
        Result show = Aetherflow.run(tmp, env, "runs", "show", "r-77", "--flow-yaml", f.toString(), "--json");
        assertEquals(0, show.exit(), show.toString());
        String s = show.stdout();
        assertTrue(s.contains("\"answer\": 42") && s.contains("io.aetherflow.steps.process"), s);
        Result missing = Aetherflow.run(tmp, env, "runs", "show", "nope", "--flow-yaml", f.toString());
        assertEquals(2, missing.exit(), missing.toString());
    }
}
