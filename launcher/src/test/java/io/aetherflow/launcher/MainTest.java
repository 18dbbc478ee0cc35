package io.aetherflow.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launcher.testapp.TestApplication;
import io.aetherflow.launcher.testapp.TestApplicationActivator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole launch in-process: a real installation directory, lock, Felix and engine bundle. */
class MainTest {

    @TempDir
    Path home;
    @TempDir
    Path cache;
    @TempDir
    Path work;

    private final List<LockedBundle> entries = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Integer> halts = new ArrayList<>();

    @BeforeEach
    void installation() throws Exception {
        Path app = TestBundles.jar(home.resolve("bundles/engine.jar"), Map.of(
                "Bundle-SymbolicName", "io.aetherflow.core.runtime",
                "Bundle-Version", "0.1.0",
                "Bundle-Activator", TestApplicationActivator.class.getName(),
                "Import-Package", "io.aetherflow.launch;version=\"[2.3,2.4)\", org.osgi.framework"),
                TestApplication.class, TestApplicationActivator.class);
        entries.add(new LockedBundle("io.aetherflow.core.runtime", "0.1.0", Sha256.ofFile(app), "bundles/engine.jar", null));
        writeLock();
    }

    private void writeLock() throws Exception {
        Files.writeString(home.resolve("plugins.lock"), PluginLock.format(entries, "test"));
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AETHERFLOW_HOME", home.toString());
        env.put("AETHERFLOW_CACHE_HOME", cache.toString());
        return env;
    }

    private int launch(Map<String, String> env, String... args) {
        return launch(env, new SignalRelay(new PrintStream(err, true), Duration.ofSeconds(5), halts::add), args);
    }

    private int launch(Map<String, String> env, SignalRelay signals, String... args) {
        return new Main(env, new PrintStream(err, true, StandardCharsets.UTF_8), System.nanoTime(), Duration.ofSeconds(2))
                .launch(engine(args), signals);
    }

