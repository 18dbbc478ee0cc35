package io.aetherflow.launcher;

import io.aetherflow.launch.BundleTrust;
import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launch.PluginLoadException;
import io.aetherflow.launch.ShippedPlugins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;

/**
 * The launcher's {@link ShippedPlugins}: the plugin jars of an asset bundle go through the checks of the
 * installation's lock ({@link PluginLock}, {@link LockVerifier}, {@link TrustCheck}), then into the running
 * framework ({@link PluginHost#installCopy(VerifiedBundle)}: the verified bytes, resolved at once, with the
 * installation's bundles they need installed then: {@link LazyPlugins#resolveAdded}) and the plugin index
 * ({@link LazyPlugins#add}); nothing is started until the engine needs it.
 *
 * <p>The signing policy is the installation's ({@link TrustPolicy#load}) tightened to enterprise mode when
 * the manifest selects it. A (symbolic name, version) already installed with the same bytes is reused
 * (a scheduler loading the same bundle again, or a bundle shipping an installed jar); with other bytes it
 * is refused, as {@code plugins add} refuses it. An enterprise manifest withholds the installation's plugins
 * found through the ambient {@code AETHERFLOW_PLUGIN_PATHS} for the rest of the process
 * ({@link LazyPlugins#withhold}).
 */
final class BundlePlugins implements ShippedPlugins {

    private final Map<String, String> env;
    private final Path home;
    private final PluginHost host;
    private final LazyPlugins plugins;
    private final Consumer<String> debug;
    /** {@code symbolic-name version} to sha256 of every installed bundle (the locked ones, then the added ones). */
    private final Map<String, String> installed = new LinkedHashMap<>();
    /** The installation's bundles found through the ambient {@code AETHERFLOW_PLUGIN_PATHS} ({@code plugin-path:} lines). */
    private final List<VerifiedBundle> ambient = new ArrayList<>();

    /**
     * @param env the process environment (trust policy and store)
     * @param home the installation directory
     * @param host the running framework
     * @param plugins the lazy loader that the new bundles join
     * @param set the installation's verified set
     * @param debug receives timings
     */
    BundlePlugins(Map<String, String> env, Path home, PluginHost host, LazyPlugins plugins, VerifiedPluginSet set,
            Consumer<String> debug) {
        this.env = env;
        this.home = home;
        this.host = host;
        this.plugins = plugins;
        this.debug = debug;
        for (VerifiedBundle vb : set.bundles()) {
            installed.put(vb.label(), vb.entry().sha256());
            if (vb.entry().fileName().startsWith(PluginLock.PLUGIN_PATH_PREFIX)) {
                ambient.add(vb);
            }
        }
    }

    @Override
    public synchronized Loaded load(Request r) {
        try {
            return loadChecked(r);
        } catch (PluginSetException e) {
            throw new PluginLoadException("asset bundle " + r.bundleId() + " (" + r.manifest() + "): " + e.getMessage(), e);
        }
    }

