package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.Application;
import io.aetherflow.launch.EngineCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * A secrets provider and a run listener registered by a plugin bundle ({@link ItestVault},
 * {@link ItestMetrics}) and selected by name through AETHERFLOW_SECRETS_MODULE and
 * AETHERFLOW_METRICS_MODULE (set for this framework by -runenv in itests.bndrun) serve a real run:
 * the provider decodes resource secrets and expands the run's environment snapshot; the listener
 * sees the lifecycle callbacks.
 */
@ExtendWith(BundleContextExtension.class)
class PluginServicesTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    @Test
    void namedSecretsProviderAndRunListenerServeARun() throws Exception {
        List<ServiceReference<Application>> refs = Services.await(context, Application.class, null);
        Application app = context.getService(refs.get(0));
        try {
            Path out = home.resolve("expanded.txt");
            Path flow = home.resolve("flow.yaml");
            Files.writeString(flow, String.join("\n",
                    "resources:",
                    EngineFixture.resource("db", "db", "none"),
                    "    config:",
                    "      password: \"{{env.ITEST_ENCODED_PASSWORD}}\"",
                    "    decode:",
                    "      config_paths: [password]",
                    EngineFixture.oneJobFlow(home, "itest_services"),
                    EngineFixture.stepHead("write", "external.process"),
                    "          command: [/bin/sh, -c, \"printf %s {{env.ITEST_EXPANDED}} > " + out
                            + "; echo secret-password\"]",
                    "          log: {stdout: capture}",
                    ""));
            EngineFixture.Outcome r = EngineFixture.run(app, home,
                new EngineCommand.Run(flow.toString(), "svc1", null, null, false));
            assertEquals(0, r.exit(), r.toString());
            assertEquals("from-vault", Files.readString(out), "expandEnv output is the run's env snapshot");
            assertTrue(ItestVault.DECODED.contains("drowssap-terces"), "decode called with the rendered value");
            assertFalse(r.stderr().contains("secret-password"), "decoded value masked: " + r.stderr());
            List<String> mine = ItestMetrics.CALLS.stream().filter(c -> c.contains(" svc1")).toList();
            assertEquals(List.of("run_start svc1", "step_end svc1 write SUCCESS", "run_end svc1 SUCCESS"), mine);
        } finally {
            context.ungetService(refs.get(0));
        }
    }
}
