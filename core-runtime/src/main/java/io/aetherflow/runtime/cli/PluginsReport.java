package io.aetherflow.runtime.cli;

import io.aetherflow.launch.BundleTrust;
import io.aetherflow.launch.LaunchInfo;
import io.aetherflow.launch.LockedBundle;
import io.aetherflow.launch.ShippedPlugins;
import io.aetherflow.runtime.plugins.BundleInfo;
import io.aetherflow.runtime.plugins.ConnectorBinding;
import io.aetherflow.runtime.plugins.PluginCatalog;
import io.aetherflow.runtime.plugins.StepBinding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code aetherflow plugins list}: bundles, their signer and trust verdict, what each serves, and the
 * plugin-set hash. The verdicts and the signing mode come from the launcher, which checked every
 * signature before it installed anything ({@link LaunchInfo#trust()}, {@link LaunchInfo#trustMode()}).
 */
final class PluginsReport {

    private PluginsReport() {
    }

    static Map<String, Object> build(PluginCatalog catalog, LaunchInfo info) {
        return build(catalog, info, null);
    }

    /**
     * @param catalog the plugins
     * @param info the launcher's facts, or null
     * @param shipped the plugin jars an asset bundle ships, loaded for this process, or null
     * @return the report
     */
    static Map<String, Object> build(PluginCatalog catalog, LaunchInfo info, ShippedPlugins.Loaded shipped) {
        Map<String, LockedBundle> locked = new LinkedHashMap<>();
        Map<String, BundleTrust> verdicts = new LinkedHashMap<>();
        if (info != null) {
            for (LockedBundle b : info.bundles()) {
                locked.put(b.symbolicName() + "@" + b.version(), b);
            }
            for (BundleTrust t : info.trust()) {
                verdicts.put(t.symbolicName() + "@" + t.version(), t);
            }
        }
        List<String> fromBundle = new ArrayList<>();
        if (shipped != null) {
            for (int i = 0; i < shipped.bundles().size(); i++) {
                LockedBundle b = shipped.bundles().get(i);
                String key = b.symbolicName() + "@" + b.version();
                fromBundle.add(key);
                locked.putIfAbsent(key, b);
                verdicts.putIfAbsent(key, shipped.trust().get(i));
            }
        }
        Map<String, List<String>> stepsByBundle = new LinkedHashMap<>();
        Map<String, List<String>> connectorsByBundle = new LinkedHashMap<>();
        Map<String, Object> stepTypes = new TreeMap<>();
        for (StepBinding s : catalog.allSteps()) {
            stepsByBundle.computeIfAbsent(s.bundle() + "@" + s.version(), k -> new ArrayList<>()).add(s.type());
        }
        for (Map.Entry<String, StepBinding> e : catalog.steps().entrySet()) {
            StepBinding w = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bundle", w.bundle());
            m.put("version", w.version());
            m.put("ranking", w.ranking());
            List<String> shadowed = new ArrayList<>();
            for (StepBinding s : catalog.allSteps()) {
                if (s.type().equals(e.getKey()) && s != w
                        && !(s.bundle().equals(w.bundle()) && s.ranking() == w.ranking())) {
                    shadowed.add(s.bundle() + " " + s.version() + " (ranking " + s.ranking() + ")");
                }
            }
            m.put("shadowed", shadowed);
            stepTypes.put(e.getKey(), m);
        }
        Map<String, Object> connectors = new TreeMap<>();
        for (ConnectorBinding c : catalog.connectors()) {
            String key = c.kind() + ":" + c.driver();
            connectorsByBundle.computeIfAbsent(c.bundle() + "@" + c.version(), k -> new ArrayList<>()).add(key);
            if (!connectors.containsKey(key)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("bundle", c.bundle());
                m.put("version", c.version());
                m.put("ranking", c.ranking());
                m.put("aliases", c.aliases());
                connectors.put(key, m);
            }
        }
        List<Object> bundles = new ArrayList<>();
        for (BundleInfo b : catalog.bundles()) {
            String key = b.symbolicName() + "@" + b.version();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("symbolic_name", b.symbolicName());
            m.put("version", b.version());
            m.put("state", b.state());
            LockedBundle lb = locked.get(key);
            m.put("sha256", lb == null ? null : lb.sha256());
            m.put("file", lb == null ? null : lb.fileName());
            m.put("signer", lb == null ? null : lb.signerSha256());
            BundleTrust v = verdicts.get(key);
            m.put("trust", v == null ? null : v.status().label());
            m.put("signer_sha256", v == null ? null : v.signerSha256());
            m.put("signer_subject", v == null || v.signerSubject() == null ? null
                    : v.signerSubject().replaceAll("[\\t\\r\\n]", " "));
            m.put("origin", fromBundle.contains(key) && !(info != null && info.bundles().contains(lb)) ? "asset-bundle"
                    : "installation");
            m.put("step_types", stepsByBundle.getOrDefault(key, List.of()));
            m.put("connectors", connectorsByBundle.getOrDefault(key, List.of()));
            bundles.add(m);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("plugin_set_hash", info == null ? null : info.pluginSetHash());
        report.put("lock_file", info == null ? null : String.valueOf(info.lockFile()));
        report.put("trust_mode", info == null || info.trustMode() == null ? null : info.trustMode().label());
        if (shipped != null) {
            Map<String, Object> sb = new LinkedHashMap<>();
            sb.put("lock_file", shipped.lockFile() == null ? null : shipped.lockFile().toString());
            sb.put("plugin_set_hash", shipped.pluginSetHash());
            sb.put("trust_mode", shipped.trustMode() == null ? null : shipped.trustMode().label());
            sb.put("bundles", fromBundle);
            report.put("asset_bundle_plugins", sb);
        }
        report.put("bundles", bundles);
        report.put("step_types", stepTypes);
        report.put("connectors", connectors);
        return report;
    }

    private static String signer(Map<String, Object> b) {
        Object subject = b.get("signer_subject");
        return subject == null ? "-" : String.valueOf(subject);
    }

    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> report) {
        StringBuilder sb = new StringBuilder();
        sb.append("Plugin set: ").append(report.get("plugin_set_hash") == null ? "(not launched from a lock)"
                : "sha256:" + report.get("plugin_set_hash") + " (" + report.get("lock_file") + ")").append('\n');
        if (report.get("trust_mode") != null) {
            sb.append("Signing mode: ").append(report.get("trust_mode")).append('\n');
        }
        Map<String, Object> shipped = (Map<String, Object>) report.get("asset_bundle_plugins");
        if (shipped != null) {
            List<Object> names = (List<Object>) shipped.get("bundles");
            sb.append("Asset bundle plugins: ").append(names.size()).append(" jar").append(names.size() == 1 ? "" : "s")
                    .append(shipped.get("lock_file") == null ? " (no lock)" : " (lock " + shipped.get("lock_file") + ")")
                    .append(", signing mode ").append(shipped.get("trust_mode")).append('\n');
        }
        List<Map<String, Object>> bundles = (List<Map<String, Object>>) report.get("bundles");
        int w = 10;
        int vw = 7;
        int sw = 6;
        for (Map<String, Object> b : bundles) {
            w = Math.max(w, String.valueOf(b.get("symbolic_name")).length());
            vw = Math.max(vw, String.valueOf(b.get("version")).length());
            sw = Math.max(sw, signer(b).length());
        }
        String row = "%-" + w + "s  %-" + vw + "s  %-9s %-13s %-" + sw + "s  %s%n";
        sb.append('\n').append(String.format(row, "BUNDLE", "VERSION", "STATE", "TRUST", "SIGNER", "SERVES"));
        for (Map<String, Object> b : bundles) {
            List<String> serves = new ArrayList<>();
            for (Object s : (List<Object>) b.get("step_types")) {
                serves.add("step:" + s);
            }
            for (Object c : (List<Object>) b.get("connectors")) {
                serves.add("connector:" + c);
            }
            sb.append(String.format(row, b.get("symbolic_name"), b.get("version"),
                    b.get("state"), b.get("trust") == null ? "-" : b.get("trust"), signer(b), String.join(", ", serves)));
        }
        sb.append("\nStep types:\n");
        Map<String, Object> steps = (Map<String, Object>) report.get("step_types");
        for (Map.Entry<String, Object> e : steps.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            sb.append("  ").append(e.getKey()).append(" -> ").append(m.get("bundle")).append(' ').append(m.get("version"));
            if (((Number) m.get("ranking")).intValue() != 0) {
                sb.append(" (ranking ").append(m.get("ranking")).append(')');
            }
            for (Object s : (List<Object>) m.get("shadowed")) {
                sb.append("; shadows ").append(s);
            }
            sb.append('\n');
        }
        Map<String, Object> conns = (Map<String, Object>) report.get("connectors");
        sb.append("\nConnector drivers:").append(conns.isEmpty() ? " (none installed)\n" : "\n");
        for (Map.Entry<String, Object> e : conns.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            sb.append("  ").append(e.getKey()).append(" -> ").append(m.get("bundle")).append(' ').append(m.get("version"));
            List<Object> aliases = (List<Object>) m.get("aliases");
            if (!aliases.isEmpty()) {
                sb.append(" (aliases: ").append(aliases).append(')');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
