package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs started together contend for one with_lock key: exactly one enters. The guarded step
 * holds the lock until the test releases it (a file), not for a fixed time, so a launch that is
 * late on a loaded host still finds the lock held.
 */
class LockContentionIT {

    @TempDir
    Path tmp;

    /** A guarded command that records the run id, then waits (at most 120 s) for the release file. */
    private static String holdUntil(Path entered, Path release) {
        return "echo {{run_id}} >> " + entered + "; i=0; while [ ! -e " + release + " ] && [ $i -lt 1200 ]; do sleep 0.1;"
                + " i=$((i+1)); done";
    }

    private Result[] race(String onBusy) throws Exception {
        Path entered = tmp.resolve("entered-" + onBusy);
        Path release = tmp.resolve("release-" + onBusy);
        String jobs = "  - id: j\n    steps:\n"
                + "      - id: guarded\n        type: with_lock\n        inputs:\n"
                + "          lock_key: shared-key\n          ttl_seconds: 30\n          on_busy: " + onBusy + "\n"
                + "          step:\n            type: external.process\n            inputs:\n"
                + "              command: [\"/bin/sh\", \"-c\", " + Flows.quote(holdUntil(entered, release)) + "]\n";
        Path f = Aetherflow.write(tmp.resolve("flow-" + onBusy + ".yaml"), flow("lockrace", jobs));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Process a = Aetherflow.builder(Aetherflow.HOME, tmp, env, "run", "--flow-yaml", f.toString(), "--run-id",
                onBusy + "-a").start();
        Process b = Aetherflow.builder(Aetherflow.HOME, tmp, env, "run", "--flow-yaml", f.toString(), "--run-id",
                onBusy + "-b").start();
        // the loser ends first (it found the lock held); only then may the holder let go (if both
        // entered, neither ends: the release after the deadline lets the assertion below say so)
        try {
            java.util.concurrent.CompletableFuture.anyOf(a.onExit(), b.onExit()).get(120,
                    java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // checked below
        } finally {
            Files.writeString(release, "");
        }
        Result ra = Aetherflow.finish(a, 120);
        Result rb = Aetherflow.finish(b, 120);
        List<String> lines = Files.readAllLines(entered);
        assertEquals(1, lines.size(), "exactly one run entered the lock: " + lines + "\n" + ra + "\n" + rb);
        return new Result[] {ra, rb};
    }

    @Test
    void theLeaseIsRenewedWhileTheHolderRunsPastItsTtl() throws Exception {
        Path entered = tmp.resolve("entered-renew");
        Path release = tmp.resolve("release-renew");
        String jobs = "  - id: j\n    steps:\n"
                + "      - id: guarded\n        type: with_lock\n        inputs:\n"
                + "          lock_key: renew-key\n          ttl_seconds: 2\n          on_busy: exit\n"
                + "          step:\n            type: external.process\n            inputs:\n"
                + "              command: [\"/bin/sh\", \"-c\", " + Flows.quote(holdUntil(entered, release)) + "]\n";
        Path f = Aetherflow.write(tmp.resolve("flow-renew.yaml"), flow("renew", jobs));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        Process a = Aetherflow.builder(Aetherflow.HOME, tmp, env, "run", "--flow-yaml", f.toString(), "--run-id",
                "holder").start();
        Aetherflow.awaitFile(entered, 60);
        Thread.sleep(3500); // well past the 2 s TTL: only renewal keeps the lock
        Result late = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "late");
        Files.writeString(release, "");
        Result holder = Aetherflow.finish(a, 120);
        assertEquals(0, holder.exit(), holder.toString());
        assertEquals(75, late.exit(), late.toString());
        assertEquals(List.of("holder"), Files.readAllLines(entered));
    }

    @Test
    void exactlyOneEntersAndTheOtherExits75() throws Exception {
        Result[] r = race("exit");
        List<Integer> codes = List.of(r[0].exit(), r[1].exit());
        assertTrue(codes.contains(0) && codes.contains(75), "exit codes " + codes + "\n" + r[0] + "\n" + r[1]);
    }

    @Test
    void exactlyOneEntersAndTheOtherFailsWhenConfiguredToFail() throws Exception {
        Result[] r = race("fail");
        List<Integer> codes = List.of(r[0].exit(), r[1].exit());
        assertTrue(codes.contains(0) && codes.contains(1), "exit codes " + codes + "\n" + r[0] + "\n" + r[1]);
        Result loser = r[0].exit() == 1 ? r[0] : r[1];
        assertTrue(loser.stderr().contains("Lock not acquired: shared-key"), loser.stderr());
    }
}
