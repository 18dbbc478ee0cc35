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
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiment: 20 concurrent runs of a flow whose only step is a {@code with_lock} ({@code on_busy:
 * exit}) around a short process that appends its start and end timestamps to a file; each run is
 * retried (same run id, as cron would) while it exits 75. Figures: guarded intervals never
 * overlap, the locks table is empty afterwards, every exit code is 0 or 75 (with a cold cache, so
 * the first launches also contend for the framework storage slots). Then the same with a
 * holder killed -9 (its watchdog too, so its guarded child is orphaned): the orphan's interval
 * (until the next lock holder's engine kills it) must not overlap any later guarded interval.
 */
class LockOverlapReliabilityIT {

    private static final Path HOME = Aetherflow.HOME;
    private static final int RUNS = 20;
    private static final int MAX_ATTEMPTS = 60;

    @TempDir
    Path tmp;

    /** a cache of this test's own (null: the suite's warm one) */
    private Path cacheHome;

    /** stderr of each run that ended with an exit code other than 0 or 75 */
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

    private Process start(Path flow, String runId, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(HOME.resolve("bin/aetherflow").toString(), "run", "--flow-yaml",
                flow.toString(), "--run-id", runId).directory(tmp.toFile());
        pb.environment().clear();
        pb.environment().putAll(Aetherflow.minimalEnv());
        if (cacheHome != null) {
            pb.environment().put("AETHERFLOW_CACHE_HOME", cacheHome.toString());
        }
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /**
     * A flow whose guarded step runs {@code script}. The TTL only matters when a holder dies: a live
     * holder on a host this loaded (20 engines on two cores) must never lose its lease to a late
     * renewal, so the TTL is generous, and short only where a test waits for a takeover.
     */
    private Path flow(String name, String script, int ttlSeconds) throws IOException {
        String yaml = "flow:\n  id: " + name + "\n  workspace:\n    root: " + tmp.resolve("work") + "\n"
                + "    cleanup_policy: never\n  state:\n    path: " + tmp.resolve("state.sqlite") + "\njobs:\n"
                + "  - id: j\n    steps:\n"
                + "      - id: guarded\n        type: with_lock\n        inputs:\n"
                + "          lock_key: overlap-key\n          ttl_seconds: " + ttlSeconds + "\n          on_busy: exit\n"
                + "          step:\n            type: external.process\n            inputs:\n"
                + "              command: [\"/bin/sh\", \"-c\", \"" + script.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"]\n";
        return Files.writeString(tmp.resolve(name + ".yaml"), yaml, StandardCharsets.UTF_8);
    }

    /** Runs {@link #RUNS} workers at once, each retrying its run id while it exits 75. */
    private List<Integer> contend(Path flow, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RUNS);
        List<Future<List<Integer>>> futures = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String runId = prefix + "-" + i;
            futures.add(pool.submit(() -> {
                List<Integer> codes = new ArrayList<>();
                for (int a = 0; a < MAX_ATTEMPTS; a++) {
                    Process p = start(flow, runId, tmp.resolve(runId + ".log"));
                    if (!p.waitFor(120, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        codes.add(-1);
                        return codes;
                    }
                    codes.add(p.exitValue());
                    if (p.exitValue() != 75) {
                        if (p.exitValue() != 0) {
                            unexpected.add(runId + " exit " + p.exitValue() + ": "
                                    + Files.readString(tmp.resolve(runId + ".log")).strip());
                        }
                        return codes;
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextLong(300, 1200));
                }
                return codes;
            }));
        }
        List<Integer> all = new ArrayList<>();
        for (Future<List<Integer>> f : futures) {
            all.addAll(f.get(170, TimeUnit.SECONDS));
        }
        pool.shutdownNow();
        return all;
    }

    /** @return [start, end] pairs in nanoseconds, sorted by start */
    private List<long[]> intervals() throws IOException {
        List<long[]> out = new ArrayList<>();
        for (String l : Files.readAllLines(tmp.resolve("intervals"))) {
            String[] f = l.trim().split(" ");
            out.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
        }
        out.sort((a, b) -> Long.compare(a[0], b[0]));
        return out;
    }

    private static int overlaps(List<long[]> iv) {
        int n = 0;
        long maxEnd = Long.MIN_VALUE;
        for (long[] i : iv) {
            if (i[0] < maxEnd) {
                n++;
            }
            maxEnd = Math.max(maxEnd, i[1]);
        }
        return n;
    }

    private int lockRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("state.sqlite"));
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM locks")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    private static final String GUARDED = "s=$(date +%s%N); sleep 0.1; echo \"$s $(date +%s%N)\" >> INTERVALS";

    @Test
    void twentyConcurrentRunsOnOneLockNeverOverlap() throws Exception {
        // a cold cache: the 20 first launches create the framework storages at the same time
        cacheHome = tmp.resolve("cold-cache");
        Path flow = flow("overlap", GUARDED.replace("INTERVALS", tmp.resolve("intervals").toString()), 30);
        List<Integer> codes = contend(flow, "c");
        List<long[]> iv = intervals();
        int overlaps = overlaps(iv);
        int locks = lockRows();
        Set<Integer> distinct = new TreeSet<>(codes);
        long zeros = codes.stream().filter(c -> c == 0).count();
        boolean pass = overlaps == 0 && locks == 0 && Set.of(0, 75).containsAll(distinct) && zeros == RUNS
                && iv.size() == RUNS;
        System.out.println("FIGURE lock_20_concurrent: runs=" + RUNS + " attempts=" + codes.size() + " guarded_intervals="
                + iv.size() + " overlaps=" + overlaps + " locks_rows_after=" + locks + " exit_codes=" + distinct
                + " (20 concurrent runs retried on exit 75: 20 guarded intervals, none overlapping, locks table empty,"
                + " every exit code 0 or 75) " + (pass ? "PASS" : "FAIL"));
        assertEquals(0, overlaps);
        assertEquals(0, locks);
        assertTrue(Set.of(0, 75).containsAll(distinct), "exit codes " + codes + "; " + unexpected);
        assertEquals(RUNS, zeros, "every run eventually entered: " + codes);
        assertEquals(RUNS, iv.size());
    }

    @Test
    void aHolderKilledMinus9DoesNotOverlapWithItsOrphanedChild() throws Exception {
        Path intervals = tmp.resolve("intervals");
        Path holderStarted = tmp.resolve("holder-started");
        // the holder's guarded child records its interval when it is stopped (SIGTERM from the reaper)
        String holderScript = "s=$(date +%s%N); trap 'echo \"$s $(date +%s%N)\" >> " + intervals + "; exit 0' TERM;"
                + " touch " + holderStarted + "; sleep 100 & wait";
        // the dead holder's 8 s lease must expire before a contender may take over
        Path holderFlow = flow("holder", holderScript, 8);
        Path flow = flow("overlap", GUARDED.replace("INTERVALS", intervals.toString()), 30);
        Process holder = start(holderFlow, "holder", tmp.resolve("holder.log"));
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!Files.exists(holderStarted)) {
            assertTrue(System.nanoTime() < deadline, "holder did not start");
            Thread.sleep(20);
        }
        List<ProcessHandle> orphans = new ArrayList<>(holder.toHandle().descendants().toList());
        // the watchdog (first safety net) goes too, so the guarded child is orphaned
        holder.toHandle().children().filter(h -> h.info().arguments()
                .map(a -> List.of(a).contains("aetherflow-watchdog")).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        ExecutorService bg = Executors.newSingleThreadExecutor();
        Future<List<Integer>> contenders = bg.submit(() -> contend(flow, "k"));
        Thread.sleep(1500); // the contenders are running and busy
        new ProcessBuilder("kill", "-9", Long.toString(holder.pid())).start().waitFor();
        holder.waitFor(30, TimeUnit.SECONDS);
        List<Integer> codes = contenders.get(175, TimeUnit.SECONDS);
        bg.shutdownNow();
        boolean orphanGone = orphans.stream().noneMatch(h -> h.isAlive() && !zombie(h.pid()));
        orphans.forEach(ProcessHandle::destroyForcibly);
        List<long[]> iv = intervals();
        int overlaps = overlaps(iv);
        int locks = lockRows();
        Set<Integer> distinct = new TreeSet<>(codes);
        boolean pass = overlaps == 0 && locks == 0 && Set.of(0, 75).containsAll(distinct) && orphanGone
                && iv.size() == RUNS + 1;
        System.out.println("FIGURE lock_20_concurrent_holder_killed: runs=" + RUNS + " attempts=" + codes.size()
                + " guarded_intervals=" + iv.size() + " overlaps=" + overlaps + " orphan_killed=" + orphanGone
                + " locks_rows_after=" + locks + " exit_codes=" + distinct
                + " (with the holder killed -9 and its child orphaned: the orphan is killed and its interval overlaps"
                + " no later guarded interval, 21 intervals, locks table empty, every exit code 0 or 75) "
                + (pass ? "PASS" : "FAIL"));
        assertEquals(0, overlaps, "intervals " + dump(iv));
        assertTrue(orphanGone, "the dead holder's child is still running");
        assertEquals(0, locks);
        assertTrue(Set.of(0, 75).containsAll(distinct), "exit codes " + codes + "; " + unexpected);
        assertEquals(RUNS + 1, iv.size(), "the orphan's interval and one per run: " + dump(iv));
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (Exception e) {
            return false;
        }
    }

    private static String dump(List<long[]> iv) {
        List<String> out = new ArrayList<>();
        for (long[] i : iv) {
            out.add(i[0] + "-" + i[1]);
        }
        return String.join(", ", Collections.unmodifiableList(out));
    }
}
