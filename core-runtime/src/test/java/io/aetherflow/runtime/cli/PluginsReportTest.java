package io.aetherflow.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.observe.RunListener;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.launch.BundleTrust;
import io.aetherflow.launch.LaunchInfo;
import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launch.TrustMode;
import io.aetherflow.launch.TrustStatus;
import io.aetherflow.runtime.plugins.BundleInfo;
import io.aetherflow.runtime.plugins.ConnectorBinding;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.plugins.StaticPluginCatalog;
import io.aetherflow.runtime.plugins.StepBinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code plugins list} reads the launcher's verdicts and mode from the typed {@link LaunchInfo}. */
class PluginsReportTest {

    /** The static catalog plus installed bundles (the static one runs outside a framework and has none). */
    private static PluginCatalog withBundles(List<BundleInfo> bundles) {
        PluginCatalog c = new StaticPluginCatalog();
        return new PluginCatalog() {
            @Override
            public Optional<StepBinding> step(String type) {
                return c.step(type);
            }

            @Override
            public Map<String, StepBinding> steps() {
                return c.steps();
            }

            @Override
            public List<StepBinding> allSteps() {
                return c.allSteps();
            }

            @Override
            public Optional<ConnectorBinding> connector(String kind, String driver) {
                return c.connector(kind, driver);
            }

            @Override
            public Optional<ConnectorBinding> connector(String kind) {
                return c.connector(kind);
            }

            @Override
            public List<ConnectorBinding> connectors() {
                return c.connectors();
            }

            @Override
            public Optional<SecretsProvider> secrets(String name) {
                return c.secrets(name);
            }

            @Override
            public List<Map.Entry<String, RunListener>> listeners() {
                return c.listeners();
            }

            @Override
            public List<BundleInfo> bundles() {
                return bundles;
            }
        };
    }

    @Test
    @SuppressWarnings("unchecked")
    void verdictsAndModeComeFromTheLaunchInfo() {
        PluginCatalog catalog = withBundles(List.of(new BundleInfo("acme.greet", "2.3.0", "ACTIVE", "x"),
                new BundleInfo("io.aetherflow.core.runtime", "0.1.0", "ACTIVE", "y")));
        LaunchInfo info = new LaunchInfo(Path.of("/opt/af"), "0.1.0", Path.of("/opt/af/plugins.lock"), "ab".repeat(32),
                List.of(new LockedBundle("acme.greet", "2.3.0", "cd".repeat(32), "bundles/acme.jar", "ef".repeat(32)),
                        new LockedBundle("io.aetherflow.core.runtime", "0.1.0", "01".repeat(32), "bundles/core.jar", null)),
                1L, TrustMode.ENTERPRISE,
                List.of(new BundleTrust("acme.greet", "2.3.0", TrustStatus.NOT_YET_VALID, "ef".repeat(32),
                        "CN=ACME\tGreet\nSigning"),
                        new BundleTrust("io.aetherflow.core.runtime", "0.1.0", TrustStatus.CORE, null, null)),
                Path.of("/tmp/cache"));
        Map<String, Object> report = PluginsReport.build(catalog, info);
        assertEquals("enterprise", report.get("trust_mode"));
        List<Map<String, Object>> bundles = (List<Map<String, Object>>) report.get("bundles");
        assertEquals("not-yet-valid", bundles.get(0).get("trust"));
        assertEquals("ef".repeat(32), bundles.get(0).get("signer_sha256"));
        assertEquals("CN=ACME Greet Signing", bundles.get(0).get("signer_subject"), "one line in the table");
        assertEquals("core", bundles.get(1).get("trust"));
        assertNull(bundles.get(1).get("signer_subject"));
        String text = PluginsReport.text(report);
        assertTrue(text.contains("Signing mode: enterprise\n"), text);
        assertTrue(text.contains("not-yet-valid"), text);
    }

    @Test
    void withoutALauncherThereIsNoVerdictAndNoMode() {
        Map<String, Object> report = PluginsReport.build(withBundles(List.of(new BundleInfo("a", "1.0.0", "ACTIVE", "x"))),
                new LaunchInfo(Path.of("/h"), "dev", Path.of("/h/plugins.lock"), "0".repeat(64), List.of(), 1L));
        assertNull(report.get("trust_mode"));
        assertTrue(PluginsReport.text(report).contains("\na "), PluginsReport.text(report));
    }
}
