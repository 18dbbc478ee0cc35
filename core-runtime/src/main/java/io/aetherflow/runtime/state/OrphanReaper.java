package io.aetherflow.runtime.state;

import io.aetherflow.api.support.Processes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kills what a dead run left running: the process group recorded for a step's child (see
 * {@code step_processes}), but only processes that provably belong to it, so a reused pid or
 * process-group id is never hit.
 *
 * <p>Rules: the group leader (pid = pgid) still alive must have the recorded start time (within
 * {@link #START_TOLERANCE_MS}); otherwise the pid was reused and nothing is killed. When the leader
 * is gone, members of the group are killed only if they started after the leader (descendants
 * that outlived it; Linux never hands out a pid that is still in use as a process-group id, so such
 * a group is the original one). Without {@code /proc} only the recorded pid and its descendants
 * are considered. SIGTERM first, then SIGKILL after {@link #GRACE}.
 */
final class OrphanReaper {

    /** Start times come from {@code /proc/<pid>/stat} (clock ticks since boot): allow rounding. */
    static final long START_TOLERANCE_MS = 1_000;
    static final Duration GRACE = Duration.ofSeconds(1);
    static final Duration KILL_WAIT = Duration.ofSeconds(3);
    private static final Path PROC = Path.of("/proc");

    private OrphanReaper() {
    }

    /**
     * @param pid the recorded child pid
     * @param pgid its recorded process group, or &lt;= 0 when it had none of its own
     * @param startedAtMs the child's recorded start time, or null when unknown
     * @return how many processes were signalled (0 when nothing of it is alive)
     */
    static int reap(long pid, long pgid, Long startedAtMs) {
        Map<Long, ProcessHandle> targets = targets(pid, pgid, startedAtMs);
        if (targets.isEmpty()) {
            return 0;
        }
        for (ProcessHandle h : targets.values()) {
            h.destroy();
        }
        if (!awaitGone(targets.values(), GRACE)) {
            for (ProcessHandle h : targets.values()) {
                if (Processes.running(h)) {
                    h.destroyForcibly();
                }
            }
            awaitGone(targets.values(), KILL_WAIT);
        }
        return targets.size();
    }

    static Map<Long, ProcessHandle> targets(long pid, long pgid, Long startedAtMs) {
        Map<Long, ProcessHandle> out = new LinkedHashMap<>();
        if (pid <= 0 || pid == ProcessHandle.current().pid()) {
            return out;
        }
        Optional<ProcessHandle> leader = ProcessHandle.of(pid).filter(Processes::running);
        if (leader.isPresent() && !startMatches(leader.get(), startedAtMs)) {
            return out; // the pid belongs to a newer process now
        }
        if (pgid > 0 && Files.isDirectory(PROC)) {
            for (long member : groupMembers(pgid)) {
                Optional<ProcessHandle> h = ProcessHandle.of(member).filter(Processes::running);
                if (h.isEmpty()) {
                    continue;
                }
                if (member == pid || startedAtMs == null || startedNotBefore(h.get(), startedAtMs)) {
                    out.put(member, h.get());
                }
            }
        }
        if (leader.isPresent()) {
            out.putIfAbsent(pid, leader.get());
            leader.get().descendants().filter(Processes::running).forEach(d -> out.putIfAbsent(d.pid(), d));
        }
        out.remove(ProcessHandle.current().pid());
        return out;
    }

    private static boolean startMatches(ProcessHandle h, Long startedAtMs) {
        if (startedAtMs == null) {
            return false; // cannot prove it is ours: leave it alone
        }
        Optional<Instant> s = h.info().startInstant();
        return s.isPresent() && Math.abs(s.get().toEpochMilli() - startedAtMs) <= START_TOLERANCE_MS;
    }

    private static boolean startedNotBefore(ProcessHandle h, long startedAtMs) {
        Optional<Instant> s = h.info().startInstant();
        return s.isPresent() && s.get().toEpochMilli() >= startedAtMs - START_TOLERANCE_MS;
    }

    /** @return pids whose process group (field 5 of {@code /proc/<pid>/stat}) is {@code pgid} */
    static List<Long> groupMembers(long pgid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path p : ds) {
                long g = pgidOf(p);
                if (g == pgid) {
                    out.add(Long.parseLong(p.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc listing: the caller falls back to the pid and its descendants
        }
        return out;
    }

    private static long pgidOf(Path procDir) {
        try {
            String stat = Files.readString(procDir.resolve("stat"));
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            // after "(comm) ": state ppid pgrp ...
            return Long.parseLong(f[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean awaitGone(Iterable<ProcessHandle> hs, Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (true) {
            boolean any = false;
            for (ProcessHandle h : hs) {
                if (Processes.running(h)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