    /**
     * The test engine's instructions ({@code exit}, {@code info}, {@code wait}, {@code throw}) as a real
     * command line: {@code exit 7} is {@code run --flow-yaml exit:7}; other command lines stay as they are.
     */
    static List<String> engine(String... args) {
        return List.of("exit", "info", "wait", "throw").contains(args[0])
                ? List.of("run", "--flow-yaml", String.join(":", args)) : List.of(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsTheEngineAndReturnsItsExitCode() throws Exception {
        assertEquals(7, launch(env(), "exit", "7"), stderr());
        Path out = work.resolve("info.txt");
        assertEquals(0, launch(env(), "info", out.toString()), stderr());
        List<String> info = Files.readAllLines(out);
        assertEquals(home.toRealPath().toString(), info.get(0));
        assertEquals(home.toRealPath().resolve("plugins.lock").toString(), info.get(2));
        assertEquals(PluginLock.setHash(PluginLock.read(home.resolve("plugins.lock")).bundles()), info.get(3),
                "plugin-set hash = the canonical hash of the locked set");
        assertEquals(List.of("1", "io.aetherflow.core.runtime", "true"), info.subList(4, 7));
        assertEquals(List.of("INTERNAL_FAST", "io.aetherflow.core.runtime UNSIGNED", cache.toAbsolutePath().toString()),
                info.subList(7, 10), "the typed seam: mode, per-bundle verdicts and the cache directory the launcher used");
        assertEquals("", stderr());
    }

    @Test
    void sharedStorageIsKeyedByThePluginSetAndReused() throws Exception {
        assertEquals(0, launch(env(), "exit", "0"));
        Path felix = cache.resolve("felix");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(felix)) {
            dirs = s.filter(Files::isDirectory).toList();
        }
        assertEquals(1, dirs.size(), dirs.toString());
        assertEquals(0, launch(env(), "exit", "0"));
        try (Stream<Path> s = Files.list(felix)) {
            assertEquals(1, s.filter(Files::isDirectory).count(), "same set, same storage");
        }
        Path extra = TestBundles.bundle(home.resolve("bundles/extra.jar"), "io.extra", "1.0.0");
        entries.add(new LockedBundle("io.extra", "1.0.0", Sha256.ofFile(extra), "bundles/extra.jar", null));
        writeLock();
        assertEquals(0, launch(env(), "exit", "0"), stderr());
        try (Stream<Path> s = Files.list(felix)) {
            assertEquals(2, s.filter(Files::isDirectory).count(), "a new lock gets a new storage");
        }
        assertTrue(Files.isRegularFile(cache.resolve("jar-hashes").resolve(CacheDirs.key(home.toRealPath().toString())
                + ".txt")));
    }

    @Test
    void aBusySharedStorageGivesTheNextSlotAndAllBusyAPrivateOneThatIsDeleted() throws Exception {
        assertEquals(0, launch(env(), "exit", "0"));
        Path slot1;
        try (Stream<Path> s = Files.list(cache.resolve("felix"))) {
            slot1 = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Map<String, String> env = env();
        env.put("AETHERFLOW_LOG_LEVEL", "debug");
        // another launcher process holds slot 1: the launch uses slot 2, a shared storage too
        Process holder = holdLocks(slot1, 1);
        try {
            assertEquals(5, launch(env, "exit", "5"), stderr());
            assertTrue(stderr().contains("framework storage " + slot1 + "-2 (shared slot 2)"), stderr());
            assertTrue(Files.isDirectory(Path.of(slot1 + "-2")), "slot 2 kept for the next launch");
        } finally {
            holder.destroy();
            holder.waitFor();
        }
        // every slot held: a private storage, deleted afterwards
        holder = holdLocks(slot1, FrameworkStorage.SLOTS);
        try {
            assertEquals(5, launch(env, "exit", "5"), stderr());
            assertTrue(stderr().contains("(private: all " + FrameworkStorage.SLOTS + " shared slots busy"), stderr());
            String line = stderr().lines().filter(l -> l.contains("framework storage ")).reduce((a, b) -> b)
                    .orElseThrow();
            Path privateDir = Path.of(line.replaceAll(".*framework storage (\\S+) .*", "$1"));
            assertFalse(privateDir.startsWith(cache), privateDir.toString());
            assertFalse(Files.exists(privateDir), "private storage deleted: " + privateDir);
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    /** Emulates another launcher process that holds the first {@code n} storage slots of a set. */
    private static Process holdLocks(Path slot1, int n) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName()));
        for (int slot = 1; slot <= n; slot++) {
            Path dir = FrameworkStorage.slotDir(slot1, slot);
            cmd.add(dir.resolveSibling(dir.getFileName() + ".lock").toString());
        }
        Process holder = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertEquals('L', holder.getInputStream().read(), "holder took the locks");
        return holder;
    }

    @Test
    void versionIsAnsweredAfterTheLockChecksWithoutAFramework() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main main = new Main(env(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), System.nanoTime(), Duration.ofSeconds(2));
        SignalRelay signals = new SignalRelay(new PrintStream(err, true), Duration.ofSeconds(5), halts::add);
        assertEquals(0, main.launch(List.of("version", "--json"), signals), stderr());
        String hash = PluginLock.setHash(PluginLock.read(home.resolve("plugins.lock")).bundles());
        assertEquals("{\"version\": \"" + Installation.locate(env()).version() + "\", \"plugin_set_hash\": \"" + hash
                + "\", \"java\": \"" + System.getProperty("java.version") + "\"}", out.toString(StandardCharsets.UTF_8).strip());
        assertFalse(Files.exists(cache.resolve("felix")), "no framework storage taken");
        // the checks stay as strict: a changed jar still refuses it
        Files.writeString(home.resolve("bundles/engine.jar"), "tampered");
        assertEquals(3, main.launch(List.of("version"), signals));
        assertTrue(stderr().contains("bundle io.aetherflow.core.runtime 0.1.0 changed: "), stderr());
    }

