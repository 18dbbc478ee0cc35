package io.aetherflow.launcher;

import io.aetherflow.launch.Application;
import io.aetherflow.launch.PluginLoadException;
import io.aetherflow.launch.PluginLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The launcher's {@link PluginLoader}: every locked bundle is installed, the core bundles (the
 * component runtime, the engine and what they are wired to) are resolved and started up front, and a
 * plugin bundle is resolved and started when the engine first asks for a service it declares
 * ({@link PluginIndex}). Starting a bundle starts the bundles it is wired to, first; the exporters of
 * the packages its {@code DynamicImport-Package} names (the JDBC connector's drivers) are not started
 * with it: a run starts only the driver it uses.
 */
final class LazyPlugins implements PluginLoader {

    private static final String SCR_EXTENDER = "osgi.component";
    /** The engine bundle's symbolic name (a core root even when it registers its service in code). */
    static final String ENGINE = "io.aetherflow.core.runtime";

    private final PluginHost host;
    /** The installed bundles in install order: the locked ones, then those added by {@link #add}. */
    private volatile List<Bundle> bundles;
    private volatile PluginIndex index;
    private final Consumer<String> warn;
    private final Consumer<String> debug;
    private final Duration serviceWait;
    private final Set<Bundle> reported = new HashSet<>();
    private final Set<Bundle> core = new HashSet<>();
    /** Bundles that must not serve this process ({@link #withhold}), with why (the end of the message). */
    private final Map<Bundle, String> withheld = new LinkedHashMap<>();

    /**
     * @param host the framework
     * @param bundles the installed locked bundles, in lock order
     * @param index what they declare
     * @param warn receives one-line warnings (a bundle that does not resolve when everything is started)
     * @param debug receives timings
     * @param serviceWait how long to wait for a declared service after its bundle started
     */
    LazyPlugins(PluginHost host, List<Bundle> bundles, PluginIndex index, Consumer<String> warn, Consumer<String> debug,
            Duration serviceWait) {
        this.host = host;
        this.bundles = List.copyOf(bundles);
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
     * @return the core roots, in lock order
     */
    List<Bundle> coreRoots() {
        List<Bundle> out = new ArrayList<>();
        for (Bundle b : bundles) {
            BundleRevision rev = b.adapt(BundleRevision.class);
            boolean extender = rev != null && rev.getDeclaredCapabilities("osgi.extender").stream()
                    .anyMatch(c -> SCR_EXTENDER.equals(c.getAttributes().get("osgi.extender")));
            boolean engine = ENGINE.equals(b.getSymbolicName())
                    || index.of(b).stream().anyMatch(d -> d.objectClass().contains(Application.class.getName()));
            if (extender || engine) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * Resolves and starts the core bundles.
     *
     * @return how many bundles were started
     * @throws PluginSetException when a core bundle does not resolve or start (the launch fails: exit 3)
     */
    synchronized int startCore() throws PluginSetException {
        int n = activate(coreRoots()).size();
        for (Bundle b : bundles) {
            if (started(b)) {
                core.add(b);
            }
        }
        return n;
    }

    /**
     * Adds bundles installed after the launch (the plugin jars an asset bundle ships, {@link BundlePlugins}):
     * from now on they start lazily like the locked ones.
     *
     * @param added the installed bundles, in install order
     * @param more what they declare
     */
    synchronized void add(List<Bundle> added, PluginIndex more) {
        List<Bundle> all = new ArrayList<>(bundles);
        all.addAll(added);
        bundles = List.copyOf(all);
        index = index.plus(more);
    }

    /**
     * Withholds installed bundles for the rest of the process: they are never started (a started one is
     * stopped now), their services are not declared, and a lookup that only they could serve fails with
     * one line naming the bundle and {@code why}. An enterprise asset-bundle run withholds the plugins the
     * installation found through ambient {@code AETHERFLOW_PLUGIN_PATHS} ({@link BundlePlugins}).
     *
     * @param bundles the bundles, each with why it is withheld (e.g. where its jar came from and what to do)
     * @throws PluginSetException when a core bundle is named (the engine itself is wired to it), or one does not stop
     */
    synchronized void withhold(Map<Bundle, String> bundles) throws PluginSetException {
        for (Map.Entry<Bundle, String> e : bundles.entrySet()) {
            Bundle b = e.getKey();
            if (core.contains(b)) {
                throw new PluginSetException("plugin bundle " + b.getSymbolicName() + " " + b.getVersion() + " "
                        + e.getValue() + ", but the engine's core bundles are wired to it");
            }
            if (!PluginHost.isFragment(b) && started(b)) {
                try {
                    b.stop(Bundle.STOP_TRANSIENT);
                } catch (BundleException ex) {
                    throw new PluginSetException("plugin bundle " + b.getSymbolicName() + " " + b.getVersion() + " "
                            + e.getValue() + ", and it does not stop: " + ex.getMessage(), ex);
                }
            }
            withheld.put(b, e.getValue());
        }
    }

    /**
     * @return the symbolic names of the started bundles that are not core bundles, in lock order
     *     (for the DEBUG line at the end of a launch, and tests)
     */
    synchronized List<String> startedPlugins() {
        List<String> out = new ArrayList<>();
        for (Bundle b : bundles) {
            if (!core.contains(b) && !PluginHost.isFragment(b) && started(b)) {
                out.add(b.getSymbolicName());
            }
        }
        return out;
    }

    /**
     * Resolves and starts every bundle strictly (the behaviour before lazy start): the first bundle that
     * does not resolve or start fails the launch.
     *
     * @throws PluginSetException naming the bundle
     */
    synchronized void startAllStrictly() throws PluginSetException {
        host.resolve(bundles);
        host.start(bundles);
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
        List<Bundle> declaring = new ArrayList<>();
        List<Bundle> toStart = new ArrayList<>();
        Bundle onlyWithheld = null;
        for (Map.Entry<Bundle, List<PluginIndex.Declared>> e : index.all().entrySet()) {
            if (e.getValue().stream().anyMatch(d -> f.matches(d.filterable()))) {
                if (withheld.containsKey(e.getKey())) {
                    onlyWithheld = onlyWithheld == null ? e.getKey() : onlyWithheld;
                    continue;
                }
                declaring.add(e.getKey());
                if (!started(e.getKey())) {
                    toStart.add(e.getKey());
                }
            }
        }
        if (!toStart.isEmpty()) {
            try {
                List<Bundle> started = activate(toStart);
                debug.accept("started " + started.size() + " bundles for " + f + " (" + names(started) + "; "
                        + Math.round((System.nanoTime() - t0) / 1e6) + " ms)");
            } catch (PluginSetException e) {
                throw new PluginLoadException(e.getMessage(), e);
            }
        }
        if (declaring.isEmpty() && onlyWithheld != null && filter != null && !filter.isBlank() && !registered(f)) {
            throw new PluginLoadException("the service " + objectClass + " " + filter + " is declared only by plugin bundle "
                    + onlyWithheld.getSymbolicName() + " " + onlyWithheld.getVersion() + ", which "
                    + withheld.get(onlyWithheld), null);
        }
        if (declaring.isEmpty()) {
            return registered(f);
        }
        return registered(f) || awaitService(f);
    }

    @Override
    public synchronized void loadAll() {
        long t0 = System.nanoTime();
        List<Bundle> unresolved = new ArrayList<>();
        List<Bundle> serving = new ArrayList<>();
        for (Bundle b : bundles) {
            if (withheld.containsKey(b)) {
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
                if (reported.add(b)) {
                    warn.accept("plugin bundle " + b.getSymbolicName() + " " + b.getVersion() + " (" + PluginHost.location(b)
                            + ") does not resolve and is not used: " + PluginHost.resolutionError(b)
                            + "; run aetherflow plugins verify");
                }
            } else if (!started(b) && !PluginHost.isFragment(b)) {
                try {
                    host.start(List.of(b));
                    n++;
                } catch (PluginSetException e) {
                    if (reported.add(b)) {
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
        Map<Bundle, String> hidden;
        synchronized (this) {
            hidden = Map.copyOf(withheld);
        }
        for (Map.Entry<Bundle, List<PluginIndex.Declared>> e : index.all().entrySet()) {
            if (hidden.containsKey(e.getKey())) {
                continue;
            }
            for (PluginIndex.Declared d : e.getValue()) {
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
            host.resolve(unresolved); // throws, naming the root cause
        }
        Set<Bundle> order = new LinkedHashSet<>();
        Set<Bundle> visiting = new HashSet<>();
        for (Bundle b : roots) {
            closure(b, order, visiting);
        }
        List<Bundle> toStart = new ArrayList<>();
        for (Bundle b : order) {
            String why = withheld.get(b);
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
     * {@code DynamicImport-Package} names (exactly, or by a {@code prefix.*} pattern; a bare {@code *}
     * names nothing here), leaving out withheld ones: the framework prefers a resolved exporter when it
     * wires a dynamic import, so a withheld bundle exporting the same package is not chosen. One that
     * does not resolve is left out (a dynamic import is optional by nature).
     */
    private void resolveDynamicExporters(Bundle b) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev == null) {
            return;
        }
        List<String> patterns = new ArrayList<>();
        for (BundleRequirement r : rev.getDeclaredRequirements(BundleRevision.PACKAGE_NAMESPACE)) {
            if ("dynamic".equals(r.getDirectives().get(Constants.RESOLUTION_DIRECTIVE))) {
                String filter = r.getDirectives().get(Constants.FILTER_DIRECTIVE);
                String pkg = packageOf(filter);
                if (pkg != null && !pkg.equals("*")) {
                    patterns.add(pkg);
                }
            }
        }
        if (patterns.isEmpty()) {
            return;
        }
        List<Bundle> out = new ArrayList<>();
        for (Bundle other : bundles) {
            if (other.equals(b) || withheld.containsKey(other)) {
                continue; // a withheld exporter is left out: a dynamic import is optional
            }
            BundleRevision orev = other.adapt(BundleRevision.class);
            if (orev == null) {
                continue;
            }
            for (BundleCapability c : orev.getDeclaredCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
                String exported = String.valueOf(c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE));
                if (patterns.stream().anyMatch(p -> p.endsWith(".*") ? exported.startsWith(p.substring(0, p.length() - 1))
                        : p.equals(exported))) {
                    out.add(other);
                    break;
                }
            }
        }
        List<Bundle> unresolved = out.stream().filter(x -> x.getState() == Bundle.INSTALLED).toList();
        if (!unresolved.isEmpty()) {
            host.adaptWiring().resolveBundles(unresolved);
        }
    }

    /** @return the package name of a dynamic import requirement's filter {@code (osgi.wiring.package=NAME)} */
    static String packageOf(String filter) {
        if (filter == null) {
            return null;
        }
        String key = "(" + BundleRevision.PACKAGE_NAMESPACE + "=";
        int i = filter.indexOf(key);
        if (i < 0) {
            return null;
        }
        int end = filter.indexOf(')', i);
        return end < 0 ? null : filter.substring(i + key.length(), end);
    }
}
