package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.connector.archive.ArchiveConnector;
import io.aetherflow.api.connector.archive.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The archive connector bundle registers its four drivers with the reference's names as aliases
 * ({@code zipfile}, {@code pyzipper}, {@code pyminizip}), Commons Compress and zip4j work inside the
 * framework (commons-io, lang3 and codec resolved), and a flow zips then unzips through the engine
 * with an {@code archive:pyzipper} resource.
 */
@ExtendWith(BundleContextExtension.class)
class ArchiveConnectorTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    @Test
    void archiveDriversAreRegisteredWithTheReferenceAliases() throws Exception {
        Map<String, String> aliasToDriver = Map.of("zipfile", "zip", "pyzipper", "aes", "pyminizip", "aes");
        for (Map.Entry<String, String> a : aliasToDriver.entrySet()) {
            Registrations.factory(context, "archive", a.getKey(), "io.aetherflow.connectors.archive", a.getValue());
        }
        for (String driver : List.of("os", "external")) {
            Registrations.factory(context, "archive", driver, "io.aetherflow.connectors.archive", driver);
        }
        Registrations.stepsServedBy(context, "io.aetherflow.steps.archive", "zip", "unzip");
        // both libraries run inside the framework: an AES zip written by zip4j, read by the Commons Compress driver
        Path base = Files.createDirectories(home.resolve("base"));
        Files.writeString(base.resolve("f.txt"), "inside felix");
        ServiceReference<ConnectorFactory> aes = Services.await(context, ConnectorFactory.class,
                "(" + ConnectorFactory.ALIASES_PROPERTY + "=pyzipper)").get(0);
        ServiceReference<ConnectorFactory> zip = Services.await(context, ConnectorFactory.class,
                "(" + ConnectorFactory.ALIASES_PROPERTY + "=zipfile)").get(0);
        try {
            ArchiveConnector w = (ArchiveConnector) context.getService(aes)
                    .create(new ConnectorConfig("a", "archive", "pyzipper", Map.of(), Map.of()));
            w.createZip(home.resolve("f.zip"), List.of(base.resolve("f.txt")), base, "pw", Compression.DEFLATED, true);
            ArchiveConnector r = (ArchiveConnector) context.getService(zip)
                    .create(new ConnectorConfig("z", "archive", "zipfile", Map.of(), Map.of()));
            assertEquals(List.of("f.txt"), r.extractZip(home.resolve("f.zip"), home.resolve("out"), "pw", true, null).files());
            assertEquals("inside felix", Files.readString(home.resolve("out/f.txt")));
        } finally {
            context.ungetService(aes);
            context.ungetService(zip);
        }
    }

    @Test
    void flowZipsAndUnzipsThroughAPyzipperResource() throws Exception {
        Path flow = EngineFixture.writeFlow(home,
                "resources:",
                EngineFixture.resource("vault_zip", "archive", "pyzipper"),
                EngineFixture.oneJobFlow(home, "itest_archive"),
                EngineFixture.shellStep("make", "mkdir -p in && printf 'hello archive' > in/a.txt"),
                EngineFixture.resourceStep("pack", "zip", "vault_zip", "dest_path: packed/in.zip", "items: [in]",
                        "password: itest-pw"),
                EngineFixture.resourceStep("unpack", "unzip", "vault_zip", "archives: [\"{{steps.pack.output}}\"]",
                        "dest_dir: restored", "password: itest-pw"),
                EngineFixture.shellStep("check", "cp restored/packed/in/a.txt " + home.resolve("copied.txt")));
        EngineFixture.Outcome r = EngineFixture.runFlowOk(context, home, flow, "arc1");
        assertEquals("hello archive", Files.readString(home.resolve("copied.txt")));
    }
}
