package io.aetherflow.launcher;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launcher.support.FileTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;

/**
 * Writes and checks an installation's plugin lock (used by the build, runnable by hand):
 * <pre>
 * java -cp lib/aetherflow-launcher.jar:lib/org.apache.felix.framework.jar io.aetherflow.launcher.LockTool lock  HOME [GENERATOR]
 * java -cp ...                                                            io.aetherflow.launcher.LockTool check HOME
 * </pre>
 * {@code lock} (with {@code --core}: also writes {@code HOME/conf/core-bundles}, the build does) reads {@code Bundle-SymbolicName}/{@code Bundle-Version} of every {@code HOME/bundles/*.jar},
 * writes {@code HOME/plugins.lock} atomically, then runs {@code check}. {@code check} verifies the lock
 * like the launcher does and resolves the whole set in a real Felix (private temporary storage).
 * Exit 0 when the set resolves, 3 with one error line otherwise, 2 on a usage error.
 */
public final class LockTool {

    private LockTool() {
    }

    /**
     * Command-line entry point.
     *
     * @param args {@code lock HOME [GENERATOR]} or {@code check HOME}
     */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /**
     * @param args the command line
     * @param out progress output
     * @param err error output
     * @return the exit code
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() < 2 || !List.of("lock", "check").contains(args.get(0))) {
            err.println("usage: LockTool lock HOME [GENERATOR] [--core] | LockTool check HOME");
            return ExitCodes.INVALID;
        }
        Path home = Path.of(args.get(1)).toAbsolutePath().normalize();
        try {
            if (args.get(0).equals("lock")) {
                List<String> rest = new ArrayList<>(args.subList(2, args.size()));
                boolean core = rest.remove("--core");
                String generator = rest.isEmpty() ? "LockTool" : rest.get(0);
                List<LockedBundle> entries = scan(home);
                writeAtomically(home.resolve(PluginLock.FILE_NAME), PluginLock.format(entries, generator));
                if (core) {
                    Files.createDirectories(home.resolve("conf"));
                    writeAtomically(home.resolve("conf").resolve(TrustPolicy.CORE_FILE), TrustPolicy.formatCore(entries));
                    out.println("wrote " + home.resolve("conf").resolve(TrustPolicy.CORE_FILE));
                }
                out.println("wrote " + home.resolve(PluginLock.FILE_NAME) + " (" + entries.size() + " bundles)");
            }
            int n = check(home, err);
            out.println("plugin set of " + home + " resolves (" + n + " bundles)");
            return 0;
        } catch (PluginSetException e) {
            err.println("aetherflow: " + e.getMessage());
            return ExitCodes.PLUGINS;
        } catch (IOException e) {
            err.println("aetherflow: " + e);
            return ExitCodes.ENVIRONMENT;
        }
    }

    /**
     * Builds lock entries for every jar in {@code HOME/bundles}.
     *
     * @param home the installation directory
     * @return one entry per jar (path {@code bundles/NAME.jar}), sorted by file name
     * @throws PluginSetException when a jar is not an OSGi bundle
     * @throws IOException when a jar cannot be read
     */
    public static List<LockedBundle> scan(Path home) throws PluginSetException, IOException {
        List<Path> jars = new ArrayList<>();
        Path dir = home.resolve("bundles");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar") && Files.isRegularFile(p)) {
                    jars.add(p);
                }
            }
        }
        jars.sort(null);
        List<LockedBundle> out = new ArrayList<>();
        for (Path jar : jars) {
            out.add(describe(jar, "bundles/" + jar.getFileName()));
        }
        return out;
    }

    /**
     * Reads a jar's bundle identity and digest.
     *
     * @param jar the jar
     * @param path the lock path column to give it
     * @return the lock entry (no signer)
     * @throws PluginSetException when the jar is not an OSGi bundle
     * @throws IOException when it cannot be read
     */
    public static LockedBundle describe(Path jar, String path) throws PluginSetException, IOException {
        Manifest mf;
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            mf = jf.getManifest();
        } catch (java.util.zip.ZipException e) {
            throw new PluginSetException(jar + " is not a jar file: " + e.getMessage(), e);
        }
        Attributes main = mf == null ? null : mf.getMainAttributes();
        String bsn = main == null ? null : main.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw new PluginSetException(jar + " is not an OSGi bundle (no Bundle-SymbolicName)");
        }
        int semi = bsn.indexOf(';');
        bsn = (semi >= 0 ? bsn.substring(0, semi) : bsn).strip();
        String v = main.getValue("Bundle-Version");
        String version;
        try {
            version = Version.parseVersion(v == null ? null : v.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw new PluginSetException(jar + " has an invalid Bundle-Version '" + v + "'");
        }
        return new LockedBundle(bsn, version, Sha256.ofFile(jar), path, null);
    }

    /**
     * Verifies the lock of an installation and resolves the set in a fresh framework.
     *
     * @param home the installation directory
     * @param log where framework errors go
     * @return the number of bundles
     * @throws PluginSetException when the lock does not match or the set does not resolve
     * @throws IOException when no temporary framework storage can be made
     */
    public static int check(Path home, PrintStream log) throws PluginSetException, IOException {
        PluginLock lock = PluginLock.read(home.resolve(PluginLock.FILE_NAME));
        VerifiedPluginSet set = LockVerifier.verify(home, lock, List.of(), JarHashes.uncached());
        Path storage = Files.createTempDirectory("aetherflow-lockcheck-");
        try (PluginHost host = PluginHost.boot(storage, true, log)) {
            List<Bundle> bundles = host.install(set);
            host.resolve(bundles);
            return bundles.size();
        } catch (BundleException e) {
            throw new IOException("the OSGi framework did not start: " + e.getMessage(), e);
        } finally {
            FileTrees.delete(storage);
        }
    }

    static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // temp files are private; the lock is part of the installation and readable by all
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
