package io.aetherflow.runtime.bundle;

import io.aetherflow.api.support.PyRepr;
import io.aetherflow.runtime.env.EnvFileException;
import io.aetherflow.runtime.env.EnvFileSpec;
import io.aetherflow.runtime.spec.ResourceSpec;
import io.aetherflow.runtime.spec.SafeIds;
import io.aetherflow.runtime.yaml.LoadedYaml;
import io.aetherflow.runtime.yaml.YamlCache;
import io.aetherflow.runtime.yaml.YamlLoader;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and validates a bundle manifest exactly as the reference's {@code validate_bundle_manifest_v1}
 * (catalog §5.1): first the schema (unknown keys at any level give {@code Unknown bundle keys: ...}
 * with the sorted dotted locations; other schema failures are not reported themselves), then the
 * manual checks in the reference's order with its messages. Every failure is a
 * {@link ManifestException} (exit 2) naming the manifest file and the line of the offending key.
 *
 * <p>Additions (docs/bundles.md): {@code env_files} entries may be mappings, {@code plugins} pins
 * the plugin set, and the bundle id must be a safe path segment.
 */
public final class ManifestParser {

    private static final Set<String> TOP_KEYS = Set.of("version", "mode", "bundle", "resources", "paths",
            "zip_drivers", "env_files", "plugins");
    private static final Set<String> BUNDLE_KEYS = Set.of("id", "source", "layout", "entry_flow", "fetch_policy");
    private static final Set<String> SOURCE_KEYS = Set.of("type", "resource", "base_path", "bundle", "list_sql",
            "fetch_sql", "list_path", "fetch_path", "prefix_param", "strict_fingerprint");
    private static final Set<String> LAYOUT_KEYS = Set.of("flows_dir", "profiles_file", "plugins_dir");
    private static final Set<String> RESOURCE_KEYS = Set.of("kind", "driver", "profile", "config", "options",
            "decode");
    private static final Set<String> PLUGINS_KEYS = Set.of("set_hash", "bundles");
    private static final Set<String> SOURCE_TYPES = Set.of("filesystem", "sftp", "smb", "db", "rest");
    private static final Set<String> ZIP_DRIVERS = Set.of("pyzipper", "zipfile", "os", "external");
    private static final Set<String> LEGACY_KEYS = Set.of("config" + "_env", "options" + "_env", "decode" + "_env");
    private static final Pattern INT_TEXT = Pattern.compile("\\s*[+-]?\\d+(_\\d+)*\\s*");
    private static final Pattern HEX64 = Pattern.compile("(sha256:)?[0-9a-f]{64}");

    private ManifestParser() {
    }

    /**
     * Loads and validates a manifest file.
     *
     * @param file the manifest
     * @return the manifest
     * @throws ManifestException when it is invalid
     * @throws io.aetherflow.runtime.yaml.YamlLoadException when it cannot be read or is not YAML
     */
    public static BundleManifest load(Path file) {
        return load(file, YamlCache.NONE);
    }

    /**
     * {@link #load(Path)}, reading the YAML through the cache of loaded files: a manifest that a cron
     * job syncs every few minutes is parsed once, not on every sync (the parse was a tenth of an
     * unchanged sync's time). The record answers only for the same bytes, so what is validated is
     * exactly the file as it is now.
     *
     * @param file the manifest
     * @param cache the cache of loaded YAML files ({@link YamlCache#NONE}: parse every time)
     * @return the manifest
     * @throws ManifestException when it is invalid
     * @throws io.aetherflow.runtime.yaml.YamlLoadException when it cannot be read or is not YAML
     */
    public static BundleManifest load(Path file, YamlCache cache) {
        return parse(YamlLoader.load(file, cache), file);
    }

