package io.aetherflow.connectors.jdbc;

import java.sql.Driver;
import java.sql.SQLException;
import java.util.Collection;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * The OSGi JDBC service lookup, in its own class so that the optional import of
 * {@code org.osgi.service.jdbc} is only touched when this class is used.
 */
final class DataSourceFactories {

    private DataSourceFactories() {
    }

    /**
     * @param ctx this bundle's context
     * @param driverClass the driver's class name ({@code osgi.jdbc.driver.class})
     * @return a driver from the highest-ranked matching service, or null when none is registered
     */
    static Driver driver(BundleContext ctx, String driverClass) {
        Collection<ServiceReference<DataSourceFactory>> refs;
        try {
            refs = ctx.getServiceReferences(DataSourceFactory.class,
                    "(" + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=" + driverClass + ")");
        } catch (InvalidSyntaxException e) {
            return null;
        }
        ServiceReference<DataSourceFactory> best = refs.stream().max(ServiceReference::compareTo).orElse(null);
        if (best == null) {
            return null;
        }
        DataSourceFactory f = ctx.getService(best);
        if (f == null) {
            return null;
        }
        try {
            return f.createDriver(null);
        } catch (SQLException e) {
            return null;
        } finally {
            ctx.ungetService(best);
        }
    }
}
