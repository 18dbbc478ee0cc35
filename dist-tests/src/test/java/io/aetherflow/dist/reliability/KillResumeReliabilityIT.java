package io.aetherflow.dist.reliability;

import io.aetherflow.dist.Aetherflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiment: kill -9 at every step boundary of a 20-step flow (4 jobs of 5 steps) whose steps
 * append to a side-effect file, resuming the same run id after each kill. Step N+1 starts by
 * waiting on a hold file (before its side effect), so the engine is killed after step N's end
 * was committed and step N+1 had started. Figure: the resume completes, and no step recorded
 * SUCCESS at a kill runs (appends) again.
 */
class KillResumeReliabilityIT {

    private static final Path HOME = Aetherflow.HOME;
    private static final int JOBS = 4;
    private static final int STEPS_PER_JOB = 5;

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Aetherflow.minimalEnv();
    }

    private Process start(Path flow, String runId) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(HOME.resolve("bin/aetherflow").toString(), "run", "--flow-yaml",
                flow.toString(), "--run-id", runId).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(tmp.resolve("engine.log").toFile());
        return pb.start();
    }

    private String flow() {
        StringBuilder b = new StringBuilder("flow:\n  id: killresume\n  workspace:\n    root: " + tmp.resolve("work")
                + "\n    cleanup_policy: never\n  state:\n    path: " + tmp.resolve("state.sqlite") + "\njobs:\n");
        int n = 0;
        for (int j = 1; j <= JOBS; j++) {
            b.append("  - id: j").append(j).append("\n");
            if (j > 1) {
                b.append("    depends_on: [j").append(j - 1).append("]\n");
            }
            b.append("    steps:\n");
            for (int s = 1; s <= STEPS_PER_JOB; s++) {
                n++;
                String id = String.format("s%02d", n);
                String script = "touch " + tmp.resolve("at-" + id) + "; while [ -e " + tmp.resolve("hold-" + id)
                        + " ]; do sleep 0.05; done; echo " + id + " >> " + tmp.resolve("side");
                b.append("      - id: ").append(id).append("\n        type: external.process\n        inputs:\n")
                        .append("          command: [\"/bin/sh\", \"-c\", \"").append(script).append("\"]\n");
            }
        }
        return b.toString();
    }

    private Map<String, Integer> sideCounts() throws IOException {
        Map<String, Integer> m = new HashMap<>();
        Path side = tmp.resolve("side");
        if (Files.exists(side)) {
            for (String l : Files.readAllLines(side)) {
                m.merge(l.trim(), 1, Integer::sum);
            }
        }
        return m;
    }

    private Set<String> successSteps() throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("state.sqlite"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT step_id FROM step_runs WHERE run_id = 'rel' AND status = 'SUCCESS'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void awaitFile(Path f, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(f)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + f);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void killMinus9AtEveryStepBoundaryThenResume() throws Exception {
        Path flow = Files.writeString(tmp.resolve("flow.yaml"), flow(), StandardCharsets.UTF_8);
        int total = JOBS * STEPS_PER_JOB;
        // per step: how many appends it had made when it was first seen SUCCESS at a kill
        Map<String, Integer> atSuccess = new HashMap<>();
        int kills = 0;
        for (int k = 1; k <= total; k++) {
            String id = String.format("s%02d", k);
            Path hold = Files.createFile(tmp.resolve("hold-" + id));
            Process p = start(flow, "rel");
            awaitFile(tmp.resolve("at-" + id), 90);
            List<ProcessHandle> children = p.toHandle().descendants().toList();
            new ProcessBuilder("kill", "-9", Long.toString(p.pid())).start().waitFor();
            p.waitFor(30, TimeUnit.SECONDS);
            kills++;
            children.forEach(ProcessHandle::destroyForcibly); // the held step (the watchdog kills it too)
            Files.delete(hold);
            Map<String, Integer> counts = sideCounts();
            for (String s : successSteps()) {
                atSuccess.putIfAbsent(s, counts.getOrDefault(s, 0));
            }
        }
        Process last = start(flow, "rel");
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "final resume did not finish");
        int exit = last.exitValue();
        Map<String, Integer> counts = sideCounts();
        int rerunsAfterSuccess = 0;
        for (Map.Entry<String, Integer> e : atSuccess.entrySet()) {
            rerunsAfterSuccess += counts.getOrDefault(e.getKey(), 0) - e.getValue();
        }
        int completed = successSteps().size();
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            String id = String.format("s%02d", i);
            if (counts.getOrDefault(id, 0) < 1) {
                missing.add(id);
            }
        }
        boolean pass = exit == 0 && completed == total && rerunsAfterSuccess == 0 && missing.isEmpty();
        System.out.println("FIGURE kill9_every_step_boundary: kills=" + kills + " resume_exit=" + exit
                + " steps_success=" + completed + "/" + total + " steps_rerun_after_success=" + rerunsAfterSuccess
                + " (after kill -9 at each of the " + total + " step boundaries the resume completes with exit 0, every"
                + " step SUCCESS, and 0 steps re-run after being recorded SUCCESS) " + (pass ? "PASS" : "FAIL"));
        assertEquals(0, exit, Files.readString(tmp.resolve("engine.log")));
        assertEquals(total, completed);
        assertEquals(List.of(), missing);
        assertEquals(0, rerunsAfterSuccess, "side effects: " + Files.readAllLines(tmp.resolve("side")));
    }
}
