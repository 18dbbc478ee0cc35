package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.aetherflow.api.step.Step;
import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * A plugin shadows a built-in step type by registering the same type with a higher
 * {@code service.ranking}: the engine reports it and runs it.
 */
@ExtendWith(BundleContextExtension.class)
class ShadowingTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path tmp;

    private ServiceRegistration<Step> shadow;
    private ServiceReference<Application> appRef;
    private Application app;

    @BeforeEach
    void registerShadowAndFindEngine() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Step.TYPE_PROPERTY, "check_items");
        props.put(Constants.SERVICE_RANKING, 100);
        shadow = context.registerService(Step.class, new ShadowCheckItemsStep(), props);
        List<ServiceReference<Application>> refs = Services.await(context, Application.class, null);
        assertFalse(refs.isEmpty(), "no " + Application.class.getName() + " service");
        appRef = refs.get(0);
        app = context.getService(appRef);
    }

    @AfterEach
    void unregister() {
        shadow.unregister();
        if (appRef != null) {
            context.ungetService(appRef);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void pluginsListReportsTheShadowingBundle() {
        EngineFixture.Outcome r = EngineFixture.run(app, tmp, new EngineCommand.PluginsList(true));
        assertEquals(0, r.exit(), r.toString());
        Map<String, Object> report = (Map<String, Object>) io.aetherflow.api.support.Json.parse(r.stdout());
        Map<String, Object> types = (Map<String, Object>) report.get("step_types");
        Map<String, Object> checkItems = (Map<String, Object>) types.get("check_items");
        assertEquals(context.getBundle().getSymbolicName(), checkItems.get("bundle"), r.stdout());
        assertEquals(context.getBundle().getVersion().toString(), checkItems.get("version"), r.stdout());
        assertEquals(100L, ((Number) checkItems.get("ranking")).longValue(), r.stdout());
        Map<String, Object> withLock = (Map<String, Object>) types.get("with_lock");
        assertEquals("io.aetherflow.steps.control", withLock.get("bundle"), "other types keep their built-in");
    }

    @Test
    void runUsesTheShadowingStepAndPromotesItsOutput() throws Exception {
        Path servedBy = tmp.resolve("served_by.txt");
        Path flow = Files.writeString(tmp.resolve("flow.yaml"), String.join("\n",
                "flow:",
                "  id: shadowing",
                "  workspace:",
                "    root: \"" + tmp.resolve("work") + "\"",
                "    cleanup_policy: never",
                "  state:",
                "    path: \"" + tmp.resolve("state/af.sqlite") + "\"",
                "jobs:",
                "  - id: probe",
                "    steps:",
                EngineFixture.stepHead("check", "check_items"),
                "          items: [a, b, c]",
                "        outputs:",
                "          served_by: \"{{result.served_by}}\"",
                "  - id: report",
                "    depends_on: [probe]",
                "    steps:",
                EngineFixture.stepHead("write", "external.process"),
                "          command: [\"/bin/sh\", \"-c\", \"printf %s \\\"$1\\\" > '" + servedBy + "'\", \"sh\","
                        + " \"{{jobs.probe.outputs.served_by}}\"]",
                ""));
        EngineFixture.Outcome r = EngineFixture.run(app, tmp,
                new EngineCommand.Run(flow.toString(), "shadow-1", null, null, false));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(ShadowCheckItemsStep.MARKER, Files.readString(servedBy), r.toString());
    }
}
