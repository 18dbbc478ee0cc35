package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/** The core runtime registers the launch interface the launcher calls. */
@ExtendWith(BundleContextExtension.class)
class ApplicationServiceTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    @Test
    void coreRuntimeRegistersTheApplicationService() throws Exception {
        List<ServiceReference<Application>> refs = Services.await(context, Application.class, null);
        assertFalse(refs.isEmpty(), "no " + Application.class.getName() + " service");
        assertEquals("io.aetherflow.core.runtime", refs.get(0).getBundle().getSymbolicName());
        Application app = context.getService(refs.get(0));
        try {
            EngineFixture.Outcome version = EngineFixture.run(app, home, new EngineCommand.Version(false));
            assertEquals(0, version.exit(), version.toString());
            assertTrue(version.stdout().startsWith("aetherflow 0.1.0"), version.toString());
        } finally {
            context.ungetService(refs.get(0));
        }
    }
}
