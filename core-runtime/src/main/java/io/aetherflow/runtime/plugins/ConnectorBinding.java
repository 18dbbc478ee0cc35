package io.aetherflow.runtime.plugins;

import io.aetherflow.api.connector.ConnectorFactory;
import java.util.List;
import java.util.function.Supplier;

/**
 * A connector driver and the bundle that serves it.
 *
 * @param kind connector kind
 * @param driver driver name
 * @param aliases other driver names it answers to
 * @param bundle symbolic name of the serving bundle
 * @param version version of the serving bundle
 * @param ranking service ranking
 * @param factory obtains the factory service
 */
public record ConnectorBinding(String kind, String driver, List<String> aliases, String bundle, String version,
        int ranking, Supplier<ConnectorFactory> factory) {

    /**
     * @param name a driver name from a flow
     * @return true when this binding answers to it
     */
    public boolean answers(String name) {
        return driver.equals(name) || aliases.contains(name);
    }
}
