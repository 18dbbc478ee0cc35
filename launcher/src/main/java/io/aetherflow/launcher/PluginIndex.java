package io.aetherflow.launcher;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * What each bundle of a set declares and needs, known without installing it ({@link JarDescription}):
 * the services it declares, whether it is the component runtime, which other bundles of the set it needs
 * to resolve (the providers of every capability its resolve-time requirements can match, optional ones
 * included, and the fragments that attach to it) and which ones export the packages its
 * {@code DynamicImport-Package} names. Reading the jars costs a manifest and XML parser, so the result is
 * cached in the cache directory per plugin set ({@code plugin-index/<set-hash>.txt}) and per jar SHA-256:
 * a jar's content decides what it declares and requires, and the set decides who provides it, so a cached
 * line can only be stale when the jar changed, and then its digest (verified against the lock before
 * this runs) differs and the file is not used.
 */
final class PluginIndex {

    /** First line of the cache file. */
    static final String FORMAT = "aetherflow-plugin-index 2";

    /**
     * One declared service.
     *
     * @param objectClass the interface names
     * @param properties the service properties (String, Long, Integer, Boolean, ... or arrays of them)
     */
    record Declared(List<String> objectClass, Map<String, Object> properties) {

        /** @return the properties with {@code objectClass}, for {@link org.osgi.framework.Filter#matches(Map)} */
        Map<String, Object> filterable() {
            Map<String, Object> m = new HashMap<>(properties);
            m.put(Constants.OBJECTCLASS, objectClass.toArray(new String[0]));
            return m;
        }
    }

    /**
     * What one jar is, by digest.
     *
     * @param declared the services it declares
     * @param extender true for the Declarative Services runtime
     * @param needs digests of the bundles of the set it needs to resolve
     * @param dynamic digests of the bundles exporting a package its {@code DynamicImport-Package} names
     *     (exactly or by a {@code prefix.*} pattern; a bare {@code *} names none)
     */
    record Entry(List<Declared> declared, boolean extender, Set<String> needs, Set<String> dynamic) {
    }

    /**
     * One bundle of the index.
     *
     * @param location its framework location
     * @param sha256 its jar's digest
     * @param symbolicName its symbolic name
     * @param entry what it declares and needs
     */
    record Unit(String location, String sha256, String symbolicName, Entry entry) {
    }

    private final Map<String, Unit> units;

    private PluginIndex(Map<String, Unit> units) {
        this.units = units;
    }

    /** @return every bundle by location, in lock (then install) order */
    Map<String, Unit> units() {
        return units;
    }

    /**
     * @param location a framework location
     * @return its unit, or null
     */
    Unit unit(String location) {
        return units.get(location);
    }

    /**
     * @param more the index of bundles installed later
     * @return an index of both (this one's bundles first)
     */
    PluginIndex plus(PluginIndex more) {
        Map<String, Unit> all = new LinkedHashMap<>(units);
        all.putAll(more.units);
        return new PluginIndex(all);
    }

    /**
     * The bundles that must be installed to resolve the given ones: them, the bundles they need,
     * transitively, and (with {@code dynamic}) the exporters of the packages their dynamic imports name.
     *
     * @param roots locations of this index
     * @param dynamic true to add the exporters of the packages that the dynamic imports of the bundles in the
     *     closure name (and what they need)
     * @return the locations, in index order
     */
    Set<String> closure(Collection<String> roots, boolean dynamic) {
        Map<String, String> bySha = new HashMap<>();
        for (Unit u : units.values()) {
            bySha.putIfAbsent(u.sha256(), u.location());
        }
        Set<String> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String loc = todo.pop();
            Unit u = units.get(loc);
            if (u == null || !seen.add(loc)) {
                continue;
            }
            List<String> next = new ArrayList<>(u.entry().needs());
            if (dynamic) {
                next.addAll(u.entry().dynamic());
            }
            for (String sha : next) {
                String l = bySha.get(sha);
                if (l != null) {
                    todo.push(l);
                }
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String loc : units.keySet()) {
            if (seen.contains(loc)) {
                out.add(loc);
            }
        }
        return out;
    }

    /**
     * Builds the index of a verified set (locations: {@link VerifiedBundle#location()}).
     *
     * @param set the verified set
     * @param cacheFile where the index of this set is remembered, or null for no cache
     * @param debug receives one line when the jars were read
     * @return the index
     * @throws PluginSetException when a jar's manifest cannot be read
     */
    static PluginIndex build(VerifiedPluginSet set, Path cacheFile, Consumer<String> debug) throws PluginSetException {
        Map<String, VerifiedBundle> byLocation = new LinkedHashMap<>();
        for (VerifiedBundle vb : set.bundles()) {
            byLocation.put(vb.location(), vb);
        }
        return build(byLocation, cacheFile, debug);
    }

