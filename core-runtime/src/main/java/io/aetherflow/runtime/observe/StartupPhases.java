package io.aetherflow.runtime.observe;

import io.aetherflow.launch.LaunchInfo;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;

/**
 * The engine's start-up phases on stderr at {@code AETHERFLOW_LOG_LEVEL=DEBUG}, in the launcher's
 * format ({@code aetherflow: engine: <what> (<ms since the launcher's main> ms)}), so one DEBUG run
 * shows where the time before the first step goes, with the CPU time of the calling thread so far
 * (the figure that does not depend on how busy the machine is). Prints nothing at any other level.
 */
public final class StartupPhases {

    /** Phases that print nothing. */
    public static final StartupPhases OFF = new StartupPhases(null, 0);

    private final PrintStream err;
    private final long startNanos;

    private StartupPhases(PrintStream err, long startNanos) {
        this.err = err;
        this.startNanos = startNanos;
    }

    /**
     * @param osEnv the process environment ({@code AETHERFLOW_LOG_LEVEL})
     * @param info launcher facts (its start time), or null outside the launcher (times from now)
     * @param err standard error
     * @return phases printing to {@code err} at DEBUG, else {@link #OFF}
     */
    public static StartupPhases of(Map<String, String> osEnv, LaunchInfo info, PrintStream err) {
        if (!"DEBUG".equalsIgnoreCase(osEnv.getOrDefault("AETHERFLOW_LOG_LEVEL", "").strip())) {
            return OFF;
        }
        return new StartupPhases(err, info == null ? System.nanoTime() : info.startNanos());
    }

    /** @return whether phases are printed */
    public boolean enabled() {
        return err != null;
    }

    /** @param what the phase that just ended */
    public void phase(String what) {
        if (err != null) {
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            err.printf(Locale.ROOT, "aetherflow: engine: %s (%.1f ms; thread CPU %.1f ms)%n", what,
                    (System.nanoTime() - startNanos) / 1e6, cpu / 1e6);
        }
    }
}
