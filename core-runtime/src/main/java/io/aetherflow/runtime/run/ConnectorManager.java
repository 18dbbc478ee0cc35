package io.aetherflow.runtime.run;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
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
 * the life of the engine process, shared by the runs of a scheduler).
 */
public final class ConnectorManager implements AutoCloseable {

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
