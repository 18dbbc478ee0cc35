package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state store locked by another process while a step's end is written: exit 4, and the run still ends FAILED. */
class StoreBusyIT {

    /** What the engine reports when the write of step one's end found the store locked. */
    private static final String STEP_WRITE_LOCKED = "writing status SUCCESS of step j/one)";

    @TempDir
    Path tmp;

    @Test
    void aBusyStoreDuringAStepWriteExits4AndTheRunsEndIsRecordedOnceWritable() throws Exception {
        Path started = tmp.resolve("started");
        Path locked = tmp.resolve("locked");
        // step one ends only once the test holds the store's write lock (at most 120 s)
        String jobs = "  - id: j\n    steps:\n"
                + sh("one", "touch " + started + "; i=0; while [ ! -e " + locked + " ] && [ $i -lt 1200 ]; do sleep 0.1;"
                        + " i=$((i+1)); done", null)
                + sh("two", "echo two >> " + tmp.resolve("two.count"), null);
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("busy", jobs));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_STATE_BUSY_TIMEOUT", "1");
        Path db = Path.of(env.get("AF_STATE"));
        Path stderr = tmp.resolve("stderr.txt");
        Process p = Aetherflow.builder(Aetherflow.HOME, tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "b1")
                .redirectError(stderr.toFile()).start();
        Aetherflow.awaitFile(started, 60);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE"); // another process holds the write lock past the step's end
            Files.writeString(locked, "");
            // held until the engine has given up on the step's write (its busy timeout is 1 s), then
            // released, so the end of the run is recorded on one of its retries (a failed heartbeat
            // also reports the locked store, so the test waits for the step's own write)
            long end = System.nanoTime() + 60_000_000_000L;
            while (!Files.readString(stderr).contains(STEP_WRITE_LOCKED)
                    && !Files.readString(stderr).contains("state store busy while recording the end of the run")) {
                assertTrue(System.nanoTime() < end, "the engine never reported the locked store: " + Files.readString(stderr));
                Thread.sleep(50);
            }
            st.execute("COMMIT");
        }
        Result finished = Aetherflow.finish(p, 120);
        Result r = new Result(finished.exit(), finished.stdout(), Files.readString(stderr));
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.stderr().contains("state store " + db + " is locked by another process (waited 1 s while "
                + STEP_WRITE_LOCKED), r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
        assertFalse(Files.exists(tmp.resolve("two.count")), "the run stops at the failed write");
        List<Map<String, Object>> run = StateDb.query(db, "SELECT status, error FROM runs WHERE run_id = 'b1'");
        assertEquals("FAILED", run.get(0).get("status"), run.toString());
        assertTrue(String.valueOf(run.get(0).get("error")).contains("is locked by another process"), run.toString());
        assertEquals("FAILED", StateDb.jobStatus(db, "j", "b1"));
        assertEquals("FAILED", StateDb.stepStatus(db, "j", "b1", "one"));
        Result show = Aetherflow.run(tmp, env, "runs", "show", "b1", "--flow-yaml", f.toString());
        assertTrue(show.stdout().contains("FAILED") && !show.stdout().contains("INTERRUPTED"), show.stdout());
    }
}
