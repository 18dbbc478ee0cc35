package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the engine while a step's child runs: the child dies with the engine (watchdog), and
 * when that safety net is gone too, the next run that finds the dead run (lease takeover, resume)
 * kills the recorded process group before its own guarded step starts. A lock means no overlap.
 */
class ProcessGroupsIT {

    @TempDir
    Path tmp;

    private final List<Long> toClean = new java.util.ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (long pid : toClean) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * A with_lock step whose guarded child writes its pid, fails when the pid of an earlier
     * holder's child is still alive (overlap), and sleeps unless the "fast" file exists.
     */
    private Path lockFlow(String id) throws Exception {
        Path pids = tmp.resolve("child.pid");
        // an earlier child still running (a zombie has exited: it only waits to be reaped)
        String script = "if [ -s " + pids + " ]; then st=$(cut -d' ' -f3 /proc/$(tail -n 1 " + pids + ")/stat 2>/dev/null);"
                + " if [ -n \"$st\" ] && [ \"$st\" != Z ]; then echo OVERLAP >> " + tmp.resolve("overlap")
                + "; exit 9; fi; fi; echo $$ >> " + pids + "; test -e " + tmp.resolve("fast") + " || sleep 100";
        String jobs = "  - id: j\n    steps:\n"
                + "      - id: guarded\n        type: with_lock\n        inputs:\n"
                + "          lock_key: procs-key\n          ttl_seconds: 2\n          on_busy: exit\n"
                + "          step:\n            type: external.process\n            inputs:\n"
                + "              command: [\"/bin/sh\", \"-c\", " + Flows.quote(script) + "]\n";
        return Aetherflow.write(tmp.resolve(id + ".yaml"), flow(id, jobs));
    }

