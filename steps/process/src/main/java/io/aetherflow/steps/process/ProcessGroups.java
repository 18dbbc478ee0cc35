package io.aetherflow.steps.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Children in their own process group, and a watchdog that kills those groups when the engine
 * dies.
 *
 * <p>On Linux a child is started through {@code setsid(1)}: the child, not yet a group leader,
 * calls {@code setsid()} and execs the program in place, so its pid is its process group and
 * session id, and it and everything it starts can be found (and killed) as one group. That costs
 * one extra {@code execve} of a small binary per process.
 *
 * <p>The watchdog is one {@code /bin/sh} per engine process, started before the first child (so it
 * already runs when a child's group is listed) and in its own session (so signals sent to the
 * engine's group do not reach it). The engine writes {@code + <pgid>} to its stdin when a child
 * starts and {@code - <pgid>} when the child is done; a write is a few microseconds. When the
 * engine dies in any way, including {@code kill -9}, the kernel closes the pipe, the watchdog reads
 * end-of-file and sends SIGTERM, then after one second SIGKILL, to the groups still listed. Java
 * cannot set {@code PR_SET_PDEATHSIG} without JNI; end of file on a pipe is the portable
 * parent-death signal and needs no polling.
 *
 * <p>When the step component is deactivated (its bundle stops as the engine ends, or no step uses it
 * any more) the pipe is closed by {@link #close()} and the watchdog ends at once: a JVM whose
 * process reaper thread still waits for a live child spends 300 ms in its exit waiting for that
 * thread (JDK 17), which was a third of a hello run's wall time.
 *
 * <p>Without {@code setsid} or {@code /bin/sh} (not Linux) children start as before, with no group
 * of their own, and the state store's record of them is the only safety net.
 */
final class ProcessGroups {

    private static final String[] SETSID_PATHS = {"/usr/bin/setsid", "/bin/setsid"};
    /** The watchdog script; {@code $0} names it in {@code ps}. */
    static final String WATCHDOG_SCRIPT = "trap '' HUP INT PIPE\n"
            + "live=' '\n"
            + "while read -r op g; do\n"
            + "  case $op in\n"
            + "    +) live=\"$live$g \" ;;\n"
            + "    -) case $live in *\" $g \"*) live=\"${live%% $g *} ${live#* $g }\" ;; esac ;;\n"
            + "  esac\n"
            + "done\n"
            + "set -- $live\n"
            + "[ $# -eq 0 ] && exit 0\n"
            + "for g; do kill -s TERM -- \"-$g\" 2>/dev/null; done\n"
            + "sleep 1\n"
            + "for g; do kill -s KILL -- \"-$g\" 2>/dev/null; done\n"
            + "exit 0\n";
    /** The watchdog's {@code $0}. */
    static final String WATCHDOG_NAME = "aetherflow-watchdog";

    private static final String SETSID = findSetsid();
    /** How long {@link #close()} waits for the watchdog to end. */
    static final long CLOSE_WAIT_MS = 200;

    private static OutputStream watchdog;
    private static Process watchdogProcess;
    private static boolean watchdogFailed;

    private ProcessGroups() {
    }

    private static String findSetsid() {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return null;
        }
        for (String s : SETSID_PATHS) {
            if (Files.isExecutable(Path.of(s))) {
                return s;
            }
        }
        return null;
    }

    /** @return true when children get their own process group */
    static boolean available() {
        return SETSID != null;
    }

    /**
     * The command to start so the child leads its own process group: {@code setsid} in front, with
     * the program resolved on the engine's PATH first (as {@link ProcessBuilder} would; {@code setsid}
     * would search the child's PATH, which {@code env}/{@code inherit_env} may have changed). When
     * the program cannot be resolved the command is returned unchanged and starting it reports the
     * usual error.
     *
     * @param command argv
     * @return argv to start, and whether it runs in its own group
     */
    static Wrapped wrap(List<String> command) {
        if (SETSID == null || command.isEmpty()) {
            return new Wrapped(command, false);
        }
        String program = command.get(0);
        String resolved = program.contains("/") ? program : onPath(program);
        if (resolved == null) {
            return new Wrapped(command, false);
        }
        List<String> out = new ArrayList<>(command.size() + 1);
        out.add(SETSID);
        out.add(resolved);
        out.addAll(command.subList(1, command.size()));
        return new Wrapped(out, true);
    }

    /**
     * @param command what to start
     * @param ownGroup whether the child will lead its own process group
     */
    record Wrapped(List<String> command, boolean ownGroup) {
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null || path.isEmpty()) {
            path = "/bin:/usr/bin";
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        return null;
    }

    /**
     * Starts the watchdog if it does not run yet; called before a child in its own group starts, so
     * the watchdog is there before the child is.
     */
    static synchronized void ready() {
        watchdog();
    }

    /**
     * Lists a group with the watchdog (starting it on first use).
     *
     * @param pgid the child's process group
     */
    static synchronized void watch(long pgid) {
        OutputStream w = watchdog();
        if (w != null) {
            send(w, "+ " + pgid + "\n");
        }
    }

    /**
     * Removes a group from the watchdog's list (the child ended, or was stopped).
     *
     * @param pgid the child's process group
     */
    static synchronized void unwatch(long pgid) {
        if (watchdog != null) {
            send(watchdog, "- " + pgid + "\n");
        }
    }

    /**
     * Ends the watchdog: closes its pipe (it kills any group still listed, as when the engine dies)
     * and waits up to {@link #CLOSE_WAIT_MS} for it to exit. A later {@link #watch} starts a new one.
     */
    static synchronized void close() {
        Process p = watchdogProcess;
        OutputStream w = watchdog;
        watchdog = null;
        watchdogProcess = null;
        watchdogFailed = false; // a later child tries again (a long-lived scheduler outlives one failure)
        if (w == null) {
            return;
        }
        try {
            w.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            p.waitFor(CLOSE_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the running watchdog, or null (for tests) */
    static synchronized Process watchdogProcess() {
        return watchdogProcess;
    }

    private static void send(OutputStream w, String line) {
        try {
            w.write(line.getBytes(StandardCharsets.US_ASCII));
            w.flush();
        } catch (IOException e) {
            // the watchdog is gone (killed by hand): the state store's record still protects the next run
            watchdog = null;
            watchdogProcess = null;
            watchdogFailed = true;
        }
    }

    private static OutputStream watchdog() {
        if (watchdog != null || watchdogFailed || SETSID == null) {
            return watchdog;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(SETSID, "/bin/sh", "-c", WATCHDOG_SCRIPT, WATCHDOG_NAME);
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin:/bin");
            Process p = pb.start();
            watchdog = p.getOutputStream();
            watchdogProcess = p;
        } catch (IOException e) {
            watchdogFailed = true;
        }
        return watchdog;
    }
}
