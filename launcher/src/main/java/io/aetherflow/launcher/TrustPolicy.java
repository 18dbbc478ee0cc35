package io.aetherflow.launcher;

import io.aetherflow.launch.TrustMode;
import io.aetherflow.launch.TrustStatus;
import io.aetherflow.launch.LockedBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The signing policy of an installation.
 *
 * <ul>
 * <li><b>mode</b>: {@code enterprise} when {@code AETHERFLOW_MODE} is {@code enterprise} (trimmed,
 * any case) <em>or</em> {@code <home>/conf/trust.properties} has {@code mode=enterprise}; else
 * {@code internal_fast}. The file lets an administrator enforce enterprise mode for every user of an
 * installation: the environment can tighten the policy, never loosen it.</li>
 * <li><b>core bundles</b>: the lines {@code symbolic-name version sha256} of
 * {@code <home>/conf/core-bundles}, written by the build for the bundles the distribution ships.
 * A core bundle is pinned by its exact bytes and needs no signature; any other bundle is a plugin.</li>
 * </ul>
 * In enterprise mode every plugin must be signed by a trusted, valid certificate. In both modes a
 * tampered signed jar, and a jar whose signer differs from the lock's {@code signer-sha256} column,
 * are refused; {@code internal_fast} runs unsigned and untrusted plugins and reports them in
 * {@code plugins list} and {@code plugins verify}.
 *
 * @param enterprise true in enterprise mode
 * @param modeSource where the mode came from, for messages
 * @param core {@code "symbolic-name version sha256"} of every core bundle
 */
public record TrustPolicy(boolean enterprise, String modeSource, Set<String> core) {

    /** Name of the policy file in {@code <home>/conf}. */
    public static final String POLICY_FILE = "trust.properties";
    /** Name of the core bundle list in {@code <home>/conf}. */
    public static final String CORE_FILE = "core-bundles";

    /** Defensive copy. */
    public TrustPolicy {
        core = Set.copyOf(core);
    }

    /**
     * @param env the process environment
     * @param home the installation directory
     * @return the policy in force
     * @throws PluginSetException when a conf file exists but is unreadable or malformed
     */
    public static TrustPolicy load(Map<String, String> env, Path home) throws PluginSetException {
        Path conf = home.resolve("conf");
        boolean enterprise = false;
        String source = "default";
        String envMode = env.getOrDefault("AETHERFLOW_MODE", "").strip().toLowerCase(Locale.ROOT);
        Path policyFile = conf.resolve(POLICY_FILE);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(policyFile)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            // no installation-wide policy
        } catch (IOException | IllegalArgumentException e) {
            throw new PluginSetException("cannot read " + policyFile + ": " + e.getMessage(), e);
        }
        String fileMode = p.getProperty("mode", "").strip().toLowerCase(Locale.ROOT);
        if (!fileMode.isEmpty() && !fileMode.equals("enterprise") && !fileMode.equals("internal_fast")) {
            throw new PluginSetException(policyFile + ": mode must be enterprise or internal_fast, found '" + fileMode + "'");
        }
        if (fileMode.equals("enterprise")) {
            enterprise = true;
            source = policyFile.toString();
        } else if (envMode.equals("enterprise")) {
            enterprise = true;
            source = "AETHERFLOW_MODE";
        }
        return new TrustPolicy(enterprise, source, readCore(conf.resolve(CORE_FILE)));
    }

    private static Set<String> readCore(Path file) throws PluginSetException {
        Set<String> out = new HashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new PluginSetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("[ \\t]+");
            if (f.length != 3 || f[2].length() != 64) {
                throw new PluginSetException(file + ":" + (i + 1) + ": expected 'symbolic-name version sha256'");
            }
            out.add(f[0] + " " + org.osgi.framework.Version.parseVersion(f[1]) + " " + f[2].toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /**
     * Renders {@code conf/core-bundles} for a set of bundles.
     *
     * @param bundles the distribution's bundles
     * @return the file content
     */
    public static String formatCore(List<LockedBundle> bundles) {
        StringBuilder sb = new StringBuilder("# Bundles of the core AetherFlow distribution (written by the build).\n"
                + "# They are pinned by sha256 and need no signature; every other bundle is a plugin.\n");
        for (LockedBundle b : bundles) {
            sb.append(b.symbolicName()).append(' ').append(b.version()).append(' ').append(b.sha256()).append('\n');
        }
        return sb.toString();
    }

    /** @return the mode in force */
    public TrustMode trustMode() {
        return enterprise ? TrustMode.ENTERPRISE : TrustMode.INTERNAL_FAST;
    }

    /** @return {@code enterprise} or {@code internal_fast} */
    public String mode() {
        return trustMode().label();
    }

    /**
     * @param b a lock entry
     * @return true when exactly that jar is part of the core distribution
     */
    public boolean isCore(LockedBundle b) {
        return core.contains(b.symbolicName() + " " + b.version() + " " + b.sha256());
    }

    /**
     * Applies the policy to one bundle.
     *
     * @param b the lock entry (its signer column is checked too)
     * @param v the bundle's verdict
     * @param trustStore the trust store file, for messages
     * @return why the bundle is refused (one line without the bundle name), or null when it may run
     */
    public String refusal(LockedBundle b, TrustVerdict v, Path trustStore) {
        if (v.status() == TrustStatus.CORE) {
            return null;
        }
        if (v.status() == TrustStatus.TAMPERED) {
            return "tampered: " + v.detail() + "; restore the jar from its vendor";
        }
        if (b.signerSha256() != null && !b.signerSha256().equalsIgnoreCase(String.valueOf(v.signerSha256()))) {
            return (v.signerSha256() == null ? "not signed" : "signed by sha256 " + v.signerSha256() + " ('"
                    + v.signerSubject() + "')") + " but the lock expects signer sha256 " + b.signerSha256()
                    + "; restore the vendor's jar or re-lock the plugin set";
        }
        if (!enterprise) {
            return null;
        }
        String how = " (enterprise mode, from " + modeSource + ")";
        return switch (v.status()) {
            case TRUSTED -> null;
            case UNSIGNED -> "not signed; enterprise mode requires every plugin to be signed by a trusted certificate"
                    + how + "; get a signed jar from its vendor (see docs/signing-and-trust.md)";
            case UNTRUSTED -> "untrusted: " + v.detail() + how + "; if you trust that vendor: aetherflow trust add"
                    + " <vendor-certificate> (trust store " + trustStore + ")";
            case EXPIRED, NOT_YET_VALID -> v.status().label() + ": " + v.detail() + how
                    + "; get a jar signed with a valid certificate from its vendor";
            default -> null;
        };
    }

    /**
     * The plugin directories this policy honours. In enterprise mode only paths named by an asset-bundle
     * manifest count (as in the Python AetherFlow); this release has no manifests, so enterprise mode
     * honours none and an ambient {@code AETHERFLOW_PLUGIN_PATHS} is reported and ignored.
     *
     * @param value the {@code AETHERFLOW_PLUGIN_PATHS} value, may be null
     * @param warnings receives the "ignored" warning
     * @return the directories, in order
     */
    public List<Path> pluginPaths(String value, List<String> warnings) {
        if (!enterprise) {
            return LockVerifier.pluginPaths(value);
        }
        if (value != null && !value.isBlank()) {
            warnings.add("AETHERFLOW_PLUGIN_PATHS is ignored in enterprise mode (" + modeSource
                    + "): only plugin paths named by an asset-bundle manifest are honoured there");
        }
        return List.of();
    }
}
