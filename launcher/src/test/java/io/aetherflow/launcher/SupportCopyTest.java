package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launcher.support.FileTrees;
import io.aetherflow.launcher.support.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's {@code io.aetherflow.launcher.support} is a build-time copy of core-api's
 * {@code io.aetherflow.api.support} Json, PyRepr and FileTrees (launcher/pom.xml): one source, no
 * core-api on the launch class path, nothing exported from it.
 */
class SupportCopyTest {

    private static final Path CORE_API = Path.of("..", "core-api", "src", "main", "java", "io", "aetherflow", "api",
            "support");
    private static final Path COPY = Path.of("target", "generated-sources", "core-api-support", "io", "aetherflow",
            "launcher", "support");

    @Test
    void theCopyIsCoreApisSourceWithTheLauncherPackage() throws Exception {
        for (String name : List.of("Json.java", "PyRepr.java", "FileTrees.java")) {
            String original = Files.readString(CORE_API.resolve(name));
            assertEquals(original.replace("package io.aetherflow.api.support;", "package io.aetherflow.launcher.support;"),
                    Files.readString(COPY.resolve(name)), name);
        }
    }

    @Test
    void reportsAreWrittenWithTheEnginesSeparators() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("bundles", List.of("a\tb", 2L));
        m.put("detail", null);
        assertEquals("{\"ok\": true, \"bundles\": [\"a\\tb\", 2], \"detail\": null}", Json.writeSpaced(m));
    }

    @Test
    void treesAreDeletedWithoutFollowingLinks(@TempDir Path tmp) throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Path tree = Files.createDirectories(tmp.resolve("tree/sub"));
        Files.writeString(tree.resolve("f"), "y");
        Files.createSymbolicLink(tree.resolve("link"), outside);
        FileTrees.delete(tmp.resolve("tree"));
        assertFalse(Files.exists(tmp.resolve("tree")));
        assertTrue(Files.isRegularFile(outside.resolve("keep")));
    }

    @Test
    void theManifestExportsTheLaunchPackageOnlyAndImportsNoCoreApi() throws Exception {
        Manifest mf;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "META-INF", "MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        String exports = mf.getMainAttributes().getValue("Export-Package");
        assertEquals("io.aetherflow.launch;version=\"" + io.aetherflow.launch.Application.PACKAGE_VERSION + "\"", exports);
        String imports = mf.getMainAttributes().getValue("Import-Package");
        assertFalse(imports.contains("io.aetherflow.api"), imports);
        assertFalse(Files.exists(Path.of("target", "classes", "io", "aetherflow", "api")));
    }
}
