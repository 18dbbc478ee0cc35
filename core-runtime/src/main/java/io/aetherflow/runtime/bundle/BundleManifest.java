package io.aetherflow.runtime.bundle;

import io.aetherflow.runtime.env.EnvFileSpec;
import io.aetherflow.runtime.spec.ResourceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated asset bundle manifest, version 1 (catalog §5.1). Built by {@link ManifestParser}.
 *
 * @param file the manifest file as given
 * @param mode {@code internal_fast} (default) or {@code enterprise}, trimmed and lower-cased
 * @param bundleId the bundle id (a safe path segment: it names the bundle's directory)
 * @param source where the bundle comes from
 * @param layout where things are inside the bundle
 * @param entryFlow the flow a run executes, relative to the active tree
 * @param fetchPolicy {@code cache_check} (default) or {@code always}
 * @param resources bootstrap resources for the source, in declaration order
 * @param pluginPaths {@code paths.plugins}: trusted plugin directories in enterprise mode
 * @param zipDrivers archive drivers allowed in enterprise mode
 * @param envFiles env files loaded after {@code AETHERFLOW_ENV_FILES_JSON}, relative to the active tree
 * @param pin the plugin set the bundle was tested with, or null
 */
public record BundleManifest(Path file, String mode, String bundleId, Source source, Layout layout,
        String entryFlow, String fetchPolicy, Map<String, ResourceSpec> resources, List<String> pluginPaths,
        Set<String> zipDrivers, List<EnvFileSpec> envFiles, PluginPin pin) {

    /** The mode name that makes a bundle run strict. */
    public static final String ENTERPRISE = "enterprise";

    /**
     * The source section.
     *
     * @param type {@code filesystem}, {@code sftp}, {@code smb}, {@code db} or {@code rest}
     * @param resource the manifest resource that reaches the source (null for filesystem)
     * @param basePath remote or local directory, or null
     * @param bundle logical bundle name for db/rest (default: the bundle id)
     * @param listSql db listing statement, or null for the default
     * @param fetchSql db fetch statement, or null for the default
     * @param listPath rest listing path (default {@code /list})
     * @param fetchPath rest fetch path (default {@code /fetch})
     * @param prefixParam rest prefix query parameter name (default {@code prefix})
     * @param strictFingerprint hash every file that the source lists without a sha256
     */
    public record Source(String type, String resource, String basePath, String bundle, String listSql,
            String fetchSql, String listPath, String fetchPath, String prefixParam, boolean strictFingerprint) {
    }

    /**
     * The layout section.
     *
     * @param flowsDir flows directory, or null (informational)
     * @param profilesFile the profiles file, relative to the active tree
     * @param pluginsDir bundle-shipped plugin jars, or null
     */
    public record Layout(String flowsDir, String profilesFile, String pluginsDir) {
    }

    /**
     * The plugin set a bundle was tested with ({@code plugins:} in the manifest, our addition).
     *
     * @param setHash the required plugin-set hash (hex, without {@code sha256:}), or null
     * @param bundles required bundles: symbolic name to version (exact) or OSGi version range
     */
    public record PluginPin(String setHash, Map<String, String> bundles) {
    }

    /** @return whether the manifest selects enterprise mode */
    public boolean enterprise() {
        return ENTERPRISE.equals(mode);
    }
}
