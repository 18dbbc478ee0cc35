package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.step.Step;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The registration checks the connector tests share: a connector factory found the way a flow names
 * it ({@code kind} and {@code driver} or one of its aliases), the connector it creates, and the step
 * types a bundle serves.
 */
final class Registrations {

    private Registrations() {
    }

    /**
     * Asserts that {@code kind:name} ({@code name} a driver or an alias) is served by {@code bundle}
     * as driver {@code driver}.
     *
     * @return the best-ranked matching factory
     */
    static ServiceReference<ConnectorFactory> factory(BundleContext ctx, String kind, String name, String bundle,
            String driver) throws Exception {
        String what = kind + ":" + name;
        List<ServiceReference<ConnectorFactory>> refs = Services.await(ctx, ConnectorFactory.class,
                "(&(" + ConnectorFactory.KIND_PROPERTY + "=" + kind + ")(|(" + ConnectorFactory.DRIVER_PROPERTY + "="
                        + name + ")(" + ConnectorFactory.ALIASES_PROPERTY + "=" + name + ")))");
        assertFalse(refs.isEmpty(), "no ConnectorFactory for " + what);
        ServiceReference<ConnectorFactory> ref = refs.get(0);
        assertEquals(bundle, ref.getBundle().getSymbolicName(), what);
        assertEquals(driver, ref.getProperty(ConnectorFactory.DRIVER_PROPERTY), what);
        return ref;
    }

    /**
     * Creates resource {@code resource} ({@code kind:name} with {@code config}) from the factory
     * {@link #factory} finds, asserts it is a {@code type} that reports its configuration, closes it
     * and releases the service.
     */
    static void creates(BundleContext ctx, ServiceReference<ConnectorFactory> ref, Class<? extends Connector> type,
            String resource, String name, Map<String, Object> config) throws Exception {
        String kind = String.valueOf(ref.getProperty(ConnectorFactory.KIND_PROPERTY));
        ConnectorFactory factory = ctx.getService(ref);
        try (Connector c = factory.create(new ConnectorConfig(resource, kind, name, config, Map.of()))) {
            assertInstanceOf(type, c);
            assertEquals(resource, c.config().name());
        } finally {
            ctx.ungetService(ref);
        }
    }

    /** Asserts that the best-ranked {@code Step} service of each type comes from {@code bundle}. */
    static void stepsServedBy(BundleContext ctx, String bundle, String... types) throws Exception {
        for (String type : types) {
            List<ServiceReference<Step>> steps = Services.await(ctx, Step.class, "(" + Step.TYPE_PROPERTY + "=" + type + ")");
            assertFalse(steps.isEmpty(), "no Step service for " + type);
            assertEquals(bundle, steps.get(0).getBundle().getSymbolicName(), type);
        }
    }
}
