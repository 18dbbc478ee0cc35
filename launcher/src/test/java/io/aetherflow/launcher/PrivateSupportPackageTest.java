package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * The launcher carries core-api's {@code io.aetherflow.api.support} classes (its Json and FileTrees)
 * as a private copy made by bnd from the provided core-api dependency: they are in the launcher's
 * own output (the jar on the launch class path has no core-api beside it), and neither the
 * launcher's manifest nor the system bundle exports the package, so bundles load core-api's copy.
 */
class PrivateSupportPackageTest {

    private static final Path CLASSES = Path.of("target", "classes");

    @Test
    void theSupportClassesTheLauncherUsesAreInItsOwnOutput() {
        for (String c : new String[] {"Json", "PyRepr", "FileTrees", "FileTrees$1"}) {
            Path f = CLASSES.resolve("io/aetherflow/api/support/" + c + ".class");
            assertTrue(Files.isRegularFile(f), f + " is in the launcher jar's content");
        }
    }

    @Test
    void theManifestExportsTheLaunchPackageOnlyAndImportsNoCoreApi() throws Exception {
        Manifest mf;
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        String exports = mf.getMainAttributes().getValue("Export-Package");
        assertEquals("io.aetherflow.launch;version=\"" + io.aetherflow.launch.Application.PACKAGE_VERSION + "\"", exports);
        String imports = mf.getMainAttributes().getValue("Import-Package");
        assertFalse(imports.contains("io.aetherflow.api"), imports);
        assertTrue(mf.getMainAttributes().getValue("Private-Package").contains("io.aetherflow.api.support"));
    }

    @Test
    void theSystemBundleExportsTheLaunchPackageOnly() {
        assertEquals("io.aetherflow.launch;version=" + io.aetherflow.launch.Application.PACKAGE_VERSION,
                PluginHost.SYSTEM_PACKAGES_EXTRA);
    }
}
