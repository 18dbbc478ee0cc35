package io.aetherflow.container;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import io.aetherflow.launch.Application;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The assembled plugin set in a real Felix 7.0.5 (Pax Exam native container): exactly the jars of the
 * distribution's plugins.lock are installed from their files, they resolve and start, every step type and
 * connector driver their components declare is registered by its bundle, and a vendor bundle can be
 * added and removed at run time.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginSetContainerTest {

    private static final String STEP = "io.aetherflow.api.step.Step";
    private static final String CONNECTOR_FACTORY = "io.aetherflow.api.connector.ConnectorFactory";
    private static final long WAIT_MS = 15_000;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws Exception {
        List<Option> options = new ArrayList<>();
        // as the launcher does: the launch interface comes from the framework's class path
        options.add(systemPackages("io.aetherflow.launch;version=" + Application.PACKAGE_VERSION));
        options.add(frameworkProperty("felix.log.level").value("1"));
        options.add(workingDirectory(System.getProperty("container.work.dir", "target/pax-exam")));
        for (PluginSet.Entry e : PluginSet.lock()) {
            options.add(bundle(e.jar().toUri().toString()));
        }
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }

    @Test
    public void exactlyTheLockedBundlesAreInstalledAndActive() throws Exception {
        Map<String, Bundle> byLocation = new LinkedHashMap<>();
        for (Bundle b : context.getBundles()) {
            byLocation.put(b.getLocation(), b);
        }
        for (PluginSet.Entry e : PluginSet.lock()) {
            Bundle b = byLocation.get(e.jar().toUri().toString());
            assertNotNull(e.symbolicName() + " (" + e.jar() + ") is not installed", b);
            assertEquals(e.jar() + " symbolic name", e.symbolicName(), b.getSymbolicName());
            assertEquals(e.symbolicName() + " version", e.version(), b.getVersion().toString());
            assertEquals(e.jar() + " is the locked file", e.sha256(), PluginSet.sha256(e.jar()));
            BundleRevision rev = b.adapt(BundleRevision.class);
            boolean fragment = rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            assertEquals(e.symbolicName() + " state", fragment ? Bundle.RESOLVED : Bundle.ACTIVE, b.getState());
        }
        // nothing of ours, beyond the lock, is in the framework
        Set<String> locked = new TreeSet<>();
        for (PluginSet.Entry e : PluginSet.lock()) {
            locked.add(e.symbolicName());
        }
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("io.aetherflow.")) {
                assertTrue(bsn + " is installed but not in plugins.lock", locked.contains(bsn));
            }
        }
    }

    @Test
    public void everyDeclaredStepTypeAndDriverIsRegisteredByItsBundle() throws Exception {
        int steps = 0;
        int drivers = 0;
        for (PluginSet.Entry e : PluginSet.lock()) {
            for (PluginSet.Declared d : PluginSet.declared(e.jar())) {
                if (d.property().equals("connector")) {
                    String[] kd = d.value().split(":", 2);
                    awaitService(CONNECTOR_FACTORY, "(&(aetherflow.connector.kind=" + kd[0] + ")(aetherflow.connector.driver="
                            + kd[1] + "))", e.symbolicName());
                    drivers++;
                } else {
                    awaitService(STEP, "(aetherflow.step.type=" + d.value() + ")", e.symbolicName());
                    steps++;
                }
            }
        }
        // the built-in families: process, control, http, mail, transfer, archive steps; http, mail, sftp, smb, archive drivers
        assertTrue("only " + steps + " step types declared", steps >= 8);
        assertTrue("only " + drivers + " connector drivers declared", drivers >= 5);
    }

    @Test
    public void aVendorBundleIsAddedAndRemoved() throws Exception {
        Path jar = PluginSet.vendorJar();
        List<PluginSet.Declared> declared = PluginSet.declared(jar);
        assertFalse(jar + " declares no step type", declared.isEmpty());
        String type = declared.get(0).value();
        String filter = "(aetherflow.step.type=" + type + ")";

        Bundle vendor = context.installBundle(jar.toUri().toString());
        try {
            vendor.start();
            assertEquals(Bundle.ACTIVE, vendor.getState());
            ServiceReference<?> ref = awaitService(STEP, filter, vendor.getSymbolicName());
            Object step = context.getService(ref);
            assertNotNull("the vendor step activates", step);
            context.ungetService(ref);
        } finally {
            vendor.uninstall();
        }
        assertEquals(Bundle.UNINSTALLED, vendor.getState());
        for (ServiceReference<?> r : refs(STEP, filter)) {
            assertTrue(type + " still registered by the removed bundle", r.getBundle() != vendor);
        }
        // the built-in set is untouched
        assertNull("a vendor bundle stays in the framework", findBundle(vendor.getSymbolicName()));
        awaitService(STEP, "(aetherflow.step.type=external.process)", "io.aetherflow.steps.process");
    }

    private Bundle findBundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private List<ServiceReference<?>> refs(String clazz, String filter) throws Exception {
        ServiceReference<?>[] found = context.getAllServiceReferences(clazz, filter);
        return found == null ? List.of() : List.of(found);
    }

    private ServiceReference<?> awaitService(String clazz, String filter, String bundle) throws Exception {
        long end = System.currentTimeMillis() + WAIT_MS;
        List<ServiceReference<?>> seen;
        do {
            seen = refs(clazz, filter);
            for (ServiceReference<?> r : seen) {
                if (bundle.equals(r.getBundle().getSymbolicName())) {
                    return r;
                }
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < end);
        throw new AssertionError("no " + clazz + " " + filter + " registered by " + bundle + " within " + WAIT_MS
                + " ms (seen: " + seen + ")");
    }
}
