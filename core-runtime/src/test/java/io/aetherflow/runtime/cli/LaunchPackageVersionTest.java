package io.aetherflow.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.Application;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launch package's version is written once ({@link Application#PACKAGE_VERSION}, which the launcher
 * exports through the system bundle); the engine implements {@link Application}, so it must import the
 * provider range {@code [major.minor, major.minor+1)} of exactly that version.
 */
class LaunchPackageVersionTest {

    @Test
    void theEngineImportsTheProviderRangeOfTheExportedVersion() throws Exception {
        String bnd = Files.readString(Path.of("bnd.bnd"));
        Matcher m = Pattern.compile("io\\.aetherflow\\.launch;version=\"\\[(\\d+)\\.(\\d+),(\\d+)\\.(\\d+)\\)\"").matcher(bnd);
        assertTrue(m.find(), bnd);
        String[] v = Application.PACKAGE_VERSION.split("\\.");
        assertEquals(v[0] + "." + v[1], m.group(1) + "." + m.group(2), "lower bound = the exported major.minor");
        assertEquals(v[0] + "." + (Integer.parseInt(v[1]) + 1), m.group(3) + "." + m.group(4),
                "upper bound = the next minor (the engine is a provider of Application)");
    }
}
