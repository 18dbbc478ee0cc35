package io.aetherflow.runtime.plugins;

import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.observe.RunListener;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.api.step.Step;
import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.PluginLoadException;
import io.aetherflow.launch.PluginLoader;
import io.aetherflow.launch.ShippedPlugins;
import io.aetherflow.runtime.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * The plugin catalog read from the OSGi service registry. Services are looked up when asked (so a
 * flow that uses one step family activates only that family's delayed components) and the service
 * objects obtained are released by {@link #close()}.
 *
 * <p>Under the launcher, plugin bundles are installed but not started until needed: when a lookup
 * finds nothing, the catalog asks the launcher's {@link PluginLoader} to start the bundles that
 * declare the service, and when none declares it, to start every remaining bundle (bundles that
 * register services in code), before it answers "not found". The listings ({@link #steps()},
 * {@link #allSteps()}, {@link #connectors()}) start every bundle first; {@link #stepTypeNames()}
 * starts none.
 *
 * <p>{@link #step(String)} runs once per executed step: its answer is remembered per type (a
 * registry query parses an LDAP filter and sorts references) until any step service is registered,
 * modified or unregistered, which empties the memo.
 */
public final class OsgiPluginCatalog implements PluginCatalog, AutoCloseable {

    private static final String STEP_SERVICES = "(" + Constants.OBJECTCLASS + "=" + Step.class.getName() + ")";

    private final BundleContext context;
    /** The launcher's loader, or null when every bundle is started anyway (in-framework tests). */
    private final PluginLoader loader;
    private volatile boolean listenersLoaded;
    private final Map<ServiceReference<?>, Object> obtained = new ConcurrentHashMap<>();
    private final Map<String, Optional<StepBinding>> stepsByType = new ConcurrentHashMap<>();
    private final ServiceListener stepChanges = this::stepServiceChanged;
    /** Bumped on every step service event; a lookup that raced with one is not remembered. */
    private final AtomicLong stepGeneration = new AtomicLong();

    /** @param context the engine bundle's context */
    public OsgiPluginCatalog(BundleContext context) {
        this.context = context;
        this.loader = loader(context);
        try {
            context.addServiceListener(stepChanges, STEP_SERVICES);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad service filter " + STEP_SERVICES, e);
        }
    }

    private static PluginLoader loader(BundleContext context) {
        try {
            ServiceReference<PluginLoader> ref = context.getServiceReference(PluginLoader.class);
            return ref == null ? null : context.getService(ref);
        } catch (NoClassDefFoundError | IllegalStateException e) {
            return null;
        }
    }

    /**
     * Makes sure services of an interface that match a filter are registered if an installed bundle
     * declares one (for code outside the catalog that looks services up itself, e.g. the PostgreSQL
     * state store's {@code DataSourceFactory}). Does nothing outside the launcher.
     *
     * @param context a bundle context
     * @param objectClass the service interface name
     * @param filter an LDAP filter on its properties, or null
     * @throws UserError (exit 3) when the declaring bundle does not resolve or start
     */
    public static void ensure(BundleContext context, String objectClass, String filter) {
        PluginLoader l = loader(context);
        if (l != null) {
            load(l, objectClass, filter);
        }
    }

    private static boolean load(PluginLoader l, String objectClass, String filter) {
        try {
            return l.load(objectClass, filter);
        } catch (PluginLoadException e) {
            throw new UserError(ExitCodes.PLUGINS, e.getMessage(), e);
        }
    }

    /**
     * A lookup that, under the launcher, starts the declaring bundles when it finds nothing, and every
     * remaining bundle when none declares a match.
     */
    private <R> Optional<R> find(String objectClass, String filter, Supplier<Optional<R>> lookup) {
        Optional<R> found = lookup.get();
        if (found.isPresent() || loader == null) {
            return found;
        }
        if (load(loader, objectClass, filter)) {
            found = lookup.get();
        }
        if (found.isEmpty()) {
            loader.loadAll();
            found = lookup.get();
        }
        return found;
    }

    private void loadAll() {
        if (loader != null) {
            loader.loadAll();
        }
    }

    private void stepServiceChanged(ServiceEvent event) {
        stepGeneration.incrementAndGet();
        stepsByType.clear();
    }

    private <T> Collection<ServiceReference<T>> refs(Class<T> type, String filter) {
        try {
            List<ServiceReference<T>> list = new ArrayList<>(context.getServiceReferences(type, filter));
            // ServiceReference ordering: higher ranking, then lower service id, is "greater"
            list.sort((a, b) -> b.compareTo(a));
            return list;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad service filter " + filter, e);
        }
    }

    private <T> Supplier<T> lazy(ServiceReference<T> ref) {
        return () -> {
            @SuppressWarnings("unchecked")
            T service = (T) obtained.computeIfAbsent(ref, r -> context.getService(ref));
            if (service == null) {
                throw new IllegalStateException("service " + ref + " is no longer available");
            }
            return service;
        };
    }

    private static String bsn(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        return b == null ? "?" : b.getSymbolicName();
    }

    private static String version(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        return b == null ? "?" : b.getVersion().toString();
    }

    private static int ranking(ServiceReference<?> ref) {
        Object r = ref.getProperty(Constants.SERVICE_RANKING);
        return r instanceof Integer i ? i : 0;
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String[] arr) {
            return Arrays.asList(arr);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }

    /**
     * The binding of a step service as {@code type}: a service may serve several types (property
     * {@value Step#TYPE_PROPERTY} given as a {@code String[]}), each is a binding of its own that
     * shares the one service object.
     */
    private StepBinding stepBinding(ServiceReference<Step> ref, String type) {
        return new StepBinding(type, bsn(ref), version(ref), ranking(ref), lazy(ref));
    }

    @Override
    public Optional<StepBinding> step(String type) {
        Optional<StepBinding> known = stepsByType.get(type);
        if (known != null) {
            return known;
        }
        String filter = "(" + Step.TYPE_PROPERTY + "=" + escape(type) + ")";
        Supplier<Optional<StepBinding>> lookup = () -> refs(Step.class, filter).stream().findFirst()
                .map(ref -> stepBinding(ref, type));
        long generation = stepGeneration.get();
        Optional<StepBinding> found = lookup.get();
        if (found.isEmpty() && loader != null) {
            find(Step.class.getName(), filter, lookup); // starts the bundle that declares it
            generation = stepGeneration.get();
            found = lookup.get();
        }
        stepsByType.put(type, found);
        if (generation != stepGeneration.get()) {
            stepsByType.remove(type, found); // the registry changed meanwhile: ask again next time
        }
        return found;
    }

    @Override
    public Set<String> stepTypeNames() {
        Set<String> out = new TreeSet<>();
        for (ServiceReference<Step> ref : refs(Step.class, "(" + Step.TYPE_PROPERTY + "=*)")) {
            out.addAll(strings(ref.getProperty(Step.TYPE_PROPERTY)));
        }
        if (loader != null) {
            out.addAll(loader.declared(Step.class.getName(), Step.TYPE_PROPERTY));
        }
        return out;
    }

    @Override
    public Map<String, StepBinding> steps() {
        Map<String, StepBinding> out = new TreeMap<>();
        for (StepBinding b : allSteps()) {
            out.putIfAbsent(b.type(), b);
        }
        return out;
    }

    @Override
    public List<StepBinding> allSteps() {
        loadAll();
        return refs(Step.class, "(" + Step.TYPE_PROPERTY + "=*)").stream()
                .flatMap(ref -> strings(ref.getProperty(Step.TYPE_PROPERTY)).stream().map(t -> stepBinding(ref, t)))
                .toList();
    }

    private ConnectorBinding connectorBinding(ServiceReference<ConnectorFactory> ref) {
        return new ConnectorBinding(String.valueOf(ref.getProperty(ConnectorFactory.KIND_PROPERTY)),
                String.valueOf(ref.getProperty(ConnectorFactory.DRIVER_PROPERTY)),
                strings(ref.getProperty(ConnectorFactory.ALIASES_PROPERTY)), bsn(ref), version(ref), ranking(ref),
                lazy(ref));
    }

    @Override
    public Optional<ConnectorBinding> connector(String kind, String driver) {
        String k = escape(kind);
        String d = escape(driver);
        String filter = "(&(" + ConnectorFactory.KIND_PROPERTY + "=" + k + ")(|("
                + ConnectorFactory.DRIVER_PROPERTY + "=" + d + ")(" + ConnectorFactory.ALIASES_PROPERTY + "=" + d
                + ")))";
        return find(ConnectorFactory.class.getName(), filter,
                () -> refs(ConnectorFactory.class, filter).stream().findFirst().map(this::connectorBinding));
    }

    @Override
    public Optional<ConnectorBinding> connector(String kind) {
        String filter = "(" + ConnectorFactory.KIND_PROPERTY + "=" + escape(kind) + ")";
        return find(ConnectorFactory.class.getName(), filter,
                () -> refs(ConnectorFactory.class, filter).stream().findFirst().map(this::connectorBinding));
    }

    @Override
    public List<ConnectorBinding> connectors() {
        loadAll();
        return refs(ConnectorFactory.class, null).stream().map(this::connectorBinding).toList();
    }

    @Override
    public Optional<SecretsProvider> secrets(String name) {
        String filter = "(" + SecretsProvider.NAME_PROPERTY + "=" + escape(name) + ")";
        return find(SecretsProvider.class.getName(), filter,
                () -> refs(SecretsProvider.class, filter).stream().findFirst().map(r -> lazy(r).get()));
    }

    @Override
    public List<Map.Entry<String, RunListener>> listeners() {
        if (loader != null && !listenersLoaded) {
            // only declared listeners: there is no "missing" to fall back on (docs/plugin-authoring.md)
            load(loader, RunListener.class.getName(), null);
            listenersLoaded = true;
        }
        List<Map.Entry<String, RunListener>> out = new ArrayList<>();
        for (ServiceReference<RunListener> r : refs(RunListener.class, null)) {
            Object name = r.getProperty(RunListener.NAME_PROPERTY);
            out.add(Map.entry(name == null ? "" : name.toString(), lazy(r).get()));
        }
        return out;
    }

    @Override
    public Optional<ShippedPlugins> shippedPlugins() {
        ServiceReference<ShippedPlugins> ref = context.getServiceReference(ShippedPlugins.class);
        return ref == null ? Optional.empty() : Optional.ofNullable(context.getService(ref));
    }

    @Override
    public List<BundleInfo> bundles() {
        List<BundleInfo> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            out.add(new BundleInfo(b.getSymbolicName(), b.getVersion().toString(), state(b.getState()),
                    b.getLocation()));
        }
        return out;
    }

    private static String state(int s) {
        switch (s) {
            case Bundle.ACTIVE:
                return "ACTIVE";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            default:
                return "UNINSTALLED";
        }
    }

    @Override
    public void close() {
        try {
            context.removeServiceListener(stepChanges);
        } catch (IllegalStateException e) {
            // the framework is already stopping: the listener goes with it
        }
        stepsByType.clear();
        for (ServiceReference<?> r : obtained.keySet()) {
            try {
                context.ungetService(r);
            } catch (IllegalStateException e) {
                // the framework is already stopping: nothing to release
            }
        }
        obtained.clear();
    }
}