    /**
     * Validates a loaded manifest.
     *
     * @param y the loaded YAML
     * @param file the manifest file (relative paths in it resolve against its directory)
     * @return the manifest
     * @throws ManifestException when it is invalid
     */
    public static BundleManifest parse(LoadedYaml y, Path file) {
        Object data = y.data();
        if (!(data instanceof Map<?, ?>)) {
            throw fail(y, "", "Bundle manifest must be a YAML mapping (object)");
        }
        Map<?, ?> mf = (Map<?, ?>) data;
        Schema schema = new Schema();
        schema.top(mf);
        if (!schema.unknown.isEmpty()) {
            throw fail(y, schema.unknown.first(), "Unknown bundle keys: " + String.join(", ", schema.unknown));
        }
        // pydantic's model_dump fills defaults (layout, base_path) only when the schema held
        boolean dumped = !schema.failed;
        Object version = mf.containsKey("version") ? mf.get("version") : 1L;
        BigInteger v = pyInt(version);
        if (v == null) {
            throw fail(y, "version", "Invalid manifest version: " + PyRepr.repr(version));
        }
        if (!v.equals(BigInteger.ONE)) {
            throw fail(y, "version", "Unsupported bundle manifest version: " + v);
        }
        if (!(mf.get("bundle") instanceof Map<?, ?> bundle)) {
            throw fail(y, "bundle", "manifest.bundle is required and must be a mapping");
        }
        Object id = bundle.get("id");
        if (!(id instanceof String || id instanceof Long || id instanceof BigInteger || id instanceof Boolean)
                || str(id).isBlank()) {
            throw fail(y, "bundle.id", "bundle.id is required and must be a non-empty string");
        }
        String bundleId = str(id);
        String unsafe = SafeIds.problem(bundleId);
        if (unsafe != null) {
            throw fail(y, "bundle.id", "bundle.id " + SafeIds.shown(bundleId) + " " + unsafe
                    + " (it names the bundle's directory under <work_root>/bundles/; " + SafeIds.RULE + ")");
        }
        if (!(bundle.get("source") instanceof Map<?, ?> source)) {
            throw fail(y, "bundle.source", "bundle.source is required and must be a mapping");
        }
        String type = orDefault(source.get("type"), "filesystem").strip().toLowerCase(Locale.ROOT);
        if (!SOURCE_TYPES.contains(type)) {
            throw fail(y, "bundle.source.type", "Unsupported bundle.source.type: " + type);
        }
        if (!type.equals("filesystem") && orDefault(source.get("resource"), "").isBlank()) {
            throw fail(y, "bundle.source", "bundle.source.resource is required for source.type=" + type);
        }
        if (!dumped && Set.of("filesystem", "sftp", "smb").contains(type) && !source.containsKey("base_path")) {
            throw fail(y, "bundle.source", "bundle.source.base_path is required for source.type=" + type);
        }
        Object layoutRaw = bundle.containsKey("layout") || !dumped ? bundle.get("layout") : Map.of();
        if (!(layoutRaw instanceof Map<?, ?> layout)) {
            throw fail(y, "bundle.layout", "bundle.layout is required and must be a mapping");
        }
        if (!(layout.get("profiles_file") instanceof String pf) || pf.isBlank()) {
            throw fail(y, "bundle.layout.profiles_file",
                    "bundle.layout.profiles_file is required and must be a non-empty string");
        }
        for (String k : List.of("flows_dir", "plugins_dir")) {
            Object d = layout.get(k);
            if (d != null && (!(d instanceof String s) || s.isBlank())) {
                throw fail(y, "bundle.layout." + k, "bundle.layout." + k + " must be a non-empty string when provided");
            }
        }
        if (!(bundle.get("entry_flow") instanceof String entry) || entry.isBlank()) {
            throw fail(y, "bundle.entry_flow", "bundle.entry_flow is required and must be a non-empty string");
        }
        String policy = orDefault(bundle.get("fetch_policy"), "cache_check").strip().toLowerCase(Locale.ROOT);
        if (!policy.equals("cache_check") && !policy.equals("always")) {
            throw fail(y, "bundle.fetch_policy", "bundle.fetch_policy must be one of: cache_check, always");
        }
        Map<String, ResourceSpec> resources = resources(y, mf.get("resources"));
        BundleManifest.Source src = new BundleManifest.Source(type, opt(source.get("resource")),
                opt(source.get("base_path")), opt(source.get("bundle")), opt(source.get("list_sql")),
                opt(source.get("fetch_sql")), opt(source.get("list_path")), opt(source.get("fetch_path")),
                opt(source.get("prefix_param")), truthy(source.get("strict_fingerprint")));
        BundleManifest.Layout lay = new BundleManifest.Layout(opt(layout.get("flows_dir")), pf,
                opt(layout.get("plugins_dir")));
        String mode = mf.get("mode") == null ? "internal_fast" : str(mf.get("mode")).strip().toLowerCase(Locale.ROOT);
        if (mode.isEmpty()) {
            mode = "internal_fast";
        }
        return new BundleManifest(file, mode, bundleId, src, lay, entry, policy, resources, pluginPaths(y, mf),
                zipDrivers(y, mf), envFiles(y, mf, file), pin(y, mf.get("plugins")));
    }

