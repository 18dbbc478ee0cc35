package io.aetherflow.runtime.plugins;

import io.aetherflow.api.observe.RunListener;
import io.aetherflow.api.secrets.SecretsProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the installed plugin set provides: step types, connector drivers, secrets providers and run
 * listeners, each with the bundle that serves it. For a type served by several bundles the highest
 * {@code service.ranking} wins (then the lowest service id).
 */
public interface PluginCatalog {

    /**
     * @param type a step type
     * @return the winning binding, or empty when no bundle serves it
     */
    Optional<StepBinding> step(String type);

    /**
     * The step types the installed set provides, without starting a plugin bundle (under the launcher:
     * the registered ones and those the installed bundles declare).
     *
     * @return the type names, sorted
     */
    default Set<String> stepTypeNames() {
        return steps().keySet();
    }

    /** @return the winning binding per step type, sorted by type (starts every plugin bundle) */
    Map<String, StepBinding> steps();

    /** @return every step service, including shadowed ones, best first per type */
    List<StepBinding> allSteps();

    /**
     * @param kind connector kind
     * @param driver driver name or alias
     * @return the winning binding (highest service ranking; on a tie the one registered first), or empty
     */
    Optional<ConnectorBinding> connector(String kind, String driver);

    /**
     * The best driver of a kind, by the same rule as {@link #connector(String, String)}.
     *
     * @param kind connector kind
     * @return the winning binding, or empty when no driver of the kind is installed
     */
    Optional<ConnectorBinding> connector(String kind);

    /** @return every connector factory service */
    List<ConnectorBinding> connectors();

    /**
     * @param name the provider name ({@code AETHERFLOW_SECRETS_MODULE})
     * @return the provider, or empty
     */
    Optional<SecretsProvider> secrets(String name);

    /** @return all run listeners, with their names (null when unnamed) */
    List<Map.Entry<String, RunListener>> listeners();

    /** @return installed bundles (empty outside OSGi) */
    List<BundleInfo> bundles();

    /**
     * The launcher's loader of the plugin jars an asset bundle ships.
     *
     * @return the loader, or empty outside the launcher (then a bundle's jars cannot be loaded)
     */
    default Optional<io.aetherflow.launch.ShippedPlugins> shippedPlugins() {
        return Optional.empty();
    }
}
