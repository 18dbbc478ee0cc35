package io.aetherflow.launcher;

import io.aetherflow.launch.Application;
import io.aetherflow.launch.PluginLoadException;
import io.aetherflow.launch.PluginLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The launcher's {@link PluginLoader}: only the core bundles (the component runtime, the engine and the
 * bundles they need) are installed, resolved and started up front; a plugin bundle is installed (with the
 * bundles of the set it needs to resolve, {@link PluginIndex#closure}), resolved and started when the
 * engine first asks for a service it declares. Bundles a run does not need never enter the framework, so
 * the start-up does not grow with the installed set. Starting a bundle starts the bundles it is wired to,
 * first; the exporters of the packages its {@code DynamicImport-Package} names (the JDBC connector's
 * drivers) are installed with it but not started: a run starts only the driver it uses.
 *
 * <p>What a warm framework storage reloaded stays installed ({@link PluginHost#prepare}); bundles installed
 * on demand stay in the storage for the next launch (bench/README.md, "On-demand install, session 7").
 */
final class LazyPlugins implements PluginLoader {

    /** The engine bundle's symbolic name (a core root even when it registers its service in code). */
    static final String ENGINE = "io.aetherflow.core.runtime";

    private final PluginHost host;
    private final JarHashes hashes;
    /** The locked bundles by location: what may be installed on demand. */
    private final Map<String, VerifiedBundle> locked = new LinkedHashMap<>();
    /** The installed bundles by location (the core ones, those installed on demand, the added copies). */
    private final Map<String, Bundle> installed = new HashMap<>();
    private volatile PluginIndex index;
    private final Consumer<String> warn;
    private final Consumer<String> debug;
    private final Duration serviceWait;
    private final Set<String> reported = new HashSet<>();
    private final Set<String> core = new HashSet<>();
    /** Locations the core start-up and the engine's lookups needed (installed on demand, or found in the storage). */
    private final Set<String> demanded = new HashSet<>();
    /** Locations this process installed only because it installed the whole set ({@link #installAll}). */
    private final Set<String> bulk = new HashSet<>();
    /** Locations of bundles that must not serve this process ({@link #withhold}), with why (the end of the message). */
    private final Map<String, String> withheld = new LinkedHashMap<>();

    /**
     * @param host the framework
     * @param set the verified set (what may be installed)
     * @param cached the bundles of the set the framework storage already holds ({@link PluginHost#prepare})
     * @param index what the set's bundles declare and need
     * @param hashes the digests the set was verified with: a jar is checked again, by its file stamp or its
     *     content, when it is installed
     * @param warn receives one-line warnings (a bundle that does not resolve when everything is started)
     * @param debug receives timings
     * @param serviceWait how long to wait for a declared service after its bundle started
     */
    LazyPlugins(PluginHost host, VerifiedPluginSet set, Map<String, Bundle> cached, PluginIndex index, JarHashes hashes,
            Consumer<String> warn, Consumer<String> debug, Duration serviceWait) {
        this.host = host;
        this.hashes = hashes;
        for (VerifiedBundle vb : set.bundles()) {
            locked.put(vb.location(), vb);
        }
        this.installed.putAll(cached);
        this.index = index;
        this.warn = warn;
        this.debug = debug;
        this.serviceWait = serviceWait;
    }

    /**
     * The bundles started up front: the Declarative Services runtime (capability
     * {@code osgi.extender=osgi.component}), the engine bundle ({@value #ENGINE}) and the bundles that
     * declare the engine's {@link Application} service.
     *
     * @return their locations, in lock order
     */
    List<String> coreRoots() {
        List<String> out = new ArrayList<>();
        for (PluginIndex.Unit u : index.units().values()) {
            if (u.entry().extender() || ENGINE.equals(u.symbolicName()) || declaresApplication(u)) {
                out.add(u.location());
            }
        }
        return out;
    }

    private static boolean declaresApplication(PluginIndex.Unit u) {
        for (PluginIndex.Declared d : u.entry().declared()) {
            if (d.objectClass().contains(Application.class.getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Installs, resolves and starts the core bundles.
     *
     * @return how many bundles were started
     * @throws PluginSetException when a core bundle does not install, resolve or start (the launch fails: exit 3)
     */
    synchronized int startCore() throws PluginSetException {
        List<String> roots = coreRoots();
        Set<String> needed = index.closure(roots, false);
        demanded.addAll(needed);
        install(needed, null);
        int n = activate(installedOf(roots)).size();
        for (Map.Entry<String, Bundle> e : installed.entrySet()) {
            if (started(e.getValue())) {
                core.add(e.getKey());
            }
        }
        return n;
    }

    /**
     * Installs every bundle of the set that is not installed yet (the eager start-up, {@code plugins list},
     * {@link #loadAll}).
     *
     * @return how many were installed
     * @throws PluginSetException when a jar is not the bundle its lock line names
     */
    synchronized int installAll() throws PluginSetException {
        return install(locked.keySet(), "all");
    }

    /**
     * Installs the given locked bundles that are not installed yet.
     *
     * @param why for the DEBUG line ("all"), or null for an on-demand install
     */
    private int install(Collection<String> locations, String why) throws PluginSetException {
        long t0 = System.nanoTime();
        List<String> names = new ArrayList<>();
        for (String loc : locations) {
            VerifiedBundle vb = locked.get(loc);
            if (vb != null && !installed.containsKey(loc)) {
                unchanged(vb);
                installed.put(loc, host.install(vb));
                if (why != null) {
                    bulk.add(loc);
                }
                names.add(vb.entry().symbolicName());
            }
        }
        if (!names.isEmpty()) {
            debug.accept("installed " + names.size() + " bundles" + (why == null ? " (" + String.join(", ", names) + ")"
                    : " (" + why + ")") + " in " + Math.round((System.nanoTime() - t0) / 1e6) + " ms");
        }
        return names.size();
    }

    /**
     * A jar is installed later than the launch verified it (a run may need it minutes later, the scheduler
     * hours later): it must still be the verified jar.
     */
    private void unchanged(VerifiedBundle vb) throws PluginSetException {
        String now;
        try {
            now = hashes.sha256(vb.file());
        } catch (java.io.IOException e) {
            throw new PluginSetException("bundle " + vb.label() + ": cannot read " + vb.file() + ": " + e.getMessage(), e);
        }
        if (!now.equals(vb.entry().sha256())) {
            throw new PluginSetException("bundle " + vb.label() + " (" + vb.entry().fileName() + ") changed since the launch"
                    + " verified it (sha256 " + now + ", locked " + vb.entry().sha256() + "); run the command again");
        }
    }

    /**
     * Uninstalls the bundles this process installed only because it installed the whole set ({@code plugins
     * list}, the fallbacks) and no lookup needed, so that the framework storage keeps what runs use and the
     * next launch does not reload the whole set. Called when the engine has returned.
     *
     * @return how many were uninstalled
     */
    synchronized int trim() {
        int n = 0;
        for (String loc : bulk) {
            Bundle b = installed.get(loc);
            if (b == null || demanded.contains(loc) || core.contains(loc)) {
                continue;
            }
            try {
                b.uninstall();
                installed.remove(loc);
                n++;
            } catch (BundleException | IllegalStateException e) {
                // the framework is stopping, or the bundle is gone: the next launch's prepare() decides
            }
        }
        bulk.clear();
        return n;
    }

    /** @return the installed bundles among the locations, in their order */
    private List<Bundle> installedOf(Collection<String> locations) {
        List<Bundle> out = new ArrayList<>();
        for (String loc : locations) {
            Bundle b = installed.get(loc);
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }

    /** @return every installed bundle of the index, in index order */
    private List<Bundle> installedBundles() {
        return installedOf(index.units().keySet());
    }

    /**
     * Adds bundles installed after the launch (the plugin jars an asset bundle ships, {@link BundlePlugins}):
     * from now on they start lazily like the locked ones.
     *
     * @param added the installed bundles, in install order
     * @param more what they declare
     */
    synchronized void add(List<Bundle> added, PluginIndex more) {
        added.forEach(b -> installed.put(b.getLocation(), b));
        index = index.plus(more);
    }

    /**
     * Resolves bundles installed after the launch ({@link BundlePlugins}); when they need a bundle of the
     * set that is not installed, the whole set is installed first.
     *
     * @param added the installed bundles
     * @throws PluginSetException naming the first that does not resolve and why
     */
    synchronized void resolveAdded(List<Bundle> added) throws PluginSetException {
        if (!host.adaptWiring().resolveBundles(added) && installAll() > 0) {
            debug.accept("installed the whole set to resolve " + names(added));
        }
        host.resolve(added);
    }

    /**
     * Withholds bundles for the rest of the process: they are never started (a started one is stopped now),
     * their services are not declared, and a lookup that only they could serve fails with one line naming
     * the bundle and {@code why}. An enterprise asset-bundle run withholds the plugins the installation
     * found through ambient {@code AETHERFLOW_PLUGIN_PATHS} ({@link BundlePlugins}), installed or not.
     *
     * @param bundles framework locations, each with why it is withheld (e.g. where its jar came from and what to do)
     * @throws PluginSetException when a core bundle is named (the engine itself is wired to it), or one does not stop
     */
    synchronized void withhold(Map<String, String> bundles) throws PluginSetException {
        for (Map.Entry<String, String> e : bundles.entrySet()) {
            String loc = e.getKey();
            if (core.contains(loc)) {
                throw new PluginSetException("plugin bundle " + label(loc) + " " + e.getValue()
                        + ", but the engine's core bundles are wired to it");
            }
            Bundle b = installed.get(loc);
            if (b != null && !PluginHost.isFragment(b) && started(b)) {
                try {
                    b.stop(Bundle.STOP_TRANSIENT);
                } catch (BundleException ex) {
                    throw new PluginSetException("plugin bundle " + label(loc) + " " + e.getValue()
                            + ", and it does not stop: " + ex.getMessage(), ex);
                }
            }
            withheld.put(loc, e.getValue());
        }
    }

    private String label(String location) {
        Bundle b = installed.get(location);
        if (b != null) {
            return b.getSymbolicName() + " " + b.getVersion();
        }
        VerifiedBundle vb = locked.get(location);
        return vb != null ? vb.label() : location;
    }

    /**
     * @return the symbolic names of the started bundles that are not core bundles, in lock order
     *     (for the DEBUG line at the end of a launch, and tests)
     */
    synchronized List<String> startedPlugins() {
        List<String> out = new ArrayList<>();
        for (Bundle b : installedBundles()) {
            if (!core.contains(b.getLocation()) && !PluginHost.isFragment(b) && started(b)) {
                out.add(b.getSymbolicName());
            }
        }
        return out;
    }

    /** @return the symbolic names of the installed bundles, in lock order (tests, DEBUG) */
    synchronized List<String> installedNames() {
        List<String> out = new ArrayList<>();
        installedBundles().forEach(b -> out.add(b.getSymbolicName()));
        return out;
    }

    /**
     * Installs, resolves and starts every bundle strictly (the behaviour before lazy start): the first
     * bundle that does not resolve or start fails the launch.
     *
     * @throws PluginSetException naming the bundle
     */
    synchronized void startAllStrictly() throws PluginSetException {
        installAll();
        List<Bundle> all = installedBundles();
        host.resolve(all);
        host.start(all);
    }

    @Override
    public synchronized boolean load(String objectClass, String filter) {
        long t0 = System.nanoTime();
        Filter f;
        try {
            f = FrameworkUtil.createFilter("(&(" + Constants.OBJECTCLASS + "=" + objectClass + ")"
                    + (filter == null || filter.isBlank() ? "" : filter) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad service filter " + filter + ": " + e.getMessage(), e);
        }
        List<String> declaring = new ArrayList<>();
        List<String> toStart = new ArrayList<>();
        String onlyWithheld = null;
        for (PluginIndex.Unit u : index.units().values()) {
            if (declares(u, f)) {
                if (withheld.containsKey(u.location())) {
                    onlyWithheld = onlyWithheld == null ? u.location() : onlyWithheld;
                    continue;
                }
                declaring.add(u.location());
                Bundle b = installed.get(u.location());
                if (b == null || !started(b)) {
                    toStart.add(u.location());
                }
            }
        }
        if (!toStart.isEmpty()) {
            try {
                Set<String> needed = index.closure(toStart, true);
                demanded.addAll(needed);
                install(needed, null);
                List<Bundle> started = activate(installedOf(toStart));
                debug.accept("started " + started.size() + " bundles for " + f + " (" + names(started) + "; "
                        + Math.round((System.nanoTime() - t0) / 1e6) + " ms)");
            } catch (PluginSetException e) {
                throw new PluginLoadException(e.getMessage(), e);
            }
        }
        if (declaring.isEmpty() && onlyWithheld != null && filter != null && !filter.isBlank() && !registered(f)) {
            throw new PluginLoadException("the service " + objectClass + " " + filter + " is declared only by plugin bundle "
                    + label(onlyWithheld) + ", which " + withheld.get(onlyWithheld), null);
        }
        if (declaring.isEmpty()) {
            return registered(f);
        }
        return registered(f) || awaitService(f);
    }

    @Override
    public synchronized void loadAll() {
        long t0 = System.nanoTime();
        try {
            installAll();
        } catch (PluginSetException e) {
            throw new PluginLoadException(e.getMessage(), e);
        }
        List<Bundle> unresolved = new ArrayList<>();
        List<Bundle> serving = new ArrayList<>();
        for (Bundle b : installedBundles()) {
            if (withheld.containsKey(b.getLocation())) {
                continue;
            }
            serving.add(b);
            if (b.getState() == Bundle.INSTALLED) {
                unresolved.add(b);
            }
        }
        if (!unresolved.isEmpty()) {
            host.adaptWiring().resolveBundles(unresolved);
        }
        int n = 0;
        for (Bundle b : serving) {
            if (b.getState() == Bundle.INSTALLED) {
                if (reported.add(b.getLocation())) {
                    warn.accept("plugin bundle " + b.getSymbolicName() + " " + b.getVersion() + " (" + PluginHost.location(b)
                            + ") does not resolve and is not used: " + PluginHost.resolutionError(b)
                            + "; run aetherflow plugins verify");
                }
            } else if (!started(b) && !PluginHost.isFragment(b)) {
                try {
                    host.start(List.of(b));
                    n++;
                } catch (PluginSetException e) {
                    if (reported.add(b.getLocation())) {
                        warn.accept(e.getMessage());
                    }
                }
            }
        }
        if (n > 0) {
            debug.accept("started all remaining bundles: " + n + " (" + Math.round((System.nanoTime() - t0) / 1e6) + " ms)");
        }
    }

    @Override
    public Set<String> declared(String objectClass, String property) {
        Set<String> out = new TreeSet<>();
        Set<String> hidden;
        synchronized (this) {
            hidden = Set.copyOf(withheld.keySet());
        }
        for (PluginIndex.Unit u : index.units().values()) {
            if (hidden.contains(u.location())) {
                continue;
            }
            for (PluginIndex.Declared d : u.entry().declared()) {
                if (d.objectClass().contains(objectClass)) {
                    Object v = d.properties().get(property);
                    if (v instanceof Object[] arr) {
                        for (Object o : arr) {
                            out.add(String.valueOf(o));
                        }
                    } else if (v != null) {
                        out.add(String.valueOf(v));
                    }
                }
            }
        }
        return out;
    }

    /** Whether a unit declares a service the filter matches (a loop: no lambda bootstrap on the first lookup). */
    private static boolean declares(PluginIndex.Unit u, Filter f) {
        for (PluginIndex.Declared d : u.entry().declared()) {
            if (f.matches(d.filterable())) {
                return true;
            }
        }
        return false;
    }

    private static boolean started(Bundle b) {
        return b.getState() == Bundle.ACTIVE || b.getState() == Bundle.STARTING
                || (PluginHost.isFragment(b) && b.getState() == Bundle.RESOLVED);
    }

    private static String names(Collection<Bundle> bs) {
        List<String> out = new ArrayList<>();
        bs.forEach(b -> out.add(b.getSymbolicName()));
        return String.join(", ", out);
    }

    private boolean registered(Filter f) {
        try {
            return host.context().getServiceReferences((String) null, f.toString()) != null;
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    private boolean awaitService(Filter f) {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(host.context(), f, null);
        tracker.open(true);
        try {
            return tracker.waitForService(serviceWait.toMillis()) != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            tracker.close();
        }
    }

    /**
     * Resolves the roots (strictly: a root that does not resolve is an error), then starts them and,
     * first, every bundle they are wired to, transitively.
     */
    private List<Bundle> activate(List<Bundle> roots) throws PluginSetException {
        List<Bundle> unresolved = new ArrayList<>();
        for (Bundle b : roots) {
            if (b.getState() == Bundle.INSTALLED) {
                unresolved.add(b);
            }
        }
        if (!unresolved.isEmpty() && !host.adaptWiring().resolveBundles(unresolved)) {
            // the index names what the set can provide; when that was not enough, the whole set is installed
            // so that the resolver's verdict (and message) is the one of the full set
            if (installAll() > 0 && host.adaptWiring().resolveBundles(unresolved)) {
                debug.accept("installed the whole set to resolve " + names(unresolved));
            } else {
                host.resolve(unresolved); // throws, naming the root cause
            }
        }
        Set<Bundle> order = new LinkedHashSet<>();
        Set<Bundle> visiting = new HashSet<>();
        for (Bundle b : roots) {
            closure(b, order, visiting);
        }
        List<Bundle> toStart = new ArrayList<>();
        for (Bundle b : order) {
            String why = withheld.get(b.getLocation());
            if (why != null) {
                throw new PluginSetException("plugin bundle " + names(roots) + " needs plugin bundle " + b.getSymbolicName()
                        + " " + b.getVersion() + ", which " + why);
            }
            if (!started(b) && !PluginHost.isFragment(b)) {
                toStart.add(b);
            }
        }
        if (!withheld.isEmpty()) {
            for (Bundle b : order) {
                resolveDynamicExporters(b);
            }
        }
        host.start(toStart);
        return toStart;
    }

    /**
     * Post-order: every provider a bundle is wired to before the bundle. The exporters of the packages
     * its {@code DynamicImport-Package} names (the JDBC connector's driver bundles) are not started
     * here: a dynamic import is wired on first use, and a bundle that needs one started (a driver's
     * {@code DataSourceFactory}) asks for its service through {@link #load}.
     */
    private void closure(Bundle b, Set<Bundle> order, Set<Bundle> visiting) {
        if (b.getBundleId() == 0 || order.contains(b) || !visiting.add(b)) {
            return;
        }
        BundleWiring wiring = b.adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleWire w : wiring.getRequiredWires(null)) {
                closure(w.getProviderWiring().getBundle(), order, visiting);
            }
        }
        order.add(b);
    }

    /**
     * Resolves (does not start) the installed bundles exporting a package that {@code b}'s
     * {@code DynamicImport-Package} names ({@link DynamicImports}), leaving out withheld ones: the framework
     * prefers a resolved exporter when it wires a dynamic import, so a withheld bundle exporting the same
     * package is not chosen. One that does not resolve is left out (a dynamic import is optional by nature).
     */
    private void resolveDynamicExporters(Bundle b) {
        List<String> patterns = DynamicImports.patterns(b);
        if (patterns.isEmpty()) {
            return;
        }
        List<Bundle> unresolved = new ArrayList<>();
        for (Bundle other : installedBundles()) {
            // a withheld exporter is left out: a dynamic import is optional
            if (!other.equals(b) && !withheld.containsKey(other.getLocation()) && other.getState() == Bundle.INSTALLED
                    && DynamicImports.exportsAny(other, patterns)) {
                unresolved.add(other);
            }
        }
        if (!unresolved.isEmpty()) {
            host.adaptWiring().resolveBundles(unresolved);
        }
    }
}
