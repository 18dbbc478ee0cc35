package io.aetherflow.runtime.run;

import io.aetherflow.runtime.plugins.OsgiPluginCatalog;
import io.aetherflow.runtime.state.StateStoreException;
import io.aetherflow.runtime.state.StateUrl;
import java.sql.SQLException;
import java.util.Collection;
import javax.sql.DataSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * How the engine (a private bundle that does not embed or import the driver) reaches PostgreSQL:
 * the driver bundle of the plugin set ({@code org.postgresql.jdbc}) registers an
 * {@link DataSourceFactory} service with {@code osgi.jdbc.driver.class=org.postgresql.Driver};
 * the highest-ranked one creates the {@link DataSource} from {@link StateUrl#driverProperties()}.
 * The same way {@code connectors/jdbc} finds drivers; no {@code DriverManager}, no class loading
 * by name, so the driver stays replaceable by the plugin set.
 */
final class PgDriver {

    static final String DRIVER_CLASS = "org.postgresql.Driver";

    private PgDriver() {
    }

    /**
     * @param url the state URL
     * @return a data source for it
     * @throws StateStoreException when no driver service is registered
     */
    static DataSource dataSource(StateUrl url) {
        Bundle bundle = FrameworkUtil.getBundle(PgDriver.class);
        BundleContext ctx = bundle == null ? null : bundle.getBundleContext();
        if (ctx == null) {
            throw missing(url, "not running in the OSGi host");
        }
        Collection<ServiceReference<DataSourceFactory>> refs;
        // under the launcher the driver bundle starts when first needed
        OsgiPluginCatalog.ensure(ctx, "org.osgi.service.jdbc.DataSourceFactory", "(osgi.jdbc.driver.class=" + DRIVER_CLASS + ")");
        try {
            refs = ctx.getServiceReferences(DataSourceFactory.class,
                    "(" + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=" + DRIVER_CLASS + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (NoClassDefFoundError e) {
            throw missing(url, "the org.osgi.service.jdbc API bundle is not installed");
        }
        ServiceReference<DataSourceFactory> best = refs.stream().max(ServiceReference::compareTo).orElse(null);
        DataSourceFactory f = best == null ? null : ctx.getService(best);
        if (f == null) {
            throw missing(url, "no DataSourceFactory service for " + DRIVER_CLASS);
        }
        try {
            return f.createDataSource(url.driverProperties());
        } catch (SQLException e) {
            throw new StateStoreException("state store " + url.masked() + ": the PostgreSQL driver refused the URL: "
                    + url.scrub(String.valueOf(e.getMessage())), e);
        }
    }

    private static StateStoreException missing(StateUrl url, String why) {
        return new StateStoreException("state store " + url.masked() + ": no PostgreSQL driver (" + why
                + "): keep the org.postgresql.jdbc bundle in the plugin set (plugins.lock)");
    }
}
