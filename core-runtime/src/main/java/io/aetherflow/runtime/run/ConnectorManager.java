package io.aetherflow.runtime.run;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.step.ConnectorUnavailableException;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.runtime.plugins.ConnectorBinding;
import io.aetherflow.runtime.plugins.PluginCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Creates connectors for declared resources, lazily, with the reference's cache policies:
 * {@code none} (a new connector per access, closed by nobody but its user), {@code run} (one per
 * resource for the run, closed at run end; the default) and {@code process} (one per resource for
 * the life of the engine process, shared by the runs of a scheduler). It also creates the ad-hoc
 * connectors steps ask for ({@link #adhoc}): the one place where the driver for them is chosen
 * (ranking and tie-break as for resources) and enterprise policy is applied to them.
 */
public final class ConnectorManager implements AutoCloseable {

    /**
     * Enterprise mode: kinds whose drivers it restricts (archive: the manifest's {@code zip_drivers})
     * are served by declared resources only, never ad hoc; the reference's message.
     */
    private static final Map<String, String> ENTERPRISE_RESOURCE_ONLY = Map.of("archive",
            "Zip/Unzip requires declared archive resource in enterprise mode");

    private final PluginCatalog catalog;
    private final Map<String, ConnectorConfig> resources;
    private final String defaultPolicy;
    private final boolean cacheDisabled;
    private final Map<String, Connector> processCache;
    private final Map<String, Connector> runCache = new LinkedHashMap<>();
    private final BiConsumer<String, Throwable> closeWarning;

    /**
     * @param catalog where drivers come from
     * @param resources resolved resources by name
     * @param defaultPolicy {@code AETHERFLOW_CONNECTOR_CACHE_DEFAULT} (default {@code run})
     * @param cacheDisabled {@code AETHERFLOW_CONNECTOR_CACHE_DISABLED}
     * @param processCache the engine-wide cache for policy {@code process}
     * @param closeWarning receives close failures (resource name, error)
     */
    public ConnectorManager(PluginCatalog catalog, Map<String, ConnectorConfig> resources, String defaultPolicy,
            boolean cacheDisabled, Map<String, Connector> processCache, BiConsumer<String, Throwable> closeWarning) {
        this.catalog = catalog;
        this.resources = resources;
        this.defaultPolicy = defaultPolicy == null || defaultPolicy.isBlank() ? "run" : defaultPolicy;
        this.cacheDisabled = cacheDisabled;
        this.processCache = processCache;
        this.closeWarning = closeWarning;
    }

    /**
     * The connector for a resource.
     *
     * @param <T> the contract
     * @param name resource name
     * @param type contract class
     * @return the connector
     */
    public synchronized <T extends Connector> T get(String name, Class<T> type) {
        ConnectorConfig cfg = resources.get(name);
        if (cfg == null) {
            throw new StepFailedException("Unknown resource: " + name + ". Known: " + new TreeSet<>(resources.keySet())
                    + " (declare it under resources:)");
        }
        String policy = policy(cfg);
        Connector c;
        switch (policy) {
            case "none":
                c = create(cfg);
                break;
            case "process":
                synchronized (processCache) {
                    String key = cfg.kind() + ":" + cfg.driver() + ":" + name;
                    c = processCache.get(key);
                    if (c == null) {
                        c = create(cfg);
                        processCache.put(key, c);
                    }
                }
                break;
            default:
                c = runCache.get(name);
                if (c == null) {
                    c = create(cfg);
                    runCache.put(name, c);
                }
        }
        if (!type.isInstance(c)) {
            throw new StepFailedException("Resource " + name + " is kind=" + cfg.kind() + " driver=" + cfg.driver()
                    + ", but the step needs a " + type.getSimpleName() + " connector: check the resource's kind");
        }
        return type.cast(c);
    }

    /**
     * @param name a resource name
     * @return whether the run declares it
     */
    public boolean has(String name) {
        return resources.containsKey(name);
    }

    /**
     * Creates an ad-hoc connector, as {@link io.aetherflow.api.step.StepContext#adhocConnector} describes:
     * enterprise policy first, then each preferred name's winning driver (or the kind's best driver
     * when no name is given); a driver that refuses is skipped with its reason.
     *
     * @param <T> the contract
     * @param name the connector's name (the step id)
     * @param kind connector kind
     * @param contract contract class
     * @param options the connector's options
     * @param enterprise step-level enterprise mode ({@code AETHERFLOW_MODE_ENTERPRISE})
     * @param preferredDrivers names or aliases, best first; empty: any driver of the kind
     * @return a new, uncached connector the caller closes
     * @throws ConnectorUnavailableException nothing installed serves the request
     * @throws StepFailedException enterprise policy refuses the kind
     */
    public <T extends Connector> T adhoc(String name, String kind, Class<T> contract, Map<String, Object> options,
            boolean enterprise, String... preferredDrivers) {
        String refusal = enterprise ? ENTERPRISE_RESOURCE_ONLY.get(kind) : null;
        if (refusal != null) {
            throw new StepFailedException(refusal);
        }
        // (name the connector is created under, the driver that wins that name)
        List<Map.Entry<String, ConnectorBinding>> candidates = new ArrayList<>();
        if (preferredDrivers.length == 0) {
            catalog.connector(kind).ifPresent(b -> candidates.add(Map.entry(b.driver(), b)));
        } else {
            for (String d : preferredDrivers) {
                catalog.connector(kind, d).ifPresent(b -> candidates.add(Map.entry(d, b)));
            }
        }
        Map<String, Object> opts = options == null ? Map.of() : options;
        List<String> reasons = new ArrayList<>();
        Throwable first = null;
        for (Map.Entry<String, ConnectorBinding> c : candidates) {
            ConnectorBinding b = c.getValue();
            ConnectorConfig cfg = new ConnectorConfig(name, kind, c.getKey(), Map.of(), opts);
            try {
                Connector made = b.factory().get().create(cfg);
                if (contract.isInstance(made)) {
                    return contract.cast(made);
                }
                if (made != null) {
                    made.close();
                }
                reasons.add(kind + ":" + c.getKey() + " (" + b.bundle() + ") does not implement "
                        + contract.getSimpleName());
            } catch (ConnectorException e) {
                reasons.add(e.getMessage());
                first = first == null ? e : first;
            }
        }
        String asked = preferredDrivers.length == 0 ? kind : kind + ":" + String.join("|", preferredDrivers);
        throw new ConnectorUnavailableException(reasons.isEmpty()
                ? "No installed connector serves " + asked + " (install a bundle that serves it or declare a resource)"
                : "No installed connector serves " + asked + ": " + String.join("; ", reasons), kind, reasons, first);
    }

    private String policy(ConnectorConfig cfg) {
        if (cacheDisabled) {
            return "none";
        }
        Object p = cfg.options().get("cache");
        if (p != null) {
            return p.toString().trim().toLowerCase(Locale.ROOT);
        }
        return defaultPolicy.trim().toLowerCase(Locale.ROOT);
    }

    private Connector create(ConnectorConfig cfg) {
        ConnectorBinding b = catalog.connector(cfg.kind(), cfg.driver()).orElseThrow(() -> {
            List<String> loaded = new ArrayList<>();
            for (ConnectorBinding cb : catalog.connectors()) {
                loaded.add(cb.kind() + ":" + cb.driver());
            }
            return new StepFailedException("Unknown connector: " + cfg.kind() + ":" + cfg.driver() + " (resource "
                    + cfg.name() + "). Loaded: " + new TreeSet<>(loaded) + " (install a bundle that serves it)");
        });
        try {
            Connector c = b.factory().get().create(cfg);
            if (c == null) {
                throw new StepFailedException("Connector factory " + b.bundle() + " returned nothing for resource "
                        + cfg.name());
            }
            return c;
        } catch (ConnectorException e) {
            throw new StepFailedException("Resource " + cfg.name() + " (" + cfg.kind() + ":" + cfg.driver() + "): "
                    + e.getMessage(), e);
        }
    }

    /** Closes the run-scoped connectors; failures go to the warning callback. */
    @Override
    public synchronized void close() {
        for (Map.Entry<String, Connector> e : runCache.entrySet()) {
            try {
                e.getValue().close();
            } catch (Exception | LinkageError ex) {
                closeWarning.accept(e.getKey(), ex);
            }
        }
        runCache.clear();
    }
}