    private Loaded loadChecked(Request r) throws PluginSetException {
        long t0 = System.nanoTime();
        TrustPolicy base = TrustPolicy.load(env, home);
        TrustPolicy policy = base.enterprise() || !r.enterprise() ? base
                : new TrustPolicy(true, "bundle manifest " + r.manifest(), base.core());
        List<String> warnings = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        Path pluginsDir = r.lockFile().toAbsolutePath().getParent();
        for (Path d : r.dirs()) {
            if (Files.isDirectory(d)) {
                dirs.add(d);
            } else if (!d.equals(pluginsDir)) {
                missingPathsPlugins(r, d, warnings);
            } else if (Files.exists(d)) {
                warnings.add("plugin path " + d + " of asset bundle " + r.bundleId() + " is not a directory; skipped");
            }
        }
        List<Path> jars = new ArrayList<>();
        for (Path d : dirs) {
            try {
                jars.addAll(LockVerifier.jarsIn(d));
            } catch (IOException e) {
                throw new PluginSetException("cannot list plugin directory " + d + ": " + e.getMessage(), e);
            }
        }
        boolean hasLock = Files.isRegularFile(r.lockFile());
        if (!hasLock && jars.isEmpty()) {
            if (policy.enterprise()) {
                withholdAmbient(r, List.of());
            }
            return new Loaded(null, null, policy.trustMode(), List.of(), List.of(), warnings);
        }
        VerifiedPluginSet set = hasLock ? locked(r, policy, dirs, jars, warnings) : unlocked(r, policy, jars);
        TrustCheck check = new TrustCheck(env, home, policy, JarHashes.uncached(), null, Instant.now());
        List<TrustVerdict> verdicts = check.verdicts(set);
        for (int i = 0; i < verdicts.size(); i++) {
            VerifiedBundle vb = set.bundles().get(i);
            String refusal = check.refusal(vb.entry(), verdicts.get(i));
            if (refusal != null) {
                throw new PluginSetException(refusal.replace("(" + vb.entry().fileName() + ")", "(" + vb.file() + ")"));
            }
        }
        List<Bundle> added = install(set);
        if (policy.enterprise()) {
            withholdAmbient(r, set.bundles());
        }
        debug.accept("asset bundle " + r.bundleId() + ": " + set.bundles().size() + " plugin jars verified, " + added.size()
                + " installed (" + Math.round((System.nanoTime() - t0) / 1e6) + " ms)");
        List<LockedBundle> entries = new ArrayList<>();
        for (VerifiedBundle vb : set.bundles()) {
            LockedBundle e = vb.entry();
            entries.add(new LockedBundle(e.symbolicName(), e.version(), e.sha256(), vb.file().toString(), e.signerSha256()));
        }
        List<BundleTrust> trust = TrustCheck.forEngine(set.lock().bundles(), verdicts);
        return new Loaded(hasLock ? r.lockFile() : null, set.lock().sha256(), policy.trustMode(), entries, trust, warnings);
    }

    /**
     * A {@code paths.plugins} directory that does not exist: as a missing {@code AETHERFLOW_PLUGIN_PATHS} directory
     * (the reference puts {@code paths.plugins} there), an error unless {@code AETHERFLOW_PLUGIN_STRICT} is false.
     */
    private void missingPathsPlugins(Request r, Path dir, List<String> warnings) throws PluginSetException {
        String what = (Files.exists(dir) ? "Plugin path is not a directory: " : "Plugin path not found: ") + dir
                + " (paths.plugins of " + r.manifest() + ")";
        try {
            LockVerifier.existingPluginPaths(List.of(dir), env, new ArrayList<>());
        } catch (PluginSetException strict) {
            throw new PluginSetException(what + "; create it, remove it from paths.plugins, or set"
                    + " AETHERFLOW_PLUGIN_STRICT=false to skip missing plugin paths", strict);
        }
        warnings.add(what + "; skipped because AETHERFLOW_PLUGIN_STRICT=" + env.get("AETHERFLOW_PLUGIN_STRICT"));
    }

    /**
     * Enterprise mode serves a bundle's run only from {@code paths.plugins} and the bundle's own jars (§6.7 of
     * the behaviour catalog: ambient plugin paths are dropped): the installation's plugins found through
     * {@code AETHERFLOW_PLUGIN_PATHS} are withheld, unless the bundle's lock lists the same jar.
     */
    private void withholdAmbient(Request r, List<VerifiedBundle> shipped) throws PluginSetException {
        Set<String> own = new HashSet<>();
        shipped.forEach(vb -> own.add(vb.label()));
        Map<String, String> withhold = new LinkedHashMap<>();
        for (VerifiedBundle vb : ambient) {
            if (!own.contains(vb.label())) {
                withhold.put(vb.location(), "comes from the ambient AETHERFLOW_PLUGIN_PATHS (" + vb.file() + ") and does not serve"
                        + " asset bundle " + r.bundleId() + " in enterprise mode (" + r.manifest() + "): ship the jar in"
                        + " the bundle's plugins dir or a paths.plugins directory and list it in the bundle's plugins.lock");
            }
        }
        if (!withhold.isEmpty()) {
            plugins.withhold(withhold);
            debug.accept("asset bundle " + r.bundleId() + ": " + withhold.size() + " ambient plugin bundles withheld");
        }
    }

