package io.aetherflow.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorManagerTest {

    /** A per-kind contract, as core-api's remote-files or mail contracts will be. */
    interface Greeter extends Connector {
        String greet();
    }

    private final List<String> closed = new ArrayList<>();

    private StaticPluginCatalog catalog() {
        return new StaticPluginCatalog().connector("greet", "plain", List.of("legacy"), cfg -> new Greeter() {
            @Override
            public ConnectorConfig config() {
                return cfg;
            }

            @Override
            public String greet() {
                return "hello " + cfg.config().get("who");
            }

            @Override
            public void close() {
                closed.add(cfg.name());
            }
        });
    }

    private static Map<String, ConnectorConfig> resources(Map<String, Object> options) {
        Map<String, ConnectorConfig> m = new LinkedHashMap<>();
        m.put("g", new ConnectorConfig("g", "greet", "legacy", Map.of("who", "ops"), options));
        m.put("other", new ConnectorConfig("other", "db", "nothing", Map.of(), Map.of()));
        return m;
    }

    @Test
    void runPolicyCachesPerRunAndClosesAtTheEnd() {
        ConnectorManager cm = new ConnectorManager(catalog(), resources(Map.of()), null, false, new HashMap<>(),
                (n, e) -> { });
        Greeter a = cm.get("g", Greeter.class);
        assertSame(a, cm.get("g", Greeter.class));
        assertEquals("hello ops", a.greet());
        cm.close();
        assertEquals(List.of("g"), closed);
    }

    @Test
    void noneCreatesANewConnectorEveryTimeAndProcessSharesAcrossRuns() {
        ConnectorManager none = new ConnectorManager(catalog(), resources(Map.of("cache", "NONE")), "run", false,
                new HashMap<>(), (n, e) -> { });
        assertNotSame(none.get("g", Greeter.class), none.get("g", Greeter.class));
        Map<String, Connector> shared = new HashMap<>();
        ConnectorManager run1 = new ConnectorManager(catalog(), resources(Map.of()), "process", false, shared,
                (n, e) -> { });
        ConnectorManager run2 = new ConnectorManager(catalog(), resources(Map.of()), "process", false, shared,
                (n, e) -> { });
        assertSame(run1.get("g", Greeter.class), run2.get("g", Greeter.class));
        run1.close();
        assertTrue(closed.isEmpty());
        ConnectorManager disabled = new ConnectorManager(catalog(), resources(Map.of("cache", "run")), "run", true,
                new HashMap<>(), (n, e) -> { });
        assertNotSame(disabled.get("g", Greeter.class), disabled.get("g", Greeter.class));
    }

    @Test
    void unknownResourceDriverAndKindMismatchAreClearErrors() {
        ConnectorManager cm = new ConnectorManager(catalog(), resources(Map.of()), null, false, new HashMap<>(),
                (n, e) -> { });
        StepFailedException e1 = assertThrows(StepFailedException.class, () -> cm.get("nope", Greeter.class));
        assertTrue(e1.getMessage().startsWith("Unknown resource: nope. Known: [g, other]"), e1.getMessage());
        StepFailedException e2 = assertThrows(StepFailedException.class, () -> cm.get("other", Greeter.class));
        assertTrue(e2.getMessage().startsWith("Unknown connector: db:nothing (resource other). Loaded: [greet:plain]"),
                e2.getMessage());
        interface Mailer extends Connector {
        }
        StepFailedException e3 = assertThrows(StepFailedException.class, () -> cm.get("g", Mailer.class));
        assertTrue(e3.getMessage().contains("needs a Mailer connector"), e3.getMessage());
    }
}
