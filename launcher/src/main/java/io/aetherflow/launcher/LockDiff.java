package io.aetherflow.launcher;

import io.aetherflow.launch.LockedBundle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.osgi.framework.Version;

/**
 * What changed between two plugin locks, bundle by bundle: {@code added}, {@code removed},
 * {@code upgraded}/{@code downgraded} (one version of a symbolic name replaced by another),
 * {@code changed-bytes} (same name and version, other sha256), {@code signer-changed},
 * {@code moved} (same jar, other path).
 */
public final class LockDiff {

    /**
     * One difference.
     *
     * @param kind the kind of change (see the class comment)
     * @param symbolicName the bundle
     * @param fromVersion version in the first lock, or null when added
     * @param toVersion version in the second lock, or null when removed
     * @param fromSha256 sha256 in the first lock, or null
     * @param toSha256 sha256 in the second lock, or null
     * @param detail a short human explanation
     */
    public record Change(String kind, String symbolicName, String fromVersion, String toVersion, String fromSha256,
            String toSha256, String detail) {
    }

    private LockDiff() {
    }

    /**
     * @param a the first lock
     * @param b the second lock
     * @return the changes, sorted by symbolic name
     */
    public static List<Change> diff(PluginLock a, PluginLock b) {
        Map<String, Map<String, LockedBundle>> left = byName(a);
        Map<String, Map<String, LockedBundle>> right = byName(b);
        TreeSet<String> names = new TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        List<Change> out = new ArrayList<>();
        for (String name : names) {
            Map<String, LockedBundle> l = left.getOrDefault(name, Map.of());
            Map<String, LockedBundle> r = right.getOrDefault(name, Map.of());
            List<LockedBundle> onlyLeft = new ArrayList<>();
            List<LockedBundle> onlyRight = new ArrayList<>();
            for (LockedBundle x : l.values()) {
                LockedBundle y = r.get(x.version());
                if (y == null) {
                    onlyLeft.add(x);
                } else if (!x.sha256().equals(y.sha256())) {
                    out.add(new Change("changed-bytes", name, x.version(), y.version(), x.sha256(), y.sha256(),
                            "same version, different jar"));
                } else if (!String.valueOf(x.signerSha256()).equals(String.valueOf(y.signerSha256()))) {
                    out.add(new Change("signer-changed", name, x.version(), y.version(), x.sha256(), y.sha256(),
                            "signer " + x.signerSha256() + " -> " + y.signerSha256()));
                } else if (!x.fileName().equals(y.fileName())) {
                    out.add(new Change("moved", name, x.version(), y.version(), x.sha256(), y.sha256(),
                            x.fileName() + " -> " + y.fileName()));
                }
            }
            for (LockedBundle y : r.values()) {
                if (!l.containsKey(y.version())) {
                    onlyRight.add(y);
                }
            }
            if (onlyLeft.size() == 1 && onlyRight.size() == 1) {
                LockedBundle x = onlyLeft.get(0);
                LockedBundle y = onlyRight.get(0);
                boolean up = Version.parseVersion(y.version()).compareTo(Version.parseVersion(x.version())) > 0;
                out.add(new Change(up ? "upgraded" : "downgraded", name, x.version(), y.version(), x.sha256(), y.sha256(),
                        x.version() + " -> " + y.version()));
                continue;
            }
            for (LockedBundle x : onlyLeft) {
                out.add(new Change("removed", name, x.version(), null, x.sha256(), null, x.fileName()));
            }
            for (LockedBundle y : onlyRight) {
                out.add(new Change("added", name, null, y.version(), null, y.sha256(), y.fileName()));
            }
        }
        return out;
    }

    private static Map<String, Map<String, LockedBundle>> byName(PluginLock lock) {
        Map<String, Map<String, LockedBundle>> m = new TreeMap<>();
        for (LockedBundle b : lock.bundles()) {
            m.computeIfAbsent(b.symbolicName(), k -> new LinkedHashMap<>()).put(b.version(), b);
        }
        return m;
    }

    /**
     * @param changes the changes
     * @return one line per change, e.g. {@code upgraded       com.acme.steps 1.0.0 -> 2.0.0}
     */
    public static String text(List<Change> changes) {
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            String what = switch (c.kind()) {
                case "added" -> c.symbolicName() + " " + c.toVersion() + " (" + c.detail() + ")";
                case "removed" -> c.symbolicName() + " " + c.fromVersion() + " (" + c.detail() + ")";
                case "upgraded", "downgraded" -> c.symbolicName() + " " + c.detail();
                case "changed-bytes" -> c.symbolicName() + " " + c.toVersion() + " sha256 " + c.fromSha256() + " -> "
                        + c.toSha256() + " (" + c.detail() + ")";
                default -> c.symbolicName() + " " + c.toVersion() + " (" + c.detail() + ")";
            };
            sb.append(String.format("%-15s%s%n", c.kind(), what));
        }
        sb.append(changes.isEmpty() ? "no differences\n"
                : changes.size() + " change" + (changes.size() == 1 ? "" : "s") + "\n");
        return sb.toString();
    }

    /**
     * @param a the first lock
     * @param b the second lock
     * @param changes the changes
     * @return the JSON report
     */
    public static Map<String, Object> json(PluginLock a, PluginLock b, List<Change> changes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", a.file().toString());
        m.put("from_plugin_set_hash", a.sha256());
        m.put("to", b.file().toString());
        m.put("to_plugin_set_hash", b.sha256());
        List<Object> list = new ArrayList<>();
        for (Change c : changes) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("change", c.kind());
            e.put("symbolic_name", c.symbolicName());
            e.put("from_version", c.fromVersion());
            e.put("to_version", c.toVersion());
            e.put("from_sha256", c.fromSha256());
            e.put("to_sha256", c.toSha256());
            e.put("detail", c.detail());
            list.add(e);
        }
        m.put("changes", list);
        return m;
    }
}
