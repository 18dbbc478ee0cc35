package io.aetherflow.launcher;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.Application;
import io.aetherflow.launch.BundleTrust;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.LaunchInfo;
import io.aetherflow.launch.PluginLoader;
import io.aetherflow.launch.ShippedPlugins;
import io.aetherflow.launch.TrustMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * The {@code aetherflow} process: verify the plugin lock, boot Felix with exactly the locked
 * bundles, call the engine's {@link Application} service, exit with its code.
 *
 * <p>Every locked jar is verified, but only the core bundles (the component runtime, the engine and what
 * they need) are installed, resolved and started; a plugin bundle is installed and started when the engine
 * first needs a service it declares ({@link LazyPlugins}, the {@link PluginLoader} service), so the
 * start-up does not grow with the installed set.
 *
 * <p>The launcher parses every command line ({@link Cli}): help and usage errors need no framework; the
 * installation commands ({@code trust ...}, {@code plugins verify|lock|diff|add|remove}) run here,
 * without booting the engine ({@link InstallationCommands}); every other command reaches the engine as a
 * typed {@link EngineCommand}. Before any other command the launcher
 * checks the lock, then the signatures per policy ({@link TrustCheck}), and passes the mode, the verdicts
 * and the cache directory to the engine in the {@link LaunchInfo}.
 *
 * <p>Exit codes of its own: 3 for any plugin-set or trust problem (lock unreadable, jar missing, extra or
 * changed, tampered, unsigned or untrusted in enterprise mode, set unresolvable, no engine service), 4 when the installation or framework storage is
 * unusable, 130 when interrupted before the engine ran, 1 when the engine throws.
 * Set {@code AETHERFLOW_LOG_LEVEL=DEBUG} for timings and stack traces on stderr.
 */
public final class Main {

    /** How long the engine may take to register its service after the bundles started. */
    public static final Duration APPLICATION_TIMEOUT = Duration.ofSeconds(10);
    /** How long a declared plugin service may take to appear after its bundle started. */
    public static final Duration SERVICE_WAIT = Duration.ofSeconds(5);
    /** {@code AETHERFLOW_PLUGINS_START=all}: resolve and start every bundle up front (the behaviour before 0.1.1). */
    public static final String EAGER_VARIABLE = "AETHERFLOW_PLUGINS_START";
    /** How long the engine may take to return after SIGINT/SIGTERM. */
    public static final Duration SIGNAL_GRACE = Duration.ofSeconds(20);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final long startNanos;
    private final boolean debug;
    private final Duration applicationTimeout;
    private final boolean eager;
    // named consumers, not lambdas or method references: each of those costs its bootstrap (about 0.2 ms in
    // the interpreter) on every start
    private final Consumer<String> debugLines = new Lines(true);
    private final Consumer<String> warnings = new Lines(false);

    /**
     * @param env the process environment
     * @param err where the launcher's own messages go
     * @param startNanos {@link System#nanoTime()} at process start
     */
    public Main(Map<String, String> env, PrintStream err, long startNanos) {
        this(env, System.out, err, startNanos, APPLICATION_TIMEOUT);
    }

    Main(Map<String, String> env, PrintStream err, long startNanos, Duration applicationTimeout) {
        this(env, System.out, err, startNanos, applicationTimeout);
    }

