package io.aetherflow.runtime.bundle;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.db.DbConnector;
import io.aetherflow.api.connector.files.RemoteFiles;
import io.aetherflow.api.connector.http.HttpConnector;
import io.aetherflow.api.secrets.SecretsProvider;
import io.aetherflow.runtime.env.Profiles;
import io.aetherflow.runtime.env.ResolvedResource;
import io.aetherflow.runtime.env.ResourceBuilder;
import io.aetherflow.runtime.env.SecretMasker;
import io.aetherflow.runtime.env.SecretsProviders;
import io.aetherflow.runtime.env.Settings;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.run.ConnectorManager;
import io.aetherflow.runtime.run.FlowRunner;
import io.aetherflow.runtime.yaml.YamlCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Bundle operations for the CLI and for runs: sync (building the manifest's resources like flow
 * resources, with profiles from the environment, secrets decoded and masked, connectors from the
 * engine's connector manager for flow id {@code bundle:<id>}) and status (no remote access).
 */
public final class BundleService {

    private final PluginCatalog catalog;
    private final Map<String, Connector> processCache;
    private final Consumer<String> warn;
    private final Consumer<String> debug;

    /**
     * @param catalog installed plugins (the connectors that reach the source)
     * @param processCache the engine-wide connector cache
     * @param warn receives warnings (a stale fallback, connector close failures)
     */
    public BundleService(PluginCatalog catalog, Map<String, Connector> processCache, Consumer<String> warn) {
        this(catalog, processCache, warn, null);
    }

    /**
     * @param catalog installed plugins (the connectors that reach the source)
     * @param processCache the engine-wide connector cache
     * @param warn receives warnings (a stale fallback, connector close failures)
     * @param debug receives the time each sync phase took, or null
     */
    public BundleService(PluginCatalog catalog, Map<String, Connector> processCache, Consumer<String> warn,
            Consumer<String> debug) {
        this.catalog = catalog;
        this.processCache = processCache;
        this.warn = warn;
        this.debug = debug;
    }

    /**
     * The bundle's status (catalog §5.7).
     *
     * @param manifest the validated manifest
     * @param dirs its layout
     * @return the fields of {@code bundle status}
     */
    public static Map<String, Object> status(BundleManifest manifest, BundleDirs dirs) {
        try (BundleStore.Held lock = BundleStore.tryLock(dirs)) {
            if (lock != null) {
                BundleStore.recover(dirs);
            }
        } catch (java.io.IOException e) {
            // status stays read-only in effect: report what is there
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundle_id", manifest.bundleId());
        m.put("work_root", dirs.workRoot().toString());
        m.put("bundle_root", dirs.bundleRoot().toString());
        dirs.putDirs(m);
        m.put("fingerprint", Snapshots.latest(dirs.fingerprints()));
        m.put("has_active", Files.isDirectory(dirs.active()));
        return m;
    }

    /**
     * Syncs a bundle.
     *
     * @param manifest the validated manifest
     * @param dirs its layout
     * @param env the environment snapshot (templates of the manifest's resources, profiles, secrets)
     * @param allowStale fall back to the active tree when the sync fails
     * @return the result
     */
    public BundleSync.Result sync(BundleManifest manifest, BundleDirs dirs, Map<String, String> env, boolean allowStale) {
        SecretMasker masker = new SecretMasker();
        masker.addEnvSecrets(env);
        Settings settings = Settings.from(env);
        BundleManifest.Source s = manifest.source();
        ConnectorManager[] manager = new ConnectorManager[1];
        try {
            return new BundleSync(manifest, dirs, env, warn, masker::mask, debug).sync(() -> {
                if (s.type().equals("filesystem")) {
                    return new FilesystemSource(manifest.file(), s.basePath());
                }
                Optional<SecretsProvider> provider = SecretsProviders.resolve(settings, catalog::secrets);
                ResourceBuilder builder = new ResourceBuilder(Profiles.load(env), provider, masker);
                Map<String, ResolvedResource> resources = builder.buildAll(manifest.resources(), env);
                manager[0] = new ConnectorManager(catalog, FlowRunner.connectorConfigs(resources),
                        settings.connectorCacheDefault(), settings.connectorCacheDisabled(), processCache,
                        (name, e) -> warn.accept("Connector close failed resource=" + name + ": " + e));
                String bundle = s.bundle() == null || s.bundle().isEmpty() ? manifest.bundleId() : s.bundle();
                return switch (s.type()) {
                    case "sftp", "smb" -> new RemoteFilesSource(s.type(),
                            manager[0].get(s.resource(), RemoteFiles.class), s.basePath());
                    case "rest" -> new RestSource(manager[0].get(s.resource(), HttpConnector.class), bundle,
                            s.basePath(), s.listPath(), s.fetchPath(), s.prefixParam());
                    default -> new DbSource(manager[0].get(s.resource(), DbConnector.class), bundle, s.listSql(),
                            s.fetchSql());
                };
            }, allowStale);
        } finally {
            if (manager[0] != null) {
                manager[0].close();
            }
        }
    }

    /**
     * @param manifestPath the manifest as given
     * @param cwd the working directory
     * @param cache the cache of loaded YAML files ({@link ManifestParser#load(Path, YamlCache)})
     * @return the validated manifest
     */
    public static BundleManifest load(String manifestPath, Path cwd, YamlCache cache) {
        return ManifestParser.load(cwd.resolve(manifestPath), cache);
    }
}
