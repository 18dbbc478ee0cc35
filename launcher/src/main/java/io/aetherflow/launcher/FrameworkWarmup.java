package io.aetherflow.launcher;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.felix.framework.FrameworkFactory;

/**
 * Pays the framework's one-time costs on a second core while the launcher verifies the plugin lock.
 *
 * <p>The first {@code newFramework} of a process takes 80-150 ms, nearly all of it first-time work:
 * loading, linking and initialising some 350 Felix and JDK classes and running their code once
 * in the interpreter (a second construction in the same process takes 2-4 ms). Nothing of that
 * depends on the plugin set, so a daemon thread constructs a throwaway framework object while the
 * main thread checks hashes and signatures; the real one, built once the lock is verified, then
 * costs a few milliseconds. The throwaway object is never initialised: it touches no storage,
 * installs and reads no bundle, starts no thread and registers nothing JVM-wide (no URL handlers),
 * so it cannot weaken the lock or trust checks, which still come before anything reads a bundle.
 */
final class FrameworkWarmup {

    private FrameworkWarmup() {
    }

    /**
     * Starts the warm-up thread (a daemon: it never delays the exit).
     *
     * @return the thread
     */
    static Thread start() {
        // a Thread subclass, not a method reference: a lambda's bootstrap costs start-up time of its own
        Thread t = new Thread("aetherflow-framework-warmup") {
            @Override
            public void run() {
                FrameworkWarmup.run();
            }
        };
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
        return t;
    }

    private static void run() {
        try {
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
            new FrameworkFactory().newFramework(PluginHost.config(Path.of("aetherflow-warmup-never-initialised"),
                    false, discard));
        } catch (RuntimeException | LinkageError e) {
            // only a head start: the real boot reports any problem of the framework itself
        }
    }
}