    @Test
    void lockProblemsExitThreeWithOneLine() throws Exception {
        Files.writeString(home.resolve("bundles/engine.jar"), "tampered");
        assertEquals(3, launch(env(), "exit", "0"));
        assertTrue(stderr().startsWith("aetherflow: bundle io.aetherflow.core.runtime 0.1.0 changed: "), stderr());
        assertEquals(1, stderr().lines().count(), stderr());
    }

    @Test
    void missingLockExitsThree() throws Exception {
        Files.delete(home.resolve("plugins.lock"));
        assertEquals(3, launch(env(), "exit", "0"));
        assertTrue(stderr().startsWith("aetherflow: plugin lock " + home.toRealPath().resolve("plugins.lock")
                + " does not exist"), stderr());
    }

    /** @return the symbolic names of the bundles the (one) shared framework storage holds after the launches */
    private java.util.Set<String> cachedBundles() throws Exception {
        Path dir;
        try (Stream<Path> s = Files.list(cache.resolve("felix"))) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        try (PluginHost host = PluginHost.boot(dir, false, new PrintStream(err, true))) {
            for (org.osgi.framework.Bundle b : host.context().getBundles()) {
                if (b.getBundleId() != 0) {
                    out.add(b.getSymbolicName());
                }
            }
        }
        return out;
    }

    @Test
    void aRunInstallsOnlyTheCoreBundlesAndTheEagerStartUpAllOfThem() throws Exception {
        Path extra = TestBundles.bundle(home.resolve("bundles/extra.jar"), "io.extra", "1.0.0");
        entries.add(new LockedBundle("io.extra", "1.0.0", Sha256.ofFile(extra), "bundles/extra.jar", null));
        writeLock();
        Map<String, String> env = env();
        env.put("AETHERFLOW_LOG_LEVEL", "DEBUG");
        assertEquals(0, launch(env, "exit", "0"), stderr());
        assertTrue(stderr().contains("resolved and started 1 core bundles; the other 1 are installed when the engine"
                + " needs them"), stderr());
        assertEquals(java.util.Set.of("io.aetherflow.core.runtime"), cachedBundles(), "the unused plugin never entered the framework");
        assertEquals(0, launch(eager(), "exit", "0"), stderr());
        assertEquals(java.util.Set.of("io.aetherflow.core.runtime", "io.extra"), cachedBundles());
    }

    @Test
    void unresolvablePluginStopsOnlyTheEagerStartUp() throws Exception {
        Path needy = TestBundles.bundle(home.resolve("bundles/needy.jar"), "io.needy", "1.0.0",
                "Import-Package", "org.example.absent");
        entries.add(new LockedBundle("io.needy", "1.0.0", Sha256.ofFile(needy), "bundles/needy.jar", null));
        writeLock();
        assertEquals(0, launch(env(), "exit", "0"), "a plugin bundle nobody needs stays installed: " + stderr());
        err.reset();
        assertEquals(3, launch(eager(), "exit", "0"));
        assertTrue(stderr().startsWith("aetherflow: plugin set does not resolve: io.needy 1.0.0 (needy.jar): missing"
                + " requirement osgi.wiring.package; (osgi.wiring.package=org.example.absent)"), stderr());
    }

