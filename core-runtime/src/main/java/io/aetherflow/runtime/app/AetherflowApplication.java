package io.aetherflow.runtime.app;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import io.aetherflow.launch.LaunchInfo;
import io.aetherflow.runtime.cli.Cli;
import io.aetherflow.runtime.plugins.OsgiPluginCatalog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The engine's entry point for the launcher: one CLI command per call. Runs on the caller's thread;
 * {@link #interrupt(String)} interrupts that thread, which the runner turns into an INTERRUPTED run
 * and exit code 130.
 */
@Component(service = Application.class, immediate = true)
public final class AetherflowApplication implements Application {

    private final AtomicReference<Thread> running = new AtomicReference<>();
    private final Map<String, Connector> processCache = new HashMap<>();
    private BundleContext context;

    /** @param context the engine bundle's context */
    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Deactivate
    void deactivate() {
        synchronized (processCache) {
            for (Connector c : processCache.values()) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort at shutdown: the process is ending
                }
            }
            processCache.clear();
        }
    }

    @Override
    public int run(EngineCommand command, LaunchInfo info) {
        Thread self = Thread.currentThread();
        running.set(self);
        try (OsgiPluginCatalog catalog = new OsgiPluginCatalog(context)) {
            Cli cli = new Cli(catalog, info, System.out, System.err, System.getenv(),
                    Path.of("").toAbsolutePath(), processCache);
            return cli.execute(command);
        } finally {
            running.compareAndSet(self, null);
            System.out.flush();
            System.err.flush();
        }
    }

    @Override
    public void interrupt(String signal) {
        Thread t = running.get();
        if (t != null) {
            t.interrupt();
        }
    }
}