    Main(Map<String, String> env, PrintStream out, PrintStream err, long startNanos, Duration applicationTimeout) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.startNanos = startNanos;
        this.applicationTimeout = applicationTimeout;
        this.eager = "all".equalsIgnoreCase(env.getOrDefault(EAGER_VARIABLE, "").strip());
        this.debug = "DEBUG".equals(env.getOrDefault("AETHERFLOW_LOG_LEVEL", "").strip().toUpperCase(Locale.ROOT));
    }

    /**
     * Process entry point.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        SignalRelay signals = new SignalRelay(System.err, SIGNAL_GRACE, new Halt());
        signals.install();
        int code = new Main(System.getenv(), System.err, start).launch(List.of(args), signals);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    private void debug(String what) {
        if (debug) {
            err.printf(Locale.ROOT, "aetherflow: launcher: %s (%.1f ms)%n", what, (System.nanoTime() - startNanos) / 1e6);
        }
    }

    private int fail(int code, String message, Throwable cause) {
        err.println("aetherflow: " + message);
        if (debug && cause != null) {
            cause.printStackTrace(err);
        }
        return code;
    }

    /**
     * Runs one launch to completion.
     *
     * @param args the command line after the program name (parsed once, here: {@link Cli})
     * @param signals the signal routing (already installed, or not, by the caller)
     * @return the exit code
     */
    public int launch(List<String> args, SignalRelay signals) {
        Installation inst;
        try {
            inst = Installation.locate(env);
        } catch (IllegalStateException e) {
            return fail(ExitCodes.ENVIRONMENT, e.getMessage(), e);
        }
        CacheDirs cache = CacheDirs.from(env, System.getProperty("user.home"));
        Cli.Parsed parsed = Cli.parse(args, out, err, env, inst);
        debug("command line parsed");
        if (parsed.exitCode() != null) {
            return parsed.exitCode();
        }
        if (parsed.outcome() instanceof Commands.Installation i) {
            return new InstallationCommands(env, inst, cache, out, err, Instant.now()).run(i.action());
        }
        EngineCommand command = ((Commands.ForEngine) parsed.outcome()).command();
        // the framework's first-time class loading and initialisation overlaps the lock checks
        FrameworkWarmup.start();
        VerifiedPluginSet set;
        TrustMode mode;
        List<BundleTrust> trusted;
        JarHashes hashes;
        try {
            hashes = JarHashes.open(cache.jarHashes(inst.home()));
            PluginLock lock = PluginLock.read(inst.lockFile(), hashes);
            TrustPolicy policy = TrustPolicy.load(env, inst.home());
            List<String> pathWarnings = new ArrayList<>();
            List<Path> pluginPaths = LockVerifier.existingPluginPaths(
                    policy.pluginPaths(env.get("AETHERFLOW_PLUGIN_PATHS"), pathWarnings), env, pathWarnings);
            for (String w : pathWarnings) {
                warnings.accept(w);
            }
            set = LockVerifier.verify(inst.home(), lock, pluginPaths, hashes);
            debug("verified " + set.bundles().size() + " bundles against " + inst.lockFile());
            boolean cacheVerdicts = !"off".equalsIgnoreCase(env.getOrDefault("AETHERFLOW_TRUST_CACHE", "on").strip());
            TrustCheck trust = new TrustCheck(env, inst.home(), policy, hashes,
                    cacheVerdicts ? cache.trustVerdicts(inst.home()) : null, Instant.now());
            List<TrustVerdict> verdicts = trust.enforce(set);
            trust.save();
            hashes.save();
            trusted = TrustCheck.forEngine(set.lock().bundles(), verdicts);
            mode = trust.policy().trustMode();
            debug("signatures checked (mode " + trust.policy().mode() + ")");
        } catch (PluginSetException e) {
            return fail(ExitCodes.PLUGINS, e.getMessage(), e);
        }
        for (String w : set.warnings()) {
            err.println("aetherflow: warning: " + w);
        }
        if (command instanceof EngineCommand.Version v && !eager) {
            // what it prints is known here, once the set is verified: no framework (the eager start-up
            // still boots it, and refuses a set that does not resolve)
            printVersion(v.json(), inst.version(), set);
            debug("version printed without a framework");
            return ExitCodes.OK;
        }
        FrameworkStorage storage;
        try {
            storage = FrameworkStorage.acquire(cache.frameworkStorage(set.storageKey(inst.version())));
        } catch (IOException e) {
            return fail(ExitCodes.ENVIRONMENT, "cannot create a framework storage directory (cache " + cache.root()
                    + ", temp " + System.getProperty("java.io.tmpdir") + "): " + e.getMessage(), e);
        }
        try (storage) {
            debug("framework storage " + storage.dir() + (storage.shared() ? " (shared slot " + storage.slot() + ")"
                    : " (private: all " + FrameworkStorage.SLOTS + " shared slots busy or cache unwritable)"));
            int code = host(inst, set, storage, command, signals,
                    new LaunchInfo(inst.home(), inst.version(), set.lock().file(), set.lock().sha256(),
                            set.lock().bundles(), startNanos, mode, trusted, cache.root()), cache, hashes);
            debug("framework stopped");
            return code;
        } catch (IOException e) {
            debug("could not clean up framework storage " + storage.dir() + ": " + e);
            return ExitCodes.ENVIRONMENT;
        }
    }

    /**
     * {@code aetherflow version}: the distribution version, the plugin-set hash and the Java version, as
     * the engine printed them ({@code io.aetherflow.runtime.cli.Cli}), after the same lock and trust checks.
     */
    private void printVersion(boolean json, String version, VerifiedPluginSet set) {
        String java = System.getProperty("java.version");
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", version);
            m.put("plugin_set_hash", set.lock().sha256());
            m.put("java", java);
            out.println(io.aetherflow.launcher.support.Json.writeSpaced(m));
        } else {
            out.println("aetherflow " + version);
            out.println("plugin set sha256:" + set.lock().sha256() + " (" + set.lock().bundles().size() + " bundles, "
                    + set.lock().file() + ")");
            out.println("java " + java);
        }
        out.flush();
    }

    private LazyPlugins lazyPlugins(PluginHost host, VerifiedPluginSet set, Map<String, Bundle> cached, CacheDirs cache,
            JarHashes hashes) throws PluginSetException {
        PluginIndex index = PluginIndex.build(set, cache.pluginIndex(set.lock().sha256()), debugLines);
        debug("plugin index of " + set.bundles().size() + " bundles ready");
        return new LazyPlugins(host, set, cached, index, hashes, warnings, debugLines, SERVICE_WAIT);
    }

    private int host(Installation inst, VerifiedPluginSet set, FrameworkStorage storage, EngineCommand command,
            SignalRelay signals, LaunchInfo info, CacheDirs cache, JarHashes hashes) {
        PluginHost booted;
        try {
            booted = PluginHost.boot(storage.dir(), !storage.shared(), err, debugLines);
        } catch (BundleException | RuntimeException e) {
            if (!storage.shared()) {
                return fail(ExitCodes.ENVIRONMENT, "the OSGi framework did not start in " + storage.dir() + ": "
                        + e.getMessage(), e);
            }
            // a damaged shared cache (e.g. killed mid-write): start over with a clean one
            debug("framework did not start on the cached storage (" + e + "); cleaning it");
            try {
                booted = PluginHost.boot(storage.dir(), true, err);
            } catch (BundleException | RuntimeException again) {
                return fail(ExitCodes.ENVIRONMENT, "the OSGi framework did not start in " + storage.dir() + ": "
                        + again.getMessage() + "; delete that directory", again);
            }
        }
        try (PluginHost host = booted) {
            debug("framework started");
            Application app;
            LazyPlugins plugins;
            try {
                Map<String, Bundle> cached = host.prepare(set);
                debug("framework storage holds " + cached.size() + " of the " + set.bundles().size() + " locked bundles");
                plugins = lazyPlugins(host, set, cached, cache, hashes);
                host.context().registerService(PluginLoader.class, plugins, null);
                host.context().registerService(ShippedPlugins.class,
                        new BundlePlugins(env, inst.home(), host, plugins, set, debugLines), null);
                if (eager) {
                    plugins.startAllStrictly();
                    debug("resolved and started all " + set.bundles().size() + " bundles (" + EAGER_VARIABLE + "=all)");
                } else {
                    if (command instanceof EngineCommand.PluginsList) {
                        plugins.installAll(); // it shows every bundle of the set and its state
                    }
                    int n = plugins.startCore();
                    debug("resolved and started " + n + " core bundles; the other "
                            + (set.bundles().size() - n) + " are installed when the engine needs them");
                }
                app = host.awaitService(Application.class, applicationTimeout);
                if (app == null) {
                    throw new PluginSetException("the core runtime did not register " + Application.class.getName()
                            + " within " + applicationTimeout.toSeconds() + " s; check that io.aetherflow.core.runtime"
                            + " is in " + set.lock().file() + " and see the errors above");
                }
            } catch (PluginSetException e) {
                return fail(ExitCodes.PLUGINS, e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(ExitCodes.INTERRUPTED, "interrupted during start-up", e);
            }
            debug("engine service ready");
            try {
                int code = signals.run(app, new java.util.function.IntSupplier() {
                    @Override
                    public int getAsInt() {
                        return app.run(command, info);
                    }
                });
                if (!eager) {
                    long t0 = System.nanoTime();
                    int trimmed = plugins.trim();
                    if (trimmed > 0) {
                        debug("uninstalled " + trimmed + " bundles only the whole-set install needed ("
                                + Math.round((System.nanoTime() - t0) / 1e6) + " ms; the storage keeps what runs use)");
                    }
                }
                if (debug) {
                    List<String> started = plugins.startedPlugins();
                    debug("engine returned " + code + "; plugin bundles started: "
                            + (started.isEmpty() ? "none" : String.join(", ", started)));
                }
                return code;
            } catch (RuntimeException | LinkageError e) {
                return fail(ExitCodes.JOB_FAILED, "internal error in the engine: " + e
                        + (debug ? "" : " (set AETHERFLOW_LOG_LEVEL=DEBUG for the stack trace)"), e);
            }
        }
    }

    /** The launcher's DEBUG timings, or its warnings, as a consumer of lines. */
    private final class Lines implements Consumer<String> {
        private final boolean debugLine;

        Lines(boolean debugLine) {
            this.debugLine = debugLine;
        }

        @Override
        public void accept(String line) {
            if (debugLine) {
                debug(line);
            } else {
                err.println("aetherflow: warning: " + line);
            }
        }
    }

    /** Ends the process at once (the signal relay's last resort). */
    private static final class Halt implements IntConsumer {
        @Override
        public void accept(int status) {
            Runtime.getRuntime().halt(status);
        }
    }
}
