package io.aetherflow.launcher.testapp;

import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Registers a {@link Runnable} with the properties {@code kind} (the bundle's {@code X-Kind} header),
 * {@code rank} (7) and {@code aliases} ({@code x-KIND}, {@code y-KIND}), as the test descriptors declare them.
 */
public final class ServiceActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        String kind = context.getBundle().getHeaders("").get("X-Kind");
        props.put("kind", kind);
        props.put("rank", 7);
        props.put("aliases", new String[] {"x-" + kind, "y-" + kind});
        context.registerService(Runnable.class, () -> { }, props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