    private static Map<String, ResourceSpec> resources(LoadedYaml y, Object raw) {
        Map<String, ResourceSpec> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        if (!(raw instanceof Map<?, ?> resources)) {
            throw fail(y, "resources", "manifest.resources must be a mapping when provided");
        }
        for (Map.Entry<?, ?> e : resources.entrySet()) {
            String name = str(e.getKey());
            String loc = "resources." + name;
            if (!(e.getValue() instanceof Map<?, ?> r)) {
                throw fail(y, loc, "manifest.resources." + name + " must be a mapping");
            }
            if (r.get("profile") != null) {
                throw fail(y, loc + ".profile", "manifest is bootstrap; profiles not available before sync");
            }
            for (Object k : r.keySet()) {
                if (LEGACY_KEYS.contains(str(k))) {
                    throw fail(y, loc + "." + k, "manifest resources must not use legacy *_env keys");
                }
            }
            TreeSet<String> unknown = new TreeSet<>();
            r.keySet().forEach(k -> {
                if (!RESOURCE_KEYS.contains(str(k))) {
                    unknown.add(loc + "." + k);
                }
            });
            if (!unknown.isEmpty()) {
                throw fail(y, unknown.first(), "Unknown manifest resource keys: " + String.join(", ", unknown));
            }
            out.put(name, new ResourceSpec(opt(r.get("kind")), opt(r.get("driver")), null, dict(r.get("config")),
                    dict(r.get("options")), dict(r.get("decode"))));
        }
        return out;
    }

