package io.aetherflow.launcher;

import io.aetherflow.launch.LockedBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * What the plugin-set commands and the installer share: the honoured plugin paths, a fresh (uncached)
 * signature check, the current set verified against its lock, and a resolve of a candidate set in a
 * real, throw-away framework.
 */
final class PluginSetChecks {

    private final Map<String, String> env;
    private final Installation inst;
    private final PrintStream err;
    private final Instant now;

    /**
     * @param env the process environment
     * @param inst the installation
     * @param err where warnings and framework messages go
     * @param now the time of the signature checks
     */
    PluginSetChecks(Map<String, String> env, Installation inst, PrintStream err, Instant now) {
        this.env = env;
        this.inst = inst;
        this.err = err;
        this.now = now;
    }

    List<Path> pluginPaths() throws PluginSetException {
        List<String> warnings = new ArrayList<>();
        List<Path> paths = LockVerifier.existingPluginPaths(TrustPolicy.load(env, inst.home())
                .pluginPaths(env.get("AETHERFLOW_PLUGIN_PATHS"), warnings), env, warnings);
        warnings.forEach(w -> err.println("aetherflow: warning: " + w));
        return paths;
    }

    TrustCheck freshCheck() throws PluginSetException {
        return new TrustCheck(env, inst.home(), TrustPolicy.load(env, inst.home()), JarHashes.uncached(), null, now);
    }

    VerifiedPluginSet currentSet(PluginLock lock) throws PluginSetException {
        try {
            return LockVerifier.verify(inst.home(), lock, pluginPaths(), JarHashes.uncached());
        } catch (PluginSetException e) {
            throw new PluginSetException("the installation does not match its lock, so nothing was changed: "
                    + e.getMessage() + " (for a jar copied into bundles/ by hand: review it and run aetherflow plugins"
                    + " lock, or move it out and plugins add it)", e);
        }
    }

    /** What to look at in the resolved framework before it stops. */
    interface Inspection<R> {
        R inspect(List<Bundle> bundles) throws PluginSetException;
    }

    <R> R resolve(List<LockedBundle> entries, List<Path> files, Inspection<R> inspection)
            throws PluginSetException, IOException {
        List<VerifiedBundle> vbs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            vbs.add(new VerifiedBundle(entries.get(i), files.get(i)));
        }
        VerifiedPluginSet set = new VerifiedPluginSet(new PluginLock(inst.lockFile(), PluginLock.setHash(entries), entries), vbs,
                List.of());
        Path storage = Files.createTempDirectory("aetherflow-resolve-");
        try (PluginHost host = PluginHost.boot(storage, true, err)) {
            List<Bundle> bundles = host.install(set);
            host.resolve(bundles);
            return inspection.inspect(bundles);
        } catch (BundleException e) {
            throw new IOException("the OSGi framework did not start: " + e.getMessage(), e);
        } finally {
            FrameworkStorage.deleteTree(storage);
        }
    }

    static List<Path> jars(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar") && Files.isRegularFile(p)) {
                    out.add(p.toAbsolutePath().normalize());
                }
            }
        }
        out.sort(null);
        return out;
    }
}
