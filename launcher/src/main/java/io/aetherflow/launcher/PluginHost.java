package io.aetherflow.launcher;

import io.aetherflow.launch.Application;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.felix.framework.FrameworkFactory;
import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An Apache Felix framework that hosts exactly one verified plugin set: install (in place, through
 * {@code reference:} URLs), resolve (all at once, or a subset: {@link LazyPlugins}), start, find a
 * service, stop.
 */
public final class PluginHost implements AutoCloseable {

    /** The launch interface package the system bundle exports to the engine. */
    public static final String SYSTEM_PACKAGES_EXTRA = "io.aetherflow.launch;version=" + Application.PACKAGE_VERSION;

    /** How many bundle jars Felix keeps open at once ({@code felix.cache.filelimit}). */
    static final int OPEN_JAR_LIMIT = 16;

    private final Framework framework;
    private final PrintStream log;

    private PluginHost(Framework framework, PrintStream log) {
        this.framework = framework;
        this.log = log;
    }

    /**
     * Creates and initialises (but does not start bundles of) a framework.
     *
     * @param storage the framework storage directory
     * @param clean true to empty the storage first; false to reuse what an earlier launch installed
     * @param log where framework errors go (one line each)
     * @return the host
     * @throws BundleException when the framework cannot start
     */
    public static PluginHost boot(Path storage, boolean clean, PrintStream log) throws BundleException {
        return boot(storage, clean, log, phase -> { });
    }

    /**
     * As {@link #boot(Path, boolean, PrintStream)}, reporting each phase as it ends.
     *
     * @param storage the framework storage directory
     * @param clean true to empty the storage first; false to reuse what an earlier launch installed
     * @param log where framework errors go (one line each)
     * @param phases told "framework created", "framework initialised" (cached bundles reloaded)
     * @return the host
     * @throws BundleException when the framework cannot start
     */
    public static PluginHost boot(Path storage, boolean clean, PrintStream log, Consumer<String> phases)
            throws BundleException {
        Framework fw = new FrameworkFactory().newFramework(config(storage, clean, log));
        phases.accept("framework created");
        fw.init();
        phases.accept("framework initialised (" + (fw.getBundleContext().getBundles().length - 1) + " cached bundles)");
        fw.start();
        return new PluginHost(fw, log);
    }