    /** The bundle ships a lock: exactly its jars, verified as the installation's lock is; others refused or skipped. */
    private static VerifiedPluginSet locked(Request r, TrustPolicy policy, List<Path> dirs, List<Path> jars,
            List<String> warnings) throws PluginSetException {
        PluginLock lock = PluginLock.read(r.lockFile());
        Path lockDir = r.lockFile().toAbsolutePath().getParent();
        VerifiedPluginSet set = LockVerifier.verify(lockDir, lock, dirs, JarHashes.uncached(),
                "the asset bundle's plugin directories (layout.plugins_dir" + (policy.enterprise() ? ", paths.plugins" : "")
                        + " of " + r.manifest() + ")");
        Set<Path> listed = new HashSet<>();
        set.bundles().forEach(vb -> listed.add(vb.file()));
        for (Path jar : jars) {
            if (!listed.contains(jar)) {
                if (policy.enterprise()) {
                    throw new PluginSetException("jar " + jar + " is not in the bundle's lock " + r.lockFile()
                            + "; enterprise mode (from " + policy.modeSource() + ") loads only locked jars: lock it"
                            + " (docs/bundles.md) or remove it from the bundle");
                }
                warnings.add("jar " + jar + " of asset bundle " + r.bundleId() + " is not in its lock " + r.lockFile()
                        + "; it is not loaded (lock it to use it)");
            }
        }
        return new VerifiedPluginSet(lock, set.bundles(), List.of());
    }

    /** No lock: internal_fast loads every jar; enterprise refuses the first. */
    private static VerifiedPluginSet unlocked(Request r, TrustPolicy policy, List<Path> jars) throws PluginSetException {
        if (policy.enterprise()) {
            throw new PluginSetException("jar " + jars.get(0) + " refused: enterprise mode (from " + policy.modeSource()
                    + ") loads only jars listed in the bundle's lock, and " + r.lockFile() + " does not exist; ship a"
                    + " plugins.lock that lists the jar (docs/bundles.md) or remove it from the bundle");
        }
        List<LockedBundle> entries = new ArrayList<>();
        List<VerifiedBundle> verified = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Path jar : jars) {
            LockedBundle d;
            try {
                d = LockTool.describe(jar, jar.toString());
            } catch (IOException e) {
                throw new PluginSetException("cannot read " + jar + ": " + e.getMessage(), e);
            }
            if (!seen.add(d.symbolicName() + " " + d.version())) {
                throw new PluginSetException("jar " + jar + " is bundle " + d.symbolicName() + " " + d.version()
                        + ", which another jar of the bundle's plugin directories already is; remove one of them");
            }
            entries.add(d);
            verified.add(new VerifiedBundle(d, jar));
        }
        return new VerifiedPluginSet(new PluginLock(r.lockFile(), PluginLock.setHash(entries), entries), verified, List.of());
    }

    /** Installs the jars not installed yet, resolves them, and adds them to the lazy loader (all or nothing). */
    private List<Bundle> install(VerifiedPluginSet set) throws PluginSetException {
        List<Bundle> added = new ArrayList<>();
        Map<String, VerifiedBundle> copies = new LinkedHashMap<>();
        try {
            for (VerifiedBundle vb : set.bundles()) {
                String have = installed.get(vb.label());
                if (have != null) {
                    if (!have.equals(vb.entry().sha256())) {
                        throw new PluginSetException("bundle " + vb.label() + " (" + vb.file() + ") refused: " + vb.label()
                                + " is already installed with other bytes (sha256 " + have + "; this jar has "
                                + vb.entry().sha256() + "); one version must always mean one jar: give the bundle's jar a"
                                + " new Bundle-Version");
                    }
                    continue;
                }
                Bundle b = host.installCopy(vb);
                added.add(b);
                copies.put(b.getLocation(), vb);
            }
            plugins.resolveAdded(added);
        } catch (PluginSetException e) {
            for (VerifiedBundle vb : set.bundles()) {
                Bundle stray = host.context().getBundle(PluginHost.COPY_PREFIX + vb.file().toUri());
                if (stray != null && !added.contains(stray) && !installed.containsKey(vb.label())) {
                    added.add(stray); // installed, then found to be another bundle than its lock line names
                }
            }
            host.uninstallQuietly(added);
            throw e;
        }
        for (VerifiedBundle vb : set.bundles()) {
            installed.putIfAbsent(vb.label(), vb.entry().sha256());
        }
        plugins.add(added, PluginIndex.build(copies, null, debug));
        return added;
    }
}
