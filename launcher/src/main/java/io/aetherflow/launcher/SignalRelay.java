package io.aetherflow.launcher;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.Application;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * Turns SIGINT/SIGTERM into {@link Application#interrupt(String)}.
 *
 * <ul>
 * <li>During start-up (no engine yet): exit 130 at once; nothing has been changed.</li>
 * <li>While the engine runs: ask it to stop; it marks state INTERRUPTED, releases locks and
 * returns 130 from {@code run}. If it has not returned within the grace period, exit 130 anyway.</li>
 * <li>A second signal: exit 130 at once.</li>
 * </ul>
 */
public final class SignalRelay {

    private enum Phase { STARTING, RUNNING, FINISHING }

    private final PrintStream err;
    private final Duration grace;
    private final IntConsumer halt;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    private final AtomicReference<Application> application = new AtomicReference<>();
    private final AtomicInteger received = new AtomicInteger();
    /** A named handler, not a lambda: a lambda's bootstrap costs start-up time of its own. */
    private final sun.misc.SignalHandler handler = new Handler();

    /**
     * @param err where notices go
     * @param grace how long the engine may take to return after a signal
     * @param halt ends the process with a code (never returns in production)
     */
    public SignalRelay(PrintStream err, Duration grace, IntConsumer halt) {
        this.err = err;
        this.grace = grace;
        this.halt = halt;
    }

    /** Installs the handlers for INT and TERM (a signal the process ignores, e.g. under nohup, stays ignored). */
    public void install() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // the signal is reserved or ignored in this process: leave it as it is
            }
        }
    }

    /**
     * Runs the engine with signals routed to it.
     *
     * @param app the engine
     * @param body calls {@code app.run(...)}
     * @return the engine's exit code
     */
    public int run(Application app, java.util.function.IntSupplier body) {
        application.set(app);
        if (!phase.compareAndSet(Phase.STARTING, Phase.RUNNING)) {
            return ExitCodes.INTERRUPTED;
        }
        try {
            return body.getAsInt();
        } finally {
            phase.set(Phase.FINISHING);
        }
    }

    /**
     * Handles one signal (called on the JVM's signal thread, or by tests).
     *
     * @param name the signal name without {@code SIG}, e.g. {@code TERM}
     */
    public void onSignal(String name) {
        int n = received.incrementAndGet();
        if (n > 1) {
            err.println("aetherflow: second signal (SIG" + name + "); exiting now");
            err.flush();
            halt.accept(ExitCodes.INTERRUPTED);
            return;
        }
        Phase p = phase.get();
        if (p == Phase.STARTING && phase.compareAndSet(Phase.STARTING, Phase.FINISHING)) {
            err.println("aetherflow: interrupted (SIG" + name + ") during start-up");
            err.flush();
            halt.accept(ExitCodes.INTERRUPTED);
            return;
        }
        if (phase.get() == Phase.RUNNING) {
            try {
                application.get().interrupt(name);
            } catch (RuntimeException e) {
                err.println("aetherflow: the engine failed to take SIG" + name + ": " + e);
            }
        }
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(grace.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            err.println("aetherflow: the engine did not stop within " + grace.toSeconds() + " s of SIG" + name
                    + "; exiting without waiting for it");
            err.flush();
            halt.accept(ExitCodes.INTERRUPTED);
        }, "aetherflow-signal-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Routes INT and TERM to {@link #onSignal}. */
    private final class Handler implements sun.misc.SignalHandler {
        @Override
        public void handle(Signal s) {
            onSignal(s.getName());
        }
    }
}