    /**
     * The framework configuration of every host.
     *
     * @param storage the framework storage directory
     * @param clean true to empty the storage on init
     * @param log where framework errors go
     * @return the configuration map for {@link FrameworkFactory#newFramework}
     */
    static Map<String, String> config(Path storage, boolean clean, PrintStream log) {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, clean ? Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT : "none");
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES_EXTRA);
        // Felix logs to stdout by default, which would corrupt --json output
        config.put("felix.log.logger", new StderrLogger(log));
        config.put("felix.log.level", "1");
        // no JVM-wide URL stream handler factory: the engine needs no bundle-contributed URL schemes,
        // and installing the factory costs start-up time and sun.misc.Unsafe warnings on JDK 24+
        config.put("felix.service.urlhandlers", "false");
        // at most this many bundle jars stay open: an open jar keeps its central directory on the heap
        // (over a megabyte for the Excel step bundle), and most installed bundles are read once, for their
        // manifest, and never started (LazyPlugins); a closed jar is reopened when it is used again. The limit
        // holds the core bundles and the few plugins of a run (12 jars for the hello run, 13 for a validate):
        // with 8, the core bundles' jars were closed and reopened (their central directories read again) while
        // the framework reloaded, resolved and started them
        config.put("felix.cache.filelimit", String.valueOf(OPEN_JAR_LIMIT));
        // resolve in the calling thread: a resolver thread pool (one thread per core by default) costs thread
        // starts and hand-offs, and a launch resolves a dozen bundles at once, where parallelism buys nothing
        config.put("felix.resolver.parallelism", "1");
        // Declarative Services keeps the component descriptions it parsed in its data area of the storage and
        // reads them back on the next start instead of parsing each bundle's component XML again (an entry is
        // used only for the same bundle id and last-modified time, i.e. the same installed jar): the core
        // bundles' start went from 65-78 to 39-45 ms, the hello run from 409 to 384 ms (bench/README.md)
        config.put("ds.cache.metadata", "true");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> props = (Map) config;
        return props;
    }

    /** @return the system bundle's context */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Installs the set: reuses bundles a warm storage already has at the same location, installs the
     * rest, uninstalls anything else, and checks that each jar is the bundle its lock line names.
     *
     * @param set the verified set
     * @return the installed bundles, in lock order
     * @throws PluginSetException when a jar is not a bundle or not the locked name/version
     */
    public List<Bundle> install(VerifiedPluginSet set) throws PluginSetException {
        prepare(set);
        List<Bundle> out = new ArrayList<>();
        for (VerifiedBundle vb : set.bundles()) {
            out.add(install(vb));
        }
        return out;
    }

    /**
     * Cleans what a warm storage reloaded: uninstalls strangers (bundles the lock does not name at their
     * location, copies of an earlier process) and cached bundles that are not the jar locked at their
     * location (a damaged storage), all before any install, so that no name/version clash with them is
     * possible; keeps the rest installed ({@link LazyPlugins} installs more on demand).
     *
     * @param set the verified set
     * @return the cached bundles that stay, by location
     * @throws PluginSetException when a stale bundle cannot be removed
     */
    public Map<String, Bundle> prepare(VerifiedPluginSet set) throws PluginSetException {
        BundleContext ctx = context();
        Map<String, VerifiedBundle> wanted = new HashMap<>();
        for (VerifiedBundle vb : set.bundles()) {
            wanted.put(vb.location(), vb);
        }
        Map<String, Bundle> kept = new HashMap<>();
        for (Bundle b : ctx.getBundles()) {
            VerifiedBundle vb = wanted.get(b.getLocation());
            if (b.getBundleId() == 0) {
                continue;
            }
            if (vb != null && isLocked(vb, b)) {
                kept.put(b.getLocation(), b);
                continue;
            }
            try {
                b.uninstall();
            } catch (BundleException e) {
                throw new PluginSetException("cannot remove stale bundle " + b.getLocation()
                        + " from the framework cache; delete the aetherflow cache directory", e);
            }
        }
        return kept;
    }

    /**
     * Installs one more verified bundle into the running framework (or finds it at its location), and
     * checks that the jar is the bundle its lock line names.
     *
     * @param vb the verified bundle
     * @return the installed bundle
     * @throws PluginSetException when the jar is not a bundle or not the locked name/version
     */
    public Bundle install(VerifiedBundle vb) throws PluginSetException {
        return install(vb, vb.location(), null);
    }

    /**
     * Installs a copy of a verified jar for this process only (the plugin jars of an asset bundle): the
     * framework gets the bytes that were checked against the entry's sha256 again, not a reference to a
     * file that a later sync may delete, and the next launch removes the copy from the storage as it
     * removes any bundle its lock does not name.
     *
     * @param vb the verified bundle
     * @return the installed bundle
     * @throws PluginSetException when the jar changed since it was verified, is not a bundle or not the
     *         locked name/version
     */
    public Bundle installCopy(VerifiedBundle vb) throws PluginSetException {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(vb.file());
        } catch (java.io.IOException e) {
            throw new PluginSetException("bundle " + vb.label() + ": cannot read " + vb.file() + ": " + e.getMessage(), e);
        }
        if (!Sha256.hex(bytes).equals(vb.entry().sha256())) {
            throw new PluginSetException("bundle " + vb.label() + " changed while it was verified: " + vb.file()
                    + "; run the command again");
        }
        return install(vb, COPY_PREFIX + vb.file().toUri(), new java.io.ByteArrayInputStream(bytes));
    }

    /** Location prefix of bundles installed by {@link #installCopy}. */
    static final String COPY_PREFIX = "copy:";

    private Bundle install(VerifiedBundle vb, String location, java.io.InputStream content) throws PluginSetException {
        BundleContext ctx = context();
        Bundle b = ctx.getBundle(location);
        if (b != null && !isLocked(vb, b)) {
            // the storage remembers another bundle at this location (a cache damaged by a killed
            // launch): forget it and install the verified jar afresh
            try {
                b.uninstall();
            } catch (BundleException | IllegalStateException e) {
                throw new PluginSetException("cannot remove stale bundle " + location
                        + " from the framework cache; delete the aetherflow cache directory", e);
            }
            b = null;
        }
        if (b == null) {
            try {
                b = content == null ? ctx.installBundle(location) : ctx.installBundle(location, content);
            } catch (BundleException e) {
                throw new PluginSetException("bundle " + vb.label() + " (" + vb.entry().fileName()
                        + ") cannot be installed: " + oneLine(e.getMessage()), e);
            }
        }
        if (!isLocked(vb, b)) {
            throw new PluginSetException(vb.entry().fileName() + " is bundle " + b.getSymbolicName() + " "
                    + b.getVersion() + " but the lock names it " + vb.label() + "; re-lock the plugin set");
        }
        return b;
    }

    private static boolean isLocked(VerifiedBundle vb, Bundle b) {
        return vb.entry().symbolicName().equals(b.getSymbolicName())
                && Version.parseVersion(vb.entry().version()).equals(b.getVersion());
    }

    /**
     * Uninstalls bundles, ignoring failures (undoing a partial install).
     *
     * @param bundles the bundles
     */
    public void uninstallQuietly(List<Bundle> bundles) {
        for (Bundle b : bundles) {
            try {
                b.uninstall();
            } catch (BundleException | IllegalStateException e) {
                // already gone, or the framework is stopping
            }
        }
    }

    /**
     * Resolves all bundles in one resolver operation.
     *
     * @param bundles the installed bundles
     * @throws PluginSetException naming the first unresolved bundle (in lock order) and its
     *     unresolved requirement
     */
    public void resolve(List<Bundle> bundles) throws PluginSetException {
        FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
        if (wiring.resolveBundles(bundles)) {
            return;
        }
        List<Bundle> unresolved = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.getState() == Bundle.INSTALLED) {
                unresolved.add(b);
            }
        }
        // the resolver's reason is only reported by start(); a bundle that fails only because
        // another locked bundle is unresolved is a consequence, so prefer a root cause
        String first = null;
        for (Bundle b : unresolved) {
            String why = resolutionError(b);
            boolean consequence = false;
            for (Bundle other : unresolved) {
                if (other != b && why.contains("Unable to resolve " + other.getSymbolicName() + " ")) {
                    consequence = true;
                }
            }
            String msg = b.getSymbolicName() + " " + b.getVersion() + " (" + location(b) + "): " + why;
            if (!consequence) {
                first = msg;
                break;
            }
            if (first == null) {
                first = msg;
            }
        }
        if (first == null) {
            first = "the framework reported a failure but no bundle is unresolved";
        }
        throw new PluginSetException("plugin set does not resolve: " + first
                + (unresolved.size() > 1 ? " (" + unresolved.size() + " bundles unresolved)" : "")
                + "; add the bundle that provides it to the lock or remove the bundle that needs it");
    }

    /** @return the framework's wiring API (resolve a subset of the installed bundles) */
    FrameworkWiring adaptWiring() {
        return framework.adapt(FrameworkWiring.class);
    }

    static String location(Bundle b) {
        String loc = b.getLocation();
        int slash = loc.lastIndexOf('/');
        return slash >= 0 ? loc.substring(slash + 1) : loc;
    }

    static String resolutionError(Bundle b) {
        if (isFragment(b)) {
            return "fragment host not found";
        }
        try {
            b.start(Bundle.START_TRANSIENT);
            return "unknown reason (the bundle resolved on retry)";
        } catch (BundleException e) {
            return trimResolverMessage(e.getMessage());
        } catch (RuntimeException e) {
            return oneLine(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Shortens Felix's resolver message to the missing requirement: drops the leading "Unable to
     * resolve X [id](R id.0): " and the trailing "Unresolved requirements: [...]" repetition.
     *
     * @param message the BundleException message
     * @return one line
     */
    static String trimResolverMessage(String message) {
        String m = oneLine(String.valueOf(message));
        int tail = m.indexOf(" Unresolved requirements:");
        if (tail > 0) {
            m = m.substring(0, tail);
        }
        if (m.startsWith("Unable to resolve ")) {
            int colon = m.indexOf("): ");
            if (colon > 0) {
                m = m.substring(colon + 3);
            }
        }
        // "missing requirement [bsn [5](R 5.0)] osgi.wiring.package; (...)": the bracket repeats the bundle
        m = m.replaceFirst("^missing requirement \\[[^\\]]*\\]\\(R [^)]*\\)\\] ", "missing requirement ");
        return m.strip();
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    static boolean isFragment(Bundle b) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        return rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    /**
     * Who needs a resolved bundle: every other bundle wired to a capability it provides (packages,
     * required bundles, fragment hosts), with what it needs, mandatory wires only.
     *
     * @param b a resolved bundle
     * @return one entry per dependent bundle ({@code symbolic-name version}) to what it uses
     */
    public static Map<String, List<String>> dependents(Bundle b) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        BundleWiring wiring = b.adapt(BundleWiring.class);
        if (wiring == null) {
            return out;
        }
        for (BundleWire w : wiring.getProvidedWires(null)) {
            Bundle requirer = w.getRequirerWiring().getBundle();
            if (requirer.equals(b)) {
                continue;
            }
            if ("optional".equals(w.getRequirement().getDirectives().get("resolution"))) {
                continue;
            }
            String ns = w.getCapability().getNamespace();
            Object value = w.getCapability().getAttributes().get(ns);
            String what = switch (ns) {
                case "osgi.wiring.package" -> "package " + value;
                case "osgi.wiring.bundle" -> "Require-Bundle";
                case "osgi.wiring.host" -> "fragment host";
                default -> ns + (value == null ? "" : " " + value);
            };
            List<String> l = out.computeIfAbsent(requirer.getSymbolicName() + " " + requirer.getVersion(),
                    k -> new ArrayList<>());
            if (!l.contains(what)) {
                l.add(what);
            }
        }
        return out;
    }

    /**
     * Starts every non-fragment bundle transiently (a warm storage never auto-starts anything),
     * honouring lazy activation policies.
     *
     * @param bundles the resolved bundles
     * @throws PluginSetException naming the bundle whose activator failed
     */
    public void start(List<Bundle> bundles) throws PluginSetException {
        for (Bundle b : bundles) {
            if (isFragment(b)) {
                continue;
            }
            try {
                b.start(Bundle.START_TRANSIENT | Bundle.START_ACTIVATION_POLICY);
            } catch (BundleException e) {
                throw new PluginSetException("bundle " + b.getSymbolicName() + " " + b.getVersion() + " ("
                        + location(b) + ") failed to start: " + oneLine(String.valueOf(e.getMessage()))
                        + (e.getCause() == null ? "" : ": " + oneLine(String.valueOf(e.getCause()))), e);
            }
        }
    }

    /**
     * Waits for a service.
     *
     * @param <T> the service type
     * @param type the service interface (as seen by the launcher's class loader)
     * @param timeout how long to wait
     * @return the service, or null when none appeared in time
     * @throws InterruptedException when interrupted while waiting
     */
    public <T> T awaitService(Class<T> type, Duration timeout) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        T service = tracker.waitForService(timeout.toMillis());
        if (service == null) {
            tracker.close();
            return null;
        }
        // keep the tracker open: closing it would release the service while it is in use
        return service;
    }

    /**
     * Stops the framework and waits up to the given time for it.
     *
     * @param timeout the longest wait
     */
    public void stop(Duration timeout) {
        try {
            framework.stop();
            framework.waitForStop(timeout.toMillis());
        } catch (BundleException | RuntimeException e) {
            // nothing is lost: the process ends next; say so instead of hiding it
            log.println("aetherflow: the OSGi framework did not stop cleanly: " + oneLine(String.valueOf(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the framework, waiting at most 5 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /** Felix's log, one line per message on stderr (Felix would otherwise print to stdout). */
    private static final class StderrLogger extends Logger {
        private final PrintStream out;

        StderrLogger(PrintStream out) {
            this.out = out;
        }

        @Override
        @SuppressWarnings("rawtypes")
        protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
            String who = bundle == null ? "" : " [" + bundle.getSymbolicName() + "]";
            out.println("aetherflow: framework" + who + ": " + oneLine(String.valueOf(msg))
                    + (throwable == null ? "" : ": " + oneLine(String.valueOf(throwable))));
        }
    }
}
