package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.Step;
import io.aetherflow.api.support.Json;
import io.aetherflow.launch.EngineCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in step type is a Step service of its own bundle, and the whole set resolves. */
@ExtendWith(BundleContextExtension.class)
class StepRegistrationTest {

    @InjectBundleContext
    BundleContext context;

    @ParameterizedTest(name = "{0} is served by {1}")
    @CsvSource({
        "external.process, io.aetherflow.steps.process",
        "with_lock,        io.aetherflow.steps.control",
        "check_items,      io.aetherflow.steps.control",
    })
    void builtInStepTypeIsRegisteredByItsBundle(String type, String bundle) throws Exception {
        List<ServiceReference<Step>> refs = Services.await(context, Step.class, "(" + Step.TYPE_PROPERTY + "=" + type + ")");
        assertFalse(refs.isEmpty(), "no Step service with " + Step.TYPE_PROPERTY + "=" + type);
        ServiceReference<Step> builtIn = refs.stream().filter(r -> bundle.equals(r.getBundle().getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError(type + " is not registered by " + bundle + ": " + refs));
        assertEquals(type, builtIn.getProperty(Step.TYPE_PROPERTY));
        assertTrue(List.of((String[]) builtIn.getProperty("objectClass")).contains(Step.class.getName()));
        Step step = context.getService(builtIn);
        try {
            assertNotNull(step, "the component activates");
        } finally {
            context.ungetService(builtIn);
        }
    }

    /** One transfer component per operation serves both families: the engine binds and lists each type. */
    @Test
    @SuppressWarnings("unchecked")
    void aServiceServingSeveralTypesIsBoundOnceAType(@TempDir Path home) throws Exception {
        List<String> types = List.of("sftp_list_files", "smb_list_files", "sftp_upload_files", "smb_upload_files");
        ServiceReference<Step> list = Services.await(context, Step.class, "(" + Step.TYPE_PROPERTY + "=smb_list_files)").get(0);
        assertEquals(List.of("sftp_list_files", "smb_list_files"), List.of((String[]) list.getProperty(Step.TYPE_PROPERTY)));
        EngineFixture.Outcome r = EngineFixture.run(context, home, new EngineCommand.PluginsList(true));
        assertEquals(0, r.exit(), r.toString());
        Map<String, Object> stepTypes = (Map<String, Object>) ((Map<String, Object>) Json.parse(r.stdout())).get("step_types");
        for (String type : types) {
            Map<String, Object> served = (Map<String, Object>) stepTypes.get(type);
            assertNotNull(served, type + " is not listed: " + stepTypes.keySet());
            assertEquals("io.aetherflow.steps.transfer", served.get("bundle"), type);
        }
    }

    @Test
    void everyBundleResolvesAndNonFragmentsAreActive() {
        for (Bundle b : context.getBundles()) {
            BundleRevision rev = b.adapt(BundleRevision.class);
            boolean fragment = rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            assertEquals(expected, b.getState(), b.getSymbolicName() + " " + b.getVersion() + " state");
        }
    }
}
