package io.aetherflow.connectors.jdbc;

import io.aetherflow.launch.PluginLoadException;
import io.aetherflow.launch.PluginLoader;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Asks the launcher to start the driver bundle that declares a driver's
 * {@code org.osgi.service.jdbc.DataSourceFactory} (the driver bundles are not started with the
 * connector: a run starts only the driver it uses). In its own class so that the optional import of
 * the launch package is only touched when this class is used; outside the launcher (no
 * {@link PluginLoader} service) it does nothing.
 */
final class DriverBundles {

    private static final String DATA_SOURCE_FACTORY = "org.osgi.service.jdbc.DataSourceFactory";

    private DriverBundles() {
    }

    /**
     * @param ctx this bundle's context
     * @param driverClass the driver's class name ({@code osgi.jdbc.driver.class})
     * @throws DriverLocator.Missing when the declaring driver bundle does not resolve or start
     */
    static void start(BundleContext ctx, String driverClass) {
        ServiceReference<PluginLoader> ref = ctx.getServiceReference(PluginLoader.class);
        PluginLoader loader = ref == null ? null : ctx.getService(ref);
        if (loader == null) {
            return;
        }
        try {
            loader.load(DATA_SOURCE_FACTORY, "(osgi.jdbc.driver.class=" + driverClass + ")");
        } catch (PluginLoadException e) {
            throw new DriverLocator.Missing("the JDBC driver " + driverClass + " cannot be started: " + e.getMessage(), e);
        } finally {
            ctx.ungetService(ref);
        }
    }
}
