package io.aetherflow.runtime.run;

import io.aetherflow.launch.CacheRoot;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;
import io.aetherflow.runtime.state.PgStateStore;
import io.aetherflow.runtime.state.SqliteNative;
import io.aetherflow.runtime.state.SqliteStateStore;
import io.aetherflow.runtime.state.StateStore;
import io.aetherflow.runtime.state.StateStoreException;
import io.aetherflow.runtime.state.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Opening the state store the same way for {@code run} and {@code runs}. */
public final class StoreAccess {

    private StoreAccess() {
    }

    /**
     * The per-user cache directory when the launcher did not hand one over
     * ({@link io.aetherflow.launch.LaunchInfo#cacheDir()}): the same rule the launcher applies ({@link CacheRoot}).
     *
     * @param env the environment snapshot
     * @return the directory (not created)
     */
    public static Path cacheDir(Map<String, String> env) {
        return CacheRoot.of(env, System.getProperty("user.home"));
    }

    /**
     * Starts preparing the SQLite driver on a daemon thread: the native library in the cache
     * directory ({@link SqliteNative#prepare}), then sqlite-jdbc's classes and library
     * ({@link SqliteStateStore#preloadDriver}). A run calls this before validating the flow, so the
     * driver's start-up cost overlaps validation instead of delaying the first state write.
     * {@link #open} needs no hand-off: it repeats the same steps, which wait on the same locks and
     * return at once when the work is done; failures here are left for it to report.
     *
     * <p>The caller must {@linkplain Preload#close() close} the handle before the command returns:
     * the framework stops right after, and a thread still loading classes from a stopped bundle
     * would die with a {@code NoClassDefFoundError} stack trace on stderr.
     *
     * @param cacheDir the directory {@link #open} will be given
     * @return the handle that waits for the thread
     */
    public static Preload preload(Path cacheDir) {
        Thread t = new Thread(() -> {
            try {
                try {
                    SqliteNative.prepare(cacheDir);
                } catch (RuntimeException e) {
                    // open() retries, reports or falls back to sqlite-jdbc's own extraction
                }
                SqliteStateStore.preloadDriver();
            } catch (RuntimeException | LinkageError e) {
                // a framework stopping under this thread (see Preload#close): nothing to report here,
                // open() reports real problems
            }
        }, "aetherflow-sqlite-preload");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> {
            // never a stack trace on a user-facing command; open() reports real problems
        });
        t.start();
        return new Preload(t);
    }

    /** The running preload; {@link #close()} waits for it to end. */
    public static final class Preload implements AutoCloseable {

        /** Longest wait in {@link #close()}; the work takes well under a second unless the disk hangs. */
        static final long JOIN_MILLIS = 30_000;

        private final Thread thread;

        private Preload(Thread thread) {
            this.thread = thread;
        }

        /** Waits (bounded) until the preload thread has ended; keeps the interrupt status. */
        @Override
        public void close() {
            boolean interrupted = false;
            long deadline = System.currentTimeMillis() + JOIN_MILLIS;
            while (thread.isAlive()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** @return whether the thread has ended */
        public boolean done() {
            return !thread.isAlive();
        }
    }

    /**
     * Opens the state store. {@code AETHERFLOW_STATE_BUSY_TIMEOUT} (seconds, default 30) bounds the
     * wait for a database another process has locked.
     *
     * @param statePath the SQLite file
     * @param cacheDir where the native library is kept
     * @param env the environment snapshot
     * @return the open store
     * @throws UserError exit 4 when the store is unusable, exit 2 for a bad timeout value
     */
    public static StateStore open(Path statePath, Path cacheDir, Map<String, String> env) {
        return open(new StateTarget(statePath, null), cacheDir, env);
    }

    /**
     * Opens the state store a {@link StateTarget} names: the SQLite file, or the PostgreSQL
     * database through the driver bundle's {@code DataSourceFactory} ({@link PgDriver}).
     * {@code AETHERFLOW_STATE_BUSY_TIMEOUT} (seconds, default 30) bounds the wait for another
     * writer (SQLite busy timeout, PostgreSQL {@code lock_timeout}).
     *
     * @param target the store
     * @param cacheDir where the SQLite native library is kept
     * @param env the environment snapshot
     * @return the open store
     * @throws UserError exit 4 when the store is unusable, exit 2 for a bad timeout value
     */
    public static StateStore open(StateTarget target, Path cacheDir, Map<String, String> env) {
        StoreOptions options = options(env);
        if (target.shared()) {
            return PgStateStore.open(target.postgres(), options, PgDriver.dataSource(target.postgres()));
        }
        try {
            SqliteNative.prepare(cacheDir);
        } catch (StateStoreException e) {
            // an unwritable cache only costs the per-run extraction sqlite-jdbc does by itself
        }
        return SqliteStateStore.open(target.sqlite(), options);
    }

    private static StoreOptions options(Map<String, String> env) {
        StoreOptions options = StoreOptions.defaults();
        String busy = env.get("AETHERFLOW_STATE_BUSY_TIMEOUT");
        if (busy != null && !busy.isBlank()) {
            try {
                double seconds = Double.parseDouble(busy.trim());
                if (seconds < 0) {
                    throw new NumberFormatException();
                }
                options = options.withBusyTimeout(Duration.ofMillis((long) (seconds * 1000)));
            } catch (NumberFormatException e) {
                throw new UserError(ExitCodes.INVALID, "AETHERFLOW_STATE_BUSY_TIMEOUT must be a number of seconds, "
                        + "got '" + busy + "'");
            }
        }
        return options;
    }
}