    /**
     * Builds the index of a set of verified jars, from the cache file when it describes every one of them.
     *
     * @param bundles the verified jars by framework location, in lock order
     * @param cacheFile where the index of this set is remembered, or null for no cache
     * @param debug receives one line when the jars were read
     * @return the index
     * @throws PluginSetException when a jar's manifest cannot be read
     */
    static PluginIndex build(Map<String, VerifiedBundle> bundles, Path cacheFile, Consumer<String> debug)
            throws PluginSetException {
        Map<String, Entry> cached = cacheFile == null ? Map.of() : read(cacheFile);
        Set<String> digests = new java.util.HashSet<>();
        for (VerifiedBundle vb : bundles.values()) {
            digests.add(vb.entry().sha256());
        }
        boolean complete = cached.keySet().containsAll(digests);
        for (Entry e : cached.values()) {
            complete &= digests.containsAll(e.needs()) && digests.containsAll(e.dynamic());
        }
        Map<String, Entry> entries = complete ? cached : describe(bundles);
        if (!complete) {
            debug.accept("read the manifests and component descriptors of " + bundles.size() + " bundles (plugin index cache "
                    + (cached.isEmpty() ? "empty" : "incomplete") + ")");
            if (cacheFile != null) {
                CacheDirs.replaceCacheFile(cacheFile, format(entries));
            }
        }
        Map<String, Unit> out = new LinkedHashMap<>();
        for (Map.Entry<String, VerifiedBundle> b : bundles.entrySet()) {
            VerifiedBundle vb = b.getValue();
            out.put(b.getKey(), new Unit(b.getKey(), vb.entry().sha256(), vb.entry().symbolicName(),
                    entries.get(vb.entry().sha256())));
        }
        return new PluginIndex(out);
    }

