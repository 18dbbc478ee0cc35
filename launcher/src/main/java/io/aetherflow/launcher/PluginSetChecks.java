package io.aetherflow.launcher;

import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launcher.support.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * What the plugin-set commands and the installer share: the honoured plugin paths, a fresh (uncached)
 * signature check, the current set verified against its lock, and a resolve of a candidate set in a
 * real, throw-away framework.
 */
final class PluginSetChecks {

    private final CommandContext ctx;


    /** @param ctx the command's environment, installation, output (warnings, framework messages) and clock */
    PluginSetChecks(CommandContext ctx) {
        this.ctx = ctx;
    }

    List<Path> pluginPaths() throws PluginSetException {
        List<String> warnings = new ArrayList<>();
        List<Path> paths = LockVerifier.existingPluginPaths(TrustPolicy.load(ctx.env(), ctx.inst().home())
                .pluginPaths(ctx.env().get("AETHERFLOW_PLUGIN_PATHS"), warnings), ctx.env(), warnings);
        warnings.forEach(w -> ctx.err().println("aetherflow: warning: " + w));
        return paths;
    }

    TrustCheck freshCheck() throws PluginSetException {
        return new TrustCheck(ctx.env(), ctx.inst().home(), TrustPolicy.load(ctx.env(), ctx.inst().home()), JarHashes.uncached(), null, ctx.now());
    }

    VerifiedPluginSet currentSet(PluginLock lock) throws PluginSetException {
        try {
            return LockVerifier.verify(ctx.inst().home(), lock, pluginPaths(), JarHashes.uncached());
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
        VerifiedPluginSet set = new VerifiedPluginSet(new PluginLock(ctx.inst().lockFile(), PluginLock.setHash(entries), entries), vbs,
                List.of());
        Path storage = Files.createTempDirectory("aetherflow-resolve-");
        try (PluginHost host = PluginHost.boot(storage, true, ctx.err())) {
            List<Bundle> bundles = host.install(set);
            host.resolve(bundles);
            return inspection.inspect(bundles);
        } catch (BundleException e) {
            throw new IOException("the OSGi framework did not start: " + e.getMessage(), e);
        } finally {
            FileTrees.delete(storage);
        }
    }
}
