package io.aetherflow.runtime.plugins;

import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.observe.RunListener;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.api.step.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A plugin catalog built from plain objects: used when the engine runs outside a framework (unit
 * tests, tools). Same ranking rules as the OSGi catalog.
 */
public final class StaticPluginCatalog implements PluginCatalog {

    private final List<StepBinding> steps = new ArrayList<>();
    private final List<ConnectorBinding> connectors = new ArrayList<>();
    private final Map<String, SecretsProvider> secrets = new LinkedHashMap<>();
    private final List<Map.Entry<String, RunListener>> listeners = new ArrayList<>();

    /**
     * Adds a step type.
     *
     * @param type step type
     * @param step implementation
     * @param bundle pretend bundle name
     * @param ranking service ranking
     * @return this
     */
    public StaticPluginCatalog step(String type, Step step, String bundle, int ranking) {
        steps.add(new StepBinding(type, bundle, "0.0.0", ranking, () -> step));
        return this;
    }

    /**
     * Adds a connector driver.
     *
     * @param kind kind
     * @param driver driver
     * @param aliases aliases
     * @param factory factory
     * @return this
     */
    public StaticPluginCatalog connector(String kind, String driver, List<String> aliases, ConnectorFactory factory) {
        return connector(kind, driver, aliases, 0, factory);
    }

    /**
     * Adds a connector driver with a service ranking; on equal rankings the one added first wins.
     *
     * @param kind kind
     * @param driver driver
     * @param aliases aliases
     * @param ranking service ranking
     * @param factory factory
     * @return this
     */
    public StaticPluginCatalog connector(String kind, String driver, List<String> aliases, int ranking,
            ConnectorFactory factory) {
        connectors.add(new ConnectorBinding(kind, driver, List.copyOf(aliases), "static", "0.0.0", ranking,
                () -> factory));
        return this;
    }

    /**
     * Adds a secrets provider.
     *
     * @param name provider name
     * @param provider provider
     * @return this
     */
    public StaticPluginCatalog secrets(String name, SecretsProvider provider) {
        secrets.put(name, provider);
        return this;
    }

    /**
     * Adds a run listener.
     *
     * @param name listener name or null
     * @param listener listener
     * @return this
     */
    public StaticPluginCatalog listener(String name, RunListener listener) {
        listeners.add(Map.entry(name == null ? "" : name, listener));
        return this;
    }

    @Override
    public Optional<StepBinding> step(String type) {
        return steps.stream().filter(s -> s.type().equals(type))
                .max(Comparator.comparingInt(StepBinding::ranking));
    }

    @Override
    public Map<String, StepBinding> steps() {
        Map<String, StepBinding> out = new TreeMap<>();
        for (StepBinding s : steps) {
            out.merge(s.type(), s, (a, b) -> b.ranking() > a.ranking() ? b : a);
        }
        return out;
    }

    @Override
    public List<StepBinding> allSteps() {
        return List.copyOf(steps);
    }

    @Override
    public Optional<ConnectorBinding> connector(String kind, String driver) {
        return connectors.stream().filter(c -> c.kind().equals(kind) && c.answers(driver))
                .max(Comparator.comparingInt(ConnectorBinding::ranking));
    }

    @Override
    public Optional<ConnectorBinding> connector(String kind) {
        // max keeps the first of equal elements: the one added first wins a tie, like the lower service id
        return connectors.stream().filter(c -> c.kind().equals(kind)).max(Comparator.comparingInt(ConnectorBinding::ranking));
    }

    @Override
    public List<ConnectorBinding> connectors() {
        return List.copyOf(connectors);
    }

    @Override
    public Optional<SecretsProvider> secrets(String name) {
        return Optional.ofNullable(secrets.get(name));
    }

    @Override
    public List<Map.Entry<String, RunListener>> listeners() {
        return List.copyOf(listeners);
    }

    @Override
    public List<BundleInfo> bundles() {
        return List.of();
    }
}
