package io.aetherflow.launch;

import java.util.Set;

/**
 * Starts plugin bundles when the engine first needs them. The launcher installs every locked bundle but
 * resolves and starts only the core ones (the component runtime, the engine and what they are wired
 * to); it registers this service in the system bundle, and the engine asks it for a service before it
 * looks the service up. Which bundle declares which service is known without starting it: from each
 * bundle's Declarative Services descriptors ({@code Service-Component}) and its
 * {@code Provide-Capability: osgi.service} header (docs/plugin-authoring.md, "How the engine finds
 * your bundle").
 *
 * <p>Methods are thread-safe and may be called from any engine thread (a scheduler fire, a step).
 *
 * @since 2.2.0
 */
public interface PluginLoader {

    /**
     * Makes the services of an interface available: resolves and starts every installed bundle that
     * declares one matching {@code filter} (and, transitively, the bundles it is wired to), then waits
     * until such a service is registered.
     *
     * @param objectClass the service interface name, e.g. {@code io.aetherflow.api.step.Step}
     * @param filter an LDAP filter on the service properties, or null for any service of the interface
     * @return true when a matching service is registered now, false when no installed bundle declares one
     *         (the caller may then {@link #loadAll()}, for bundles that register services in code)
     * @throws PluginLoadException when a declaring bundle does not resolve or its activator fails
     */
    boolean load(String objectClass, String filter);

    /**
     * Resolves and starts every installed bundle that is not started yet (what every launch did before
     * 2.2). Bundles that do not resolve stay installed; they are reported once on standard error.
     */
    void loadAll();

    /**
     * The values of a service property over every declared service of an interface, started or not:
     * e.g. the step types of the installed set, without starting a bundle.
     *
     * @param objectClass the service interface name
     * @param property the property name
     * @return the values (array and collection properties contribute each element)
     */
    Set<String> declared(String objectClass, String property);
}