    @Test
    void failingActivatorExitsThreeAndFrameworkLogGoesToStderr() throws Exception {
        Path bad = TestBundles.bundle(home.resolve("bundles/bad.jar"), "io.bad", "1.0.0",
                "Bundle-Activator", "io.bad.Missing", "Import-Package", "org.osgi.framework");
        entries.add(new LockedBundle("io.bad", "1.0.0", Sha256.ofFile(bad), "bundles/bad.jar", null));
        writeLock();
        assertEquals(0, launch(env(), "exit", "0"), "a plugin bundle nobody needs is not started: " + stderr());
        err.reset();
        assertEquals(3, launch(eager(), "exit", "0"));
        List<String> lines = stderr().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.startsWith("aetherflow: ")), stderr());
        assertTrue(lines.get(lines.size() - 1).startsWith("aetherflow: bundle io.bad 1.0.0 (bad.jar) failed to start: "
                + "Not found: io.bad.Missing"), stderr());
    }

    @Test
    void unresolvableCoreBundleExitsThree() throws Exception {
        entries.clear();
        Path app = TestBundles.jar(home.resolve("bundles/engine.jar"), Map.of(
                "Bundle-SymbolicName", "io.aetherflow.core.runtime",
                "Bundle-Version", "0.1.0",
                "Bundle-Activator", TestApplicationActivator.class.getName(),
                "Import-Package", "io.aetherflow.launch;version=\"[2.3,2.4)\", org.osgi.framework, org.example.absent"),
                TestApplication.class, TestApplicationActivator.class);
        entries.add(new LockedBundle("io.aetherflow.core.runtime", "0.1.0", Sha256.ofFile(app), "bundles/engine.jar", null));
        writeLock();
        assertEquals(3, launch(env(), "exit", "0"));
        assertTrue(stderr().startsWith("aetherflow: plugin set does not resolve: io.aetherflow.core.runtime 0.1.0 (engine.jar):"
                + " missing requirement osgi.wiring.package; (osgi.wiring.package=org.example.absent)"), stderr());
    }

    private Map<String, String> eager() {
        Map<String, String> env = env();
        env.put(Main.EAGER_VARIABLE, "all");
        return env;
    }

    @Test
    void noEngineServiceExitsThree() throws Exception {
        entries.clear();
        Files.delete(home.resolve("bundles/engine.jar"));
        Path other = TestBundles.bundle(home.resolve("bundles/other.jar"), "io.other", "1.0.0");
        entries.add(new LockedBundle("io.other", "1.0.0", Sha256.ofFile(other), "bundles/other.jar", null));
        writeLock();
        assertEquals(3, launch(env(), "exit", "0"));
        assertTrue(stderr().startsWith("aetherflow: the core runtime did not register io.aetherflow.launch.Application"
                + " within 2 s"), stderr());
    }

    @Test
    void badHomeExitsFour() {
        Map<String, String> env = env();
        env.put("AETHERFLOW_HOME", home.resolve("nope").toString());
        assertEquals(4, launch(env, "exit", "0"));
        assertTrue(stderr().contains("AETHERFLOW_HOME=" + home.resolve("nope") + " is not a directory"), stderr());
    }

    @Test
    void engineExceptionIsOneLineExitOne() {
        assertEquals(1, launch(env(), "throw"));
        assertEquals("aetherflow: internal error in the engine: java.lang.IllegalStateException: boom (set"
                + " AETHERFLOW_LOG_LEVEL=DEBUG for the stack trace)", stderr().strip());
    }

    @Test
    void signalWhileRunningIsRelayedToTheEngine() throws Exception {
        Path started = work.resolve("started");
        SignalRelay signals = new SignalRelay(new PrintStream(err, true), Duration.ofSeconds(20), halts::add);
        Thread sender = new Thread(() -> {
            try {
                while (!Files.exists(started)) {
                    Thread.sleep(10);
                }
                signals.onSignal("TERM");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        assertEquals(130, launch(env(), signals, "wait", started.toString()), stderr());
        sender.join();
        assertEquals(List.of(), halts, "no forced exit: the engine returned in time");
    }

    /** Holds an exclusive lock on a file until killed (a stand-in for another launcher process). */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            List<FileLock> locks = new ArrayList<>();
            for (String file : args) {
                locks.add(FileChannel.open(Path.of(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE).lock());
            }
            System.out.write('L');
            System.out.flush();
            Thread.sleep(60_000);
            locks.clear();
        }
    }
}