    private long awaitChild() throws Exception {
        Path pids = tmp.resolve("child.pid");
        Aetherflow.awaitFile(pids, 60);
        long end = System.nanoTime() + 10_000_000_000L;
        while (Files.readString(pids).isBlank()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no pid in " + pids);
            }
            Thread.sleep(20);
        }
        long pid = Long.parseLong(Files.readAllLines(pids).get(0).trim());
        toClean.add(pid);
        return pid;
    }

    /** The engine's watchdog, started before its first child; polled all the same (a slow host). */
    private static Optional<ProcessHandle> watchdogOf(Process engine) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Optional<ProcessHandle> w = engine.toHandle().children().filter(h -> h.info().arguments()
                    .map(a -> List.of(a).contains("aetherflow-watchdog")).orElse(false)).findFirst();
            if (w.isPresent() || System.nanoTime() > end) {
                return w;
            }
            Thread.sleep(20);
        }
    }

    private static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(h -> h.isAlive() && !zombie(pid)).orElse(false);
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean awaitDead(long pid, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (alive(pid)) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void theChildDiesWithAnEngineKilledMinus9() throws Exception {
        Path f = lockFlow("diewith");
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Process p = Aetherflow.builder(Aetherflow.HOME, tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "w1")
                .start();
        toClean.add(p.pid());
        long child = awaitChild();
        // the child leads its own process group (setsid), recorded in the state store
        List<Map<String, Object>> rows = List.of();
        for (int i = 0; i < 200 && rows.isEmpty(); i++) {
            Thread.sleep(25); // recorded right after the start, while the child already runs
            rows = StateDb.query(Path.of(env.get("AF_STATE")),
                    "SELECT pid, pgid, started_at_ms FROM step_processes WHERE run_id = 'w1'");
        }
        assertEquals(1, rows.size(), rows.toString());
        long pid = ((Number) rows.get(0).get("pid")).longValue();
        assertEquals(pid, ((Number) rows.get(0).get("pgid")).longValue());
        assertTrue(ProcessHandle.of(pid).isPresent());
        assertEquals(child, pid, "the recorded pid is the child itself (setsid execs in place)");
        kill9(p.pid());
        p.waitFor();
        assertTrue(awaitDead(child, 10), "the child of a kill -9'ed engine is still running");
    }

    @Test
    void aDeadHoldersChildIsKilledBeforeTheNextRunTakesTheLockOver() throws Exception {
        Path f = lockFlow("takeover");
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Process holder = Aetherflow.builder(Aetherflow.HOME, tmp, env, "run", "--flow-yaml", f.toString(), "--run-id",
                "holder").start();
        toClean.add(holder.pid());
        long child = awaitChild();
        ProcessHandle watchdog = watchdogOf(holder).orElseThrow(() -> new AssertionError("no watchdog"));
        toClean.add(watchdog.pid());
        // the watchdog is the first safety net; take it away to test the state store's
        kill9(watchdog.pid());
        kill9(holder.pid());
        holder.waitFor();
        Thread.sleep(500);
        assertTrue(alive(child), "orphaned child runs on");
        Files.writeString(tmp.resolve("fast"), "");
        Thread.sleep(2500); // the 2 s lease expires
        Result next = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "next");
        assertEquals(0, next.exit(), next.toString());
        assertFalse(Files.exists(tmp.resolve("overlap")), "the next run's guarded step overlapped the orphan");
        assertFalse(alive(child));
        assertTrue(next.stderr().contains("of dead run holder (flow takeover)"), next.stderr());
        assertTrue(next.stderr().contains("killed 2 process(es) of process group " + child), next.stderr());
        assertEquals(List.of(), StateDb.query(Path.of(env.get("AF_STATE")), "SELECT * FROM step_processes"));
        assertEquals(List.of(), StateDb.query(Path.of(env.get("AF_STATE")), "SELECT * FROM locks"));
    }

    @Test
    void aResumeKillsWhatTheDeadAttemptLeftRunningFirst() throws Exception {
        Path f = lockFlow("resume");
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Process first = Aetherflow.builder(Aetherflow.HOME, tmp, env, "run", "--flow-yaml", f.toString(), "--run-id",
                "again").start();
        toClean.add(first.pid());
        long child = awaitChild();
        ProcessHandle watchdog = watchdogOf(first).orElseThrow(() -> new AssertionError("no watchdog"));
        toClean.add(watchdog.pid());
        kill9(watchdog.pid());
        kill9(first.pid());
        first.waitFor();
        Thread.sleep(300);
        assertTrue(alive(child), "orphaned child runs on");
        Files.writeString(tmp.resolve("fast"), "");
        // same run id, lease not expired: re-entrant, so only the recorded process stands between them
        Result resumed = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "again");
        assertEquals(0, resumed.exit(), resumed.toString());
        assertFalse(Files.exists(tmp.resolve("overlap")), "the resumed step overlapped the orphan");
        assertFalse(alive(child));
        assertTrue(resumed.stderr().contains("left running by step j/guarded of dead run again"), resumed.stderr());
        assertEquals(2, Files.readAllLines(tmp.resolve("child.pid")).size());
    }

    @Test
    void aPidThatNowBelongsToAnotherProcessIsLeftAlone() throws Exception {
        // a recorded child whose start time does not match the live process with that pid (pid reuse)
        Path f = lockFlow("reuse");
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Files.writeString(tmp.resolve("fast"), "");
        Result first = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "seed");
        assertEquals(0, first.exit(), first.toString()); // creates the store
        Process bystander = new ProcessBuilder("sleep", "60").start();
        toClean.add(bystander.pid());
        Path db = Path.of(env.get("AF_STATE"));
        StateDb.execute(db, "INSERT INTO runs (flow_id, run_id, status, started_at_ms, host, pid, attempt)"
                + " VALUES ('reuse', 'ghost', 'INTERRUPTED', 1, 'elsewhere-no', 1, 1)");
        StateDb.execute(db, "INSERT INTO step_processes (flow_id, run_id, job_id, step_id, host, pid, pgid,"
                + " started_at_ms, registered_at_ms) VALUES ('reuse', 'ghost', 'j', 'guarded', NULL, ?, ?, ?, 1)",
                bystander.pid(), bystander.pid(), bystander.toHandle().info().startInstant().orElseThrow()
                        .toEpochMilli() - 60_000);
        Result runs = Aetherflow.run(tmp, env, "runs", "list", "--flow-yaml", f.toString());
        assertEquals(0, runs.exit(), runs.toString());
        assertTrue(bystander.isAlive(), "a process with a reused pid was killed");
        assertEquals(List.of(), StateDb.query(db, "SELECT * FROM step_processes"), "the stale record is dropped");
    }
}
