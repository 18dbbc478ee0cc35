package io.aetherflow.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pinned plugin set against an installation: hash, exact versions, OSGi ranges. */
class PinCheckTest {

    private static final String HASH = "ab".repeat(32);
    private static final List<LockedBundle> INSTALLED = List.of(
            new LockedBundle("io.aetherflow.steps.process", "1.0.0", "x", "p.jar", null),
            new LockedBundle("com.example.textlib", "1.0.0", "y", "t1.jar", null),
            new LockedBundle("com.example.textlib", "2.0.0", "z", "t2.jar", null));

    @Test
    void satisfiedByHashExactVersionAndRange() {
        PinCheck ok = new PinCheck(new BundleManifest.PluginPin(HASH, Map.of("io.aetherflow.steps.process", "1.0",
                "com.example.textlib", "[2,3)")), HASH, INSTALLED);
        assertTrue(ok.satisfied());
        assertEquals(true, ok.toJson().get("satisfied"));
        assertEquals(List.of(), ok.toJson().get("problems"));
    }

    @Test
    void everyMismatchIsNamed() {
        PinCheck bad = new PinCheck(new BundleManifest.PluginPin("cd".repeat(32), Map.of("io.aetherflow.steps.process",
                "1.1.0", "com.example.textlib", "[3,4)", "io.nope", "1.0.0")), HASH, INSTALLED);
        assertFalse(bad.satisfied());
        assertEquals(List.of("plugin set sha256:abababababab... is not the pinned sha256:cdcdcdcdcdcd...",
                "com.example.textlib 1.0.0,2.0.0 installed, [3,4) pinned", "io.aetherflow.steps.process 1.0.0 installed, "
                        + "1.1.0 pinned", "missing io.nope 1.0.0"), bad.problems());
        assertFalse(new PinCheck(new BundleManifest.PluginPin(HASH, Map.of()), null, List.of()).satisfied(),
                "outside the launcher the installed set is unknown");
    }
}
