package io.aetherflow.api.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process checks that the engine (its orphan reaper) and process-running steps share. */
public final class Processes {

    private Processes() {
    }

    /**
     * A process counts as running when it is alive and not a zombie (a zombie has exited; it only
     * waits for a parent, possibly a non-reaping init, to collect its status). The state comes from
     * {@code /proc/<pid>/stat}; without it (not Linux, or the process just went away) this is
     * {@link ProcessHandle#isAlive()}.
     *
     * @param h a process handle
     * @return true while the process still runs
     */
    public static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            if (close > 0 && close + 2 < stat.length()) {
                char state = stat.charAt(close + 2);
                return state != 'Z' && state != 'X';
            }
        } catch (IOException | RuntimeException e) {
            return h.isAlive();
        }
        return true;
    }
}
