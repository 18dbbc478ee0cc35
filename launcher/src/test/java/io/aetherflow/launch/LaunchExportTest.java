package io.aetherflow.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher's manifest (written by bnd from the package annotations) exports the launch package at
 * {@link Application#PACKAGE_VERSION}, the version the system bundle exports it at and the one bnd
 * baselining checks; and it keeps the plain-jar entries ({@code Main-Class}, {@code Class-Path}) in
 * the packaged jar, which {@code java -jar} needs.
 */
class LaunchExportTest {

    @Test
    void theManifestExportsTheLaunchPackageAtTheVersionTheSystemBundleExports() throws Exception {
        Path manifest = Path.of("target/classes/META-INF/MANIFEST.MF");
        assertTrue(Files.isRegularFile(manifest), "bnd did not write " + manifest.toAbsolutePath());
        Attributes main;
        try (InputStream in = Files.newInputStream(manifest)) {
            main = new Manifest(in).getMainAttributes();
        }
        String exports = main.getValue("Export-Package");
        assertNotNull(exports, "no Export-Package in " + manifest);
        Matcher m = Pattern.compile("(?:^|,)io\\.aetherflow\\.launch;[^,]*?version=\"([^\"]+)\"").matcher(exports);
        assertTrue(m.find(), exports);
        assertEquals(Application.PACKAGE_VERSION, m.group(1),
                "package-info's @Version and Application.PACKAGE_VERSION disagree");
        assertTrue(!exports.contains("io.aetherflow.launcher"), "the launcher's own classes are not exported: " + exports);
    }
}
