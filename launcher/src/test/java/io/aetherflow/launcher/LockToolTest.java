package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockToolTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int tool(String... args) {
        return LockTool.run(List.of(args), new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void locksEveryBundleJarAndChecksThatTheSetResolves() throws Exception {
        TestBundles.bundle(home.resolve("bundles/b.jar"), "io.b", "2.0", "Import-Package", "p.a;version=\"[1,2)\"");
        TestBundles.bundle(home.resolve("bundles/a.jar"), "io.a;singleton:=true", "1.0.0.v1", "Export-Package",
                "p.a;version=1.5");
        assertEquals(0, tool("lock", home.toString(), "aetherflow 0.1.0 build"), err.toString());
        PluginLock lock = PluginLock.read(home.resolve("plugins.lock"));
        assertEquals(List.of(
                new LockedBundle("io.a", "1.0.0.v1", Sha256.ofFile(home.resolve("bundles/a.jar")), "bundles/a.jar", null),
                new LockedBundle("io.b", "2.0.0", Sha256.ofFile(home.resolve("bundles/b.jar")), "bundles/b.jar", null)),
                lock.bundles());
        assertTrue(Files.readString(home.resolve("plugins.lock")).contains("(written by aetherflow 0.1.0 build)"));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("plugins.lock"))), "readable by every user of the installation");
        assertTrue(out.toString().contains("resolves (2 bundles)"), out.toString());
        assertEquals(0, tool("check", home.toString()), err.toString());
    }

    @Test
    void unresolvableSetFailsWithExitThree() throws Exception {
        TestBundles.bundle(home.resolve("bundles/b.jar"), "io.b", "2.0", "Import-Package", "p.a;version=\"[2,3)\"");
        TestBundles.bundle(home.resolve("bundles/a.jar"), "io.a", "1.0.0", "Export-Package", "p.a;version=1.5");
        assertEquals(3, tool("lock", home.toString()));
        assertTrue(err.toString().startsWith("aetherflow: plugin set does not resolve: io.b 2.0.0 (b.jar): missing"
                + " requirement osgi.wiring.package; (&(osgi.wiring.package=p.a)(version>=2.0.0)(!(version>=3.0.0)))"),
                err.toString());
    }

    @Test
    void nonBundleJarIsRefused() throws Exception {
        TestBundles.jar(home.resolve("bundles/plain.jar"), java.util.Map.of("Main-Class", "x.Y"));
        assertEquals(3, tool("lock", home.toString()));
        assertTrue(err.toString().contains("bundles/plain.jar is not an OSGi bundle"), err.toString());
    }

    @Test
    void usage() {
        assertEquals(2, tool("frob"));
    }
}
