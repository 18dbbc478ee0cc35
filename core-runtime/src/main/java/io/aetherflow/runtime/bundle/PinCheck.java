package io.aetherflow.runtime.bundle;

import io.aetherflow.launch.LockedBundle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Whether this installation's plugin set satisfies a manifest's pin ({@code plugins:}): the
 * plugin-set hash of {@code plugins.lock}, and each required bundle at an exact version or within an
 * OSGi version range.
 *
 * @param pin the manifest's pin
 * @param installedHash the installation's plugin-set hash, or null when unknown
 * @param installed the installation's locked bundles
 */
public record PinCheck(BundleManifest.PluginPin pin, String installedHash, List<LockedBundle> installed) {

    /** @return what does not match, one short item each (empty when satisfied) */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (pin.setHash() != null && !pin.setHash().equals(installedHash)) {
            out.add("plugin set sha256:" + shortHash(installedHash) + " is not the pinned sha256:" + shortHash(pin.setHash()));
        }
        for (Map.Entry<String, String> e : new TreeMap<>(pin.bundles()).entrySet()) {
            List<String> versions = new ArrayList<>();
            for (LockedBundle b : installed) {
                if (b.symbolicName().equals(e.getKey())) {
                    versions.add(b.version());
                }
            }
            if (versions.isEmpty()) {
                out.add("missing " + e.getKey() + " " + e.getValue());
            } else if (versions.stream().noneMatch(v -> matches(e.getValue(), v))) {
                out.add(e.getKey() + " " + String.join(",", versions) + " installed, " + e.getValue() + " pinned");
            }
        }
        return out;
    }

    /** @return whether the installation satisfies the pin */
    public boolean satisfied() {
        return problems().isEmpty();
    }

    /** @return the {@code plugin_set} object of {@code bundle status --json} */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pinned_set_hash", pin.setHash());
        m.put("pinned_bundles", new TreeMap<>(pin.bundles()));
        m.put("installed_set_hash", installedHash);
        List<String> problems = problems();
        m.put("satisfied", problems.isEmpty());
        m.put("problems", problems);
        return m;
    }

    private static boolean matches(String spec, String version) {
        try {
            Version v = Version.parseVersion(version);
            String s = spec.strip();
            if (s.startsWith("[") || s.startsWith("(")) {
                return new VersionRange(s).includes(v);
            }
            return Version.parseVersion(s).equals(v);
        } catch (IllegalArgumentException e) {
            return spec.strip().equals(version);
        }
    }

    private static String shortHash(String h) {
        return h == null ? "(unknown)" : h.length() > 12 ? h.substring(0, 12) + "..." : h;
    }
}
