package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * A step asks its {@link StepContext} for an ad-hoc connector and the engine picks the driver from
 * the service registry: the highest {@code service.ranking}, on a tie the service registered first
 * (lowest {@code service.id}), the same rule as for a declared resource. (Enterprise mode's refusal
 * of ad-hoc archives needs the mode in the process environment: ConnectorManagerTest and ArchiveIT.)
 */
@ExtendWith(BundleContextExtension.class)
class AdhocConnectorTest {

    static final String KIND = "itest_probe";

    /** The test's per-kind contract: says which driver served. */
    interface Probe extends Connector {
        String servedBy();
    }

    /** Asks for an ad-hoc connector of {@code inputs.kind}, preferring {@code inputs.prefer}, and writes who served. */
    static final class AdhocStep implements Step {
        @Override
        public StepResult run(StepContext ctx) throws Exception {
            List<String> prefer = new ArrayList<>();
            ctx.inputs().list("prefer").forEach(p -> prefer.add(String.valueOf(p)));
            try (Probe p = ctx.adhocConnector(ctx.inputs().string("kind"), Probe.class,
                    ctx.inputs().section("options").asMap(), prefer.toArray(String[]::new))) {
                Files.writeString(Path.of(ctx.inputs().string("report")), p.servedBy() + " as "
                        + p.config().driver() + " named " + p.config().name() + " " + p.config().options());
            }
            return StepResult.success(Map.of());
        }
    }

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path tmp;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    private void driver(String kind, String driver, int ranking) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(ConnectorFactory.KIND_PROPERTY, kind);
        props.put(ConnectorFactory.DRIVER_PROPERTY, driver);
        props.put(ConnectorFactory.ALIASES_PROPERTY, new String[] {"probe"});
        props.put(Constants.SERVICE_RANKING, ranking);
        ConnectorFactory f = cfg -> new Probe() {
            @Override
            public ConnectorConfig config() {
                return cfg;
            }

            @Override
            public String servedBy() {
                return driver;
            }
        };
        registrations.add(context.registerService(ConnectorFactory.class, f, props));
    }

    @BeforeEach
    void registerDriversAndStep() throws Exception {
        driver(KIND, "low", -5);
        driver(KIND, "first", 7);
        driver(KIND, "second", 7); // same ranking, registered later: a higher service id
        driver(KIND, "zlast", 0);
        driver("archive", "itest-archive", 1000); // outranks the shipped archive drivers
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Step.TYPE_PROPERTY, "itest_adhoc");
        registrations.add(context.registerService(Step.class, new AdhocStep(), props));
    }

    @AfterEach
    void unregister() {
        registrations.forEach(ServiceRegistration::unregister);
    }

    private EngineFixture.Outcome run(String id, String kind, String prefer) throws Exception {
        String yaml = """
                flow:
                  id: adhoc
                  workspace: {root: "%s", cleanup_policy: never}
                  state: {path: "%s"}
                jobs:
                  - id: probe
                    steps:
                      - id: ask
                        type: itest_adhoc
                        inputs: {kind: %s, prefer: %s, options: {timeout: 3}, report: "%s"}
                """.formatted(tmp.resolve("work"), tmp.resolve("state/af.sqlite"), kind, prefer, tmp.resolve(id + ".txt"));
        Path flow = Files.writeString(tmp.resolve(id + ".yaml"), yaml);
        List<ServiceReference<Application>> engines = Services.await(context, Application.class, null);
        assertFalse(engines.isEmpty(), "the engine registered no " + Application.class.getName());
        try {
            return EngineFixture.run(context.getService(engines.get(0)), tmp,
                    new EngineCommand.Run(flow.toString(), id, null, null, false));
        } finally {
            context.ungetService(engines.get(0));
        }
    }

    @Test
    void theEngineAppliesRankingThenTheEarliestRegistrationToAdHocConnectors() throws Exception {
        EngineFixture.Outcome r = run("adhoc-1", KIND, "[probe]");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("first as probe named ask {timeout=3}", Files.readString(tmp.resolve("adhoc-1.txt")));
        // no preference: the kind's best driver under its own name, same rule
        r = run("adhoc-2", KIND, "[]");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("first as first named ask {timeout=3}", Files.readString(tmp.resolve("adhoc-2.txt")));
        // preferences in order: a name nobody answers is passed over
        r = run("adhoc-3", KIND, "[nobody, zlast, probe]");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("zlast as zlast named ask {timeout=3}", Files.readString(tmp.resolve("adhoc-3.txt")));
    }

    @Test
    void anAdHocConnectorOfAShippedKindComesFromTheBestRankedDriverToo() throws Exception {
        // a driver registered for the shipped archive kind with a higher ranking wins over the shipped ones
        EngineFixture.Outcome r = run("adhoc-4", "archive", "[probe]");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("itest-archive as probe named ask {timeout=3}", Files.readString(tmp.resolve("adhoc-4.txt")));
    }
}