    private static List<String> pluginPaths(LoadedYaml y, Map<?, ?> mf) {
        if (!(mf.get("paths") instanceof Map<?, ?> paths) || paths.get("plugins") == null) {
            return List.of();
        }
        Object p = paths.get("plugins");
        List<String> out = new ArrayList<>();
        if (p instanceof String s) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        } else if (p instanceof List<?> l) {
            for (Object o : l) {
                if (o != null && !str(o).isBlank()) {
                    out.add(str(o).strip());
                }
            }
        } else {
            throw fail(y, "paths.plugins", "paths.plugins must be a string or a list of strings");
        }
        return List.copyOf(out);
    }

    private static Set<String> zipDrivers(LoadedYaml y, Map<?, ?> mf) {
        if (!mf.containsKey("zip_drivers")) {
            return Set.of("pyzipper", "zipfile");
        }
        Set<String> out = new LinkedHashSet<>();
        if (mf.get("zip_drivers") instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof String s) || !ZIP_DRIVERS.contains(s)) {
                    throw fail(y, "zip_drivers[" + i + "]", "zip_drivers[" + i + "] must be one of: external, os, "
                            + "pyzipper, zipfile; got " + PyRepr.repr(l.get(i)));
                }
                out.add(s);
            }
            return Set.copyOf(out);
        }
        throw fail(y, "zip_drivers", "zip_drivers must be a list of: external, os, pyzipper, zipfile");
    }

    private static List<EnvFileSpec> envFiles(LoadedYaml y, Map<?, ?> mf, Path file) {
        Object raw = mf.get("env_files");
        if (raw == null) {
            return List.of();
        }
        try {
            return EnvFileSpec.fromList(raw, "env_files", true);
        } catch (EnvFileException e) {
            throw fail(y, "env_files", e.getMessage() + " (a dotenv path, or {type, path, optional, prefix}; "
                    + "relative to the bundle's active tree)");
        }
    }

    private static BundleManifest.PluginPin pin(LoadedYaml y, Object raw) {
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw fail(y, "plugins", "plugins must be a mapping with set_hash and/or bundles");
        }
        String hash = null;
        if (m.get("set_hash") != null) {
            hash = str(m.get("set_hash")).strip().toLowerCase(Locale.ROOT);
            if (!HEX64.matcher(hash).matches()) {
                throw fail(y, "plugins.set_hash", "plugins.set_hash must be a sha256 hex digest (as printed by "
                        + "'aetherflow version'); got " + PyRepr.repr(m.get("set_hash")));
            }
            hash = hash.startsWith("sha256:") ? hash.substring(7) : hash;
        }
        Map<String, String> bundles = new LinkedHashMap<>();
        if (m.get("bundles") != null) {
            if (!(m.get("bundles") instanceof Map<?, ?> b)) {
                throw fail(y, "plugins.bundles", "plugins.bundles must map symbolic names to versions");
            }
            b.forEach((k, v) -> bundles.put(str(k), str(v)));
        }
        if (hash == null && bundles.isEmpty()) {
            throw fail(y, "plugins", "plugins must set set_hash and/or bundles");
        }
        return new BundleManifest.PluginPin(hash, Map.copyOf(bundles));
    }

    /** Emulates the schema model: unknown keys anywhere, and whether anything else fails. */
    private static final class Schema {
        final TreeSet<String> unknown = new TreeSet<>();
        boolean failed;

        void top(Map<?, ?> mf) {
            extras(mf, TOP_KEYS, "");
            if (mf.containsKey("version") && pydanticInt(mf.get("version")) == null) {
                failed = true;
            }
            optString(mf, "mode");
            if (mf.get("bundle") instanceof Map<?, ?> b) {
                bundle(b);
            } else {
                failed = true;
            }
            if (mf.containsKey("resources")) {
                if (mf.get("resources") instanceof Map<?, ?> rs) {
                    rs.forEach((name, r) -> resource(r, "resources." + name));
                } else {
                    failed = true;
                }
            }
            if (mf.containsKey("paths") && !(mf.get("paths") instanceof Map<?, ?>)) {
                failed = true;
            }
            if (mf.containsKey("zip_drivers") && !(mf.get("zip_drivers") instanceof List<?> l
                    && l.stream().allMatch(ZIP_DRIVERS::contains))) {
                failed = true;
            }
            if (mf.containsKey("env_files") && !(mf.get("env_files") instanceof List<?> l
                    && l.stream().allMatch(o -> o instanceof String || o instanceof Map<?, ?>))) {
                failed = true;
            }
            if (mf.get("plugins") instanceof Map<?, ?> p) {
                extras(p, PLUGINS_KEYS, "plugins");
            }
        }

        void bundle(Map<?, ?> b) {
            extras(b, BUNDLE_KEYS, "bundle");
            requiredString(b, "id");
            requiredString(b, "entry_flow");
            if (b.containsKey("fetch_policy") && !Set.of("cache_check", "always").contains(b.get("fetch_policy"))) {
                failed = true;
            }
            if (b.get("source") instanceof Map<?, ?> s) {
                extras(s, SOURCE_KEYS, "bundle.source");
                if (s.containsKey("type") && !SOURCE_TYPES.contains(s.get("type"))) {
                    failed = true;
                }
                for (String k : List.of("resource", "base_path", "bundle", "list_sql", "fetch_sql", "list_path",
                        "fetch_path", "prefix_param")) {
                    optString(s, k);
                }
                if (s.get("strict_fingerprint") != null && pydanticBool(s.get("strict_fingerprint")) == null) {
                    failed = true;
                }
            } else {
                failed = true;
            }
            if (b.containsKey("layout")) {
                if (b.get("layout") instanceof Map<?, ?> l) {
                    extras(l, LAYOUT_KEYS, "bundle.layout");
                    for (String k : LAYOUT_KEYS) {
                        if (l.containsKey(k) && !(l.get(k) instanceof String)) {
                            failed = true;
                        }
                    }
                } else {
                    failed = true;
                }
            }
        }

        void resource(Object r, String loc) {
            if (!(r instanceof Map<?, ?> m)) {
                failed = true;
                return;
            }
            extras(m, RESOURCE_KEYS, loc);
            requiredString(m, "kind");
            requiredString(m, "driver");
            optString(m, "profile");
            for (String k : List.of("config", "options", "decode")) {
                if (m.containsKey(k) && !(m.get(k) instanceof Map<?, ?>)) {
                    failed = true;
                }
            }
        }

        void extras(Map<?, ?> m, Set<String> allowed, String loc) {
            for (Object k : m.keySet()) {
                if (!allowed.contains(str(k))) {
                    unknown.add(loc.isEmpty() ? str(k) : loc + "." + k);
                }
            }
        }

        void requiredString(Map<?, ?> m, String k) {
            if (!(m.get(k) instanceof String)) {
                failed = true;
            }
        }

        void optString(Map<?, ?> m, String k) {
            if (m.get(k) != null && !(m.get(k) instanceof String)) {
                failed = true;
            }
        }
    }

    /** pydantic's lax int: ints, bools, integral floats, integer text. */
    private static BigInteger pydanticInt(Object v) {
        if (v instanceof Double d) {
            return d == Math.rint(d) && !d.isInfinite() ? java.math.BigDecimal.valueOf(d).toBigInteger() : null;
        }
        return pyInt(v);
    }

    /** Python's {@code int(v)}: ints, bools, floats (truncated), integer text. */
    private static BigInteger pyInt(Object v) {
        if (v instanceof Long l) {
            return BigInteger.valueOf(l);
        }
        if (v instanceof BigInteger b) {
            return b;
        }
        if (v instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : new java.math.BigDecimal(d).toBigInteger();
        }
        if (v instanceof String s && INT_TEXT.matcher(s).matches()) {
            return new BigInteger(s.strip().replace("_", "").replace("+", ""));
        }
        return null;
    }

    private static Boolean pydanticBool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l && (l == 0 || l == 1)) {
            return l == 1;
        }
        if (v instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "1", "on", "t", "true", "y", "yes":
                    return true;
                case "0", "off", "f", "false", "n", "no":
                    return false;
                default:
                    return null;
            }
        }
        return null;
    }

    private static boolean truthy(Object v) {
        Boolean b = pydanticBool(v);
        return b != null && b;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(str(k), val));
        return out;
    }

    private static String str(Object v) {
        return v instanceof String s ? s : v instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(v);
    }

    /** Python's {@code str(v or default)}. */
    private static String orDefault(Object v, String def) {
        if (v == null || Boolean.FALSE.equals(v) || "".equals(v) || Long.valueOf(0).equals(v)) {
            return def;
        }
        return str(v);
    }

    private static String opt(Object v) {
        return v == null ? null : str(v);
    }

    private static ManifestException fail(LoadedYaml y, String loc, String message) {
        LoadedYaml.Position p = y.position(loc);
        String where = p == null || p.line() == 0 ? y.source() : y.source() + ":" + p.line() + ":" + p.column();
        return new ManifestException("bundle manifest " + where + ": " + message, message);
    }
}
