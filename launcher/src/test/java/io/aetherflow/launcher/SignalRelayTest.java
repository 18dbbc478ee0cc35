package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.LaunchInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalRelayTest {

    private final List<Integer> halts = new CopyOnWriteArrayList<>();
    private final List<String> interrupts = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final Application stubborn = new Application() {
        @Override
        public int run(EngineCommand command, LaunchInfo info) {
            return 0;
        }

        @Override
        public void interrupt(String signal) {
            interrupts.add(signal);
        }
    };

    private SignalRelay relay(Duration grace) {
        return new SignalRelay(new PrintStream(err, true), grace, halts::add);
    }

    @Test
    void signalDuringStartUpExits130AtOnce() {
        SignalRelay r = relay(Duration.ofSeconds(20));
        r.onSignal("INT");
        assertEquals(List.of(130), halts);
        assertTrue(err.toString().contains("interrupted (SIGINT) during start-up"));
        assertEquals(130, r.run(stubborn, () -> 0), "a launch interrupted while starting never runs the engine");
    }

    @Test
    void engineThatDoesNotReturnIsAbandonedAfterTheGracePeriod() throws Exception {
        SignalRelay r = relay(Duration.ofSeconds(2)); // long enough to check "not yet" on a loaded host
        CountDownLatch inRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread main = new Thread(() -> r.run(stubborn, () -> {
            inRun.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 130;
        }));
        main.start();
        assertTrue(inRun.await(5, TimeUnit.SECONDS));
        r.onSignal("TERM");
        assertEquals(List.of("TERM"), interrupts);
        assertEquals(List.of(), halts, "the engine gets its grace period");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (halts.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(List.of(130), halts);
        assertTrue(err.toString().contains("did not stop within 2 s of SIGTERM"), err.toString());
        release.countDown();
        main.join();
    }

    @Test
    void secondSignalExitsAtOnce() throws Exception {
        SignalRelay r = relay(Duration.ofSeconds(20));
        CountDownLatch inRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread main = new Thread(() -> r.run(stubborn, () -> {
            inRun.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 130;
        }));
        main.start();
        assertTrue(inRun.await(5, TimeUnit.SECONDS));
        r.onSignal("INT");
        r.onSignal("INT");
        assertEquals(List.of(130), halts);
        assertEquals(List.of("INT"), interrupts);
        release.countDown();
        main.join();
    }
}
