package io.aetherflow.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.step.ConnectorUnavailableException;
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
    /** A greeter factory that says which driver served and records what it was given. */
    private ConnectorFactory greeter(String served, List<ConnectorConfig> given) {
        return cfg -> {
            given.add(cfg);
            return new Greeter() {
                @Override
                public ConnectorConfig config() {
                    return cfg;
                }

                @Override
                public String greet() {
                    return served;
                }
            };
        };
    }

    private static ConnectorManager manager(StaticPluginCatalog catalog) {
        return new ConnectorManager(catalog, Map.of(), null, false, new HashMap<>(), (n, e) -> { });
    }

    @Test
    void adHocConnectorsFollowTheResourceRankingAndTieBreak() {
        List<ConnectorConfig> given = new ArrayList<>();
        StaticPluginCatalog catalog = new StaticPluginCatalog()
                .connector("greet", "low", List.of("any"), -5, greeter("low", given))
                .connector("greet", "first", List.of("any"), 7, greeter("first", given))
                .connector("greet", "second", List.of("any"), 7, greeter("second", given))
                .connector("other", "top", List.of("any"), 99, greeter("other kind", given));
        ConnectorManager cm = manager(catalog);
        // the highest ranking wins; of two equal ones, the one registered first
        Greeter g = cm.adhoc("step1", "greet", Greeter.class, Map.of("timeout", 3), false, "any");
        assertEquals("first", g.greet());
        assertEquals(new ConnectorConfig("step1", "greet", "any", Map.of(), Map.of("timeout", 3)), given.get(0),
                "named by the step, the driver as asked for, no config, the step's options");
        // the same choice a resource of that driver gets
        assertEquals("first", catalog.connector("greet", "any").orElseThrow().driver());
        // no preference: the kind's best driver, under its own name
        Greeter best = cm.adhoc("step2", "greet", Greeter.class, Map.of(), false);
        assertEquals("first", best.greet());
        assertEquals("first", best.config().driver());
        // preferences are tried in order: an unknown name is passed over
        assertEquals("low", cm.adhoc("s", "greet", Greeter.class, Map.of(), false, "nope", "low", "any").greet());
        assertFalse(cm.has("step1"), "ad-hoc connectors are not resources");
    }

    @Test
    void aRefusingDriverIsSkippedWithItsReasonAndNothingInstalledHasNoReasons() {
        List<ConnectorConfig> given = new ArrayList<>();
        StaticPluginCatalog catalog = new StaticPluginCatalog()
                .connector("greet", "picky", List.of(), cfg -> { throw new ConnectorException("greet.picky: bad option"); })
                .connector("greet", "plain", List.of(), greeter("plain", given))
                .connector("greet", "wrong", List.of(), cfg -> () -> cfg);
        ConnectorManager cm = manager(catalog);
        assertEquals("plain", cm.adhoc("s", "greet", Greeter.class, Map.of(), false, "picky", "plain").greet());
        ConnectorUnavailableException refused = assertThrows(ConnectorUnavailableException.class,
                () -> cm.adhoc("s", "greet", Greeter.class, Map.of(), false, "picky", "wrong"));
        assertEquals(List.of("greet.picky: bad option", "greet:wrong (static) does not implement Greeter"),
                refused.reasons());
        assertEquals("greet", refused.kind());
        assertTrue(refused.getCause() instanceof ConnectorException);
        ConnectorUnavailableException none = assertThrows(ConnectorUnavailableException.class,
                () -> cm.adhoc("s", "mail", Greeter.class, Map.of(), false));
        assertEquals(List.of(), none.reasons());
        assertEquals("No installed connector serves mail (install a bundle that serves it or declare a resource)",
                none.getMessage());
    }

    @Test
    void enterpriseModeRefusesAdHocArchivesForEveryStepButNotOtherKinds() {
        List<ConnectorConfig> given = new ArrayList<>();
        StaticPluginCatalog catalog = new StaticPluginCatalog()
                .connector("archive", "zip", List.of("zipfile"), greeter("zip", given))
                .connector("rest", "http", List.of(), greeter("http", given));
        ConnectorManager cm = manager(catalog);
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> cm.adhoc("s", "archive", Greeter.class, Map.of(), true, "zipfile"));
        assertFalse(e instanceof ConnectorUnavailableException);
        assertEquals("Zip/Unzip requires declared archive resource in enterprise mode", e.getMessage());
        assertEquals(List.of(), given, "no driver was even asked");
        assertEquals("zip", cm.adhoc("s", "archive", Greeter.class, Map.of(), false, "zipfile").greet());
        assertEquals("http", cm.adhoc("s", "rest", Greeter.class, Map.of(), true).greet());
    }
}
