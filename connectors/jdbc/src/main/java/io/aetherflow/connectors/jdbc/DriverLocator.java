package io.aetherflow.connectors.jdbc;

import java.sql.Driver;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Finds a JDBC driver without {@link java.sql.DriverManager}: inside OSGi, the driver's
 * {@code org.osgi.service.jdbc.DataSourceFactory} service when it registers one (PostgreSQL, H2; under
 * the launcher, its bundle is started on this first use through the launch package's
 * {@code PluginLoader}), else
 * the {@link Driver} class loaded through this bundle's dynamic imports of the driver packages; outside
 * OSGi (unit tests), the class from the class path.
 */
final class DriverLocator {

    private DriverLocator() {
    }

    /** The driver is not installed; the message says which and what to do. */
    static final class Missing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Missing(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param driverClass the driver's class name
     * @return a driver instance
     * @throws Missing when no installed bundle provides it
     */
    static Driver driver(String driverClass) {
        Bundle own = FrameworkUtil.getBundle(DriverLocator.class);
        BundleContext ctx = own == null ? null : own.getBundleContext();
        if (ctx != null) {
            try {
                DriverBundles.start(ctx, driverClass);
            } catch (NoClassDefFoundError e) {
                // io.aetherflow.launch not wired (not under the launcher): the driver bundles are started already
            }
            try {
                Driver d = DataSourceFactories.driver(ctx, driverClass);
                if (d != null) {
                    return d;
                }
            } catch (NoClassDefFoundError e) {
                // org.osgi.service.jdbc not wired: load the class below
            }
        }
        try {
            Class<?> c = Class.forName(driverClass, true, DriverLocator.class.getClassLoader());
            return (Driver) c.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new Missing("the JDBC driver " + driverClass + " is not installed (add its bundle to the plugin"
                    + " set: aetherflow plugins add <driver jar>; see docs/connectors-db.md)", e);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new Missing("the JDBC driver " + driverClass + " cannot be created: " + e, e);
        }
    }
}