    /** Reads every jar and finds, for each, the bundles of the set that provide what it requires. */
    static Map<String, Entry> describe(Map<String, VerifiedBundle> bundles) throws PluginSetException {
        List<String> shas = new ArrayList<>();
        List<JarDescription> jars = new ArrayList<>();
        for (VerifiedBundle vb : bundles.values()) {
            shas.add(vb.entry().sha256());
            jars.add(JarDescription.of(vb.file()));
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (int i = 0; i < jars.size(); i++) {
            out.put(shas.get(i), new Entry(jars.get(i).declared(), jars.get(i).extender(), new java.util.TreeSet<>(),
                    new java.util.TreeSet<>()));
        }
        for (int i = 0; i < jars.size(); i++) {
            Entry e = out.get(shas.get(i));
            for (BundleRequirement r : jars.get(i).requirements()) {
                String effective = r.getDirectives().get(Constants.EFFECTIVE_DIRECTIVE);
                if (effective != null && !Constants.EFFECTIVE_RESOLVE.equals(effective)) {
                    continue; // not seen by the resolver (e.g. osgi.service requirements: effective:=active)
                }
                boolean dynamic = "dynamic".equals(r.getDirectives().get(Constants.RESOLUTION_DIRECTIVE));
                if (dynamic && "*".equals(DynamicImports.packageOf(r.getDirectives().get(Constants.FILTER_DIRECTIVE)))) {
                    continue;
                }
                for (int k = 0; k < jars.size(); k++) {
                    if (k == i || !provides(jars.get(k), r)) {
                        continue;
                    }
                    (dynamic ? e.dynamic() : e.needs()).add(shas.get(k));
                    if (BundleRevision.HOST_NAMESPACE.equals(r.getNamespace())) {
                        out.get(shas.get(k)).needs().add(shas.get(i)); // a host resolves with its fragments attached
                    }
                }
            }
        }
        out.replaceAll((k, e) -> new Entry(e.declared(), e.extender(), Set.copyOf(e.needs()), Set.copyOf(e.dynamic())));
        return out;
    }

    private static boolean provides(JarDescription jar, BundleRequirement r) {
        for (BundleCapability c : jar.capabilities()) {
            if (c.getNamespace().equals(r.getNamespace()) && r.matches(c)) {
                return true;
            }
        }
        return false;
    }

    static Object typed(String type, String value) {
        try {
            return switch (type) {
                case "Long" -> Long.valueOf(value);
                case "Integer" -> Integer.valueOf(value);
                case "Short" -> Short.valueOf(value);
                case "Byte" -> Byte.valueOf(value);
                case "Double" -> Double.valueOf(value);
                case "Float" -> Float.valueOf(value);
                case "Boolean" -> Boolean.valueOf(value);
                case "Character" -> value.isEmpty() ? value : (Object) value.charAt(0);
                default -> value;
            };
        } catch (NumberFormatException e) {
            return value;
        }
    }

    static Object array(String type, List<Object> values) {
        boolean strings = true;
        for (Object v : values) {
            strings &= v instanceof String;
        }
        if (strings) {
            return values.toArray(new String[0]);
        }
        return values.toArray();
    }

    // --- cache file: "B sha256" then "S objectClass..." and "P name type value..." lines (declared services),
    // "X" (the component runtime), "N sha256..." (needs), "D sha256..." (dynamic-import exporters); tokens URL-encoded

    static String format(Map<String, Entry> bySha) {
        StringBuilder sb = new StringBuilder(FORMAT).append('\n');
        bySha.forEach((sha, entry) -> {
            sb.append("B ").append(sha).append('\n');
            for (Declared d : entry.declared()) {
                sb.append('S');
                d.objectClass().forEach(o -> sb.append(' ').append(enc(o)));
                sb.append('\n');
                d.properties().forEach((k, v) -> {
                    Object[] values = v instanceof Object[] arr ? arr : new Object[] {v};
                    sb.append("P ").append(enc(k)).append(' ').append(v instanceof Object[] ? "[" : "")
                            .append(values.length == 0 ? "String" : typeName(values[0]));
                    for (Object o : values) {
                        sb.append(' ').append(enc(String.valueOf(o)));
                    }
                    sb.append('\n');
                });
            }
            if (entry.extender()) {
                sb.append("X\n");
            }
            sb.append('N');
            new java.util.TreeSet<>(entry.needs()).forEach(n -> sb.append(' ').append(n));
            sb.append("\nD");
            new java.util.TreeSet<>(entry.dynamic()).forEach(n -> sb.append(' ').append(n));
            sb.append('\n');
        });
        return sb.toString();
    }

    private static String typeName(Object o) {
        return o instanceof String ? "String" : o.getClass().getSimpleName();
    }

    /**
     * @param file a cache file
     * @return its entries by jar digest; empty when it is missing, of another format or damaged
     */
    static Map<String, Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
            return Map.of();
        }
        Map<String, Entry> out = new HashMap<>();
        try {
            String sha = null;
            List<Declared> current = null;
            List<String> classes = null;
            Map<String, Object> props = null;
            boolean extender = false;
            Set<String> needs = null;
            for (String line : lines.subList(1, lines.size())) {
                String[] t = line.split(" ");
                switch (t[0]) {
                    case "B" -> {
                        if (sha != null) {
                            throw new IllegalArgumentException("block without D line");
                        }
                        sha = t[1];
                        current = new ArrayList<>();
                        classes = null;
                        extender = false;
                        needs = null;
                    }
                    case "S" -> {
                        flush(current, classes, props);
                        classes = new ArrayList<>();
                        for (int i = 1; i < t.length; i++) {
                            classes.add(dec(t[i]));
                        }
                        props = new LinkedHashMap<>();
                    }
                    case "P" -> {
                        boolean isArray = t[2].startsWith("[");
                        String type = isArray ? t[2].substring(1) : t[2];
                        List<Object> values = new ArrayList<>();
                        for (int i = 3; i < t.length; i++) {
                            values.add(typed(type, dec(t[i])));
                        }
                        props.put(dec(t[1]), isArray ? array(type, values) : values.get(0));
                    }
                    case "X" -> extender = true;
                    case "N" -> needs = Set.of(java.util.Arrays.copyOfRange(t, 1, t.length));
                    case "D" -> {
                        if (needs == null) {
                            throw new IllegalArgumentException("block without N line");
                        }
                        flush(current, classes, props);
                        out.put(sha, new Entry(List.copyOf(current), extender, needs,
                                Set.of(java.util.Arrays.copyOfRange(t, 1, t.length))));
                        sha = null;
                        classes = null;
                    }
                    default -> throw new IllegalArgumentException(line);
                }
            }
            if (sha != null) {
                throw new IllegalArgumentException("truncated");
            }
        } catch (RuntimeException e) {
            return Map.of(); // damaged: rebuilt and rewritten
        }
        return out;
    }

    private static void flush(List<Declared> current, List<String> classes, Map<String, Object> props) {
        if (current != null && classes != null) {
            current.add(new Declared(List.copyOf(classes), Map.copyOf(props)));
        }
    }

    private static String enc(String s) {
        return s.isEmpty() ? "%" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return s.equals("%") ? "" : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
