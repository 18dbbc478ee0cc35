package io.aetherflow.launcher.testapp;

import io.aetherflow.launch.Application;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Registers {@link TestApplication} as the engine service. */
public final class TestApplicationActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        context.registerService(Application.class, new TestApplication(), null);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
