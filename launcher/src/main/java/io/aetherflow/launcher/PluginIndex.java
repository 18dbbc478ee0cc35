package io.aetherflow.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Which services each installed bundle declares, known without resolving or starting it: the
 * {@code Provide-Capability: osgi.service} header (from the installed revision) and the Declarative
 * Services descriptors named by {@code Service-Component} (their {@code <provide>} interfaces and
 * {@code <property>}/{@code <properties>} values). Parsing the descriptors costs an XML parser, so
 * their result is cached in the cache directory per jar SHA-256 ({@code plugin-index/<set-hash>.txt});
 * a jar's content decides its declarations, so a cached line can only be stale when the jar changed,
 * and then its digest (verified against the lock before this runs) differs.
 */
final class PluginIndex {

    /** First line of the cache file. */
    static final String FORMAT = "aetherflow-plugin-index 1";

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

    private final Map<Bundle, List<Declared>> declared;

    private PluginIndex(Map<Bundle, List<Declared>> declared) {
        this.declared = declared;
    }

    /** @return every installed bundle with what it declares, in install order */
    Map<Bundle, List<Declared>> all() {
        return declared;
    }

    /**
     * @param more the index of bundles installed later
     * @return an index of both (this one's bundles first)
     */
    PluginIndex plus(PluginIndex more) {
        Map<Bundle, List<Declared>> all = new LinkedHashMap<>(declared);
        all.putAll(more.declared);
        return new PluginIndex(all);
    }

    /**
     * @param b an installed bundle
     * @return what it declares (empty for an unknown bundle)
     */
    List<Declared> of(Bundle b) {
        return declared.getOrDefault(b, List.of());
    }

    /**
     * Builds the index of installed bundles.
     *
     * @param bundles the installed bundles with their verified jar digests
     * @param cacheFile where the descriptor declarations are remembered, or null for no cache
     * @param debug receives one line on a cache miss
     * @return the index
     */
    static PluginIndex build(Map<Bundle, String> bundles, Path cacheFile, Consumer<String> debug) {
        Map<String, List<Declared>> cached = cacheFile == null ? Map.of() : read(cacheFile);
        Map<String, List<Declared>> components = new LinkedHashMap<>();
        int parsed = 0;
        Map<Bundle, List<Declared>> out = new LinkedHashMap<>();
        for (Map.Entry<Bundle, String> e : bundles.entrySet()) {
            Bundle b = e.getKey();
            List<Declared> ds = cached.get(e.getValue());
            if (ds == null) {
                ds = components(b);
                parsed++;
            }
            components.put(e.getValue(), ds);
            List<Declared> all = new ArrayList<>(ds);
            all.addAll(capabilities(b));
            out.put(b, List.copyOf(all));
        }
        if (parsed > 0 && cacheFile != null) {
            debug.accept("read the component descriptors of " + parsed + " bundles (plugin index cache "
                    + (cached.isEmpty() ? "empty" : "partial") + ")");
            CacheDirs.replaceCacheFile(cacheFile, format(components));
        }
        return new PluginIndex(out);
    }

    /** Services of {@code Provide-Capability: osgi.service}, as the framework parsed them at install. */
    static List<Declared> capabilities(Bundle b) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev == null) {
            return List.of();
        }
        List<Declared> out = new ArrayList<>();
        for (BundleCapability c : rev.getDeclaredCapabilities("osgi.service")) {
            Map<String, Object> props = new HashMap<>(c.getAttributes());
            Object oc = props.remove(Constants.OBJECTCLASS);
            List<String> names = new ArrayList<>();
            if (oc instanceof Collection<?> col) {
                col.forEach(o -> names.add(String.valueOf(o)));
            } else if (oc != null) {
                names.add(String.valueOf(oc));
            }
            if (!names.isEmpty()) {
                props.replaceAll((k, v) -> v instanceof List<?> l ? l.stream().map(String::valueOf).toArray(String[]::new) : v);
                out.add(new Declared(List.copyOf(names), Map.copyOf(props)));
            }
        }
        return out;
    }

    /** Services of the bundle's Declarative Services components (enabled, non-factory ones). */
    static List<Declared> components(Bundle b) {
        String header = b.getHeaders("").get("Service-Component");
        if (header == null || header.isBlank()) {
            return List.of();
        }
        List<Declared> out = new ArrayList<>();
        for (String path : header.split(",")) {
            path = path.strip();
            int semi = path.indexOf(';');
            path = (semi >= 0 ? path.substring(0, semi) : path).strip();
            if (path.isEmpty()) {
                continue;
            }
            int slash = path.lastIndexOf('/');
            String dir = slash >= 0 ? path.substring(0, slash) : "/";
            String pattern = path.substring(slash + 1);
            // not findEntries: it would resolve the bundle (it searches fragments too)
            List<URL> found = new ArrayList<>();
            if (pattern.contains("*")) {
                java.util.regex.Pattern glob = java.util.regex.Pattern.compile(
                        ("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q"));
                Enumeration<String> paths = b.getEntryPaths(dir);
                while (paths != null && paths.hasMoreElements()) {
                    String p = paths.nextElement();
                    String name = p.substring(p.lastIndexOf('/', p.length() - 2) + 1);
                    if (!p.endsWith("/") && glob.matcher(name).matches()) {
                        found.add(b.getEntry(p));
                    }
                }
            } else {
                URL u = b.getEntry(path);
                if (u != null) {
                    found.add(u);
                }
            }
            for (URL u : found) {
                out.addAll(parse(b, u));
            }
        }
        return out;
    }

    private static List<Declared> parse(Bundle b, URL descriptor) {
        List<Declared> out = new ArrayList<>();
        try (InputStream in = descriptor.openStream()) {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.newSAXParser().parse(in, new ComponentHandler(b, out));
        } catch (IOException | SAXException | ParserConfigurationException | RuntimeException e) {
            // an unreadable descriptor: SCR will say so when the bundle starts; the bundle is then found
            // only by the start-everything fallback
            return List.of();
        }
        return out;
    }

    /** Reads {@code <component>} elements of one descriptor (several per file are allowed). */
    private static final class ComponentHandler extends DefaultHandler {
        private final Bundle bundle;
        private final List<Declared> out;
        private boolean inComponent;
        private boolean skip;
        private final List<String> provides = new ArrayList<>();
        private final Map<String, Object> props = new LinkedHashMap<>();
        private String propName;
        private String propType;
        private StringBuilder text;

        ComponentHandler(Bundle bundle, List<Declared> out) {
            this.bundle = bundle;
            this.out = out;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes a) {
            switch (localName) {
                case "component" -> {
                    inComponent = true;
                    skip = "false".equals(a.getValue("enabled")) || a.getValue("factory") != null;
                    provides.clear();
                    props.clear();
                }
                case "provide" -> {
                    if (inComponent && a.getValue("interface") != null) {
                        provides.add(a.getValue("interface").strip());
                    }
                }
                case "property" -> {
                    propName = a.getValue("name");
                    propType = a.getValue("type") == null ? "String" : a.getValue("type");
                    String value = a.getValue("value");
                    if (value != null && propName != null) {
                        props.put(propName, typed(propType, value.strip()));
                        propName = null;
                    } else {
                        text = new StringBuilder();
                    }
                }
                case "properties" -> readProperties(a.getValue("entry"));
                default -> {
                    // implementation, reference, ...: not needed to find the component
                }
            }
        }

        private void readProperties(String entry) {
            URL u = entry == null ? null : bundle.getEntry(entry);
            if (u == null) {
                return;
            }
            Properties p = new Properties();
            try (InputStream in = u.openStream()) {
                p.load(in);
            } catch (IOException e) {
                return;
            }
            p.forEach((k, v) -> props.putIfAbsent(String.valueOf(k), String.valueOf(v)));
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (text != null) {
                text.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (localName.equals("property") && text != null) {
                if (propName != null) {
                    List<Object> values = new ArrayList<>();
                    for (String line : text.toString().split("\r?\n")) {
                        if (!line.isBlank()) {
                            values.add(typed(propType, line.strip()));
                        }
                    }
                    props.put(propName, array(propType, values));
                }
                text = null;
                propName = null;
            } else if (localName.equals("component")) {
                if (!skip && !provides.isEmpty()) {
                    out.add(new Declared(List.copyOf(provides), Map.copyOf(props)));
                }
                inComponent = false;
            }
        }
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

    private static Object array(String type, List<Object> values) {
        if (values.stream().allMatch(v -> v instanceof String)) {
            return values.toArray(new String[0]);
        }
        return values.toArray();
    }

    // --- cache file: "B sha256" then "S objectClass..." and "P name type value..." lines, each token URL-encoded

    static String format(Map<String, List<Declared>> bySha) {
        StringBuilder sb = new StringBuilder(FORMAT).append('\n');
        bySha.forEach((sha, list) -> {
            sb.append("B ").append(sha).append('\n');
            for (Declared d : list) {
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
        });
        return sb.toString();
    }

    private static String typeName(Object o) {
        return o instanceof String ? "String" : o.getClass().getSimpleName();
    }

    static Map<String, List<Declared>> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
            return Map.of();
        }
        Map<String, List<Declared>> out = new HashMap<>();
        try {
            List<Declared> current = null;
            List<String> classes = null;
            Map<String, Object> props = null;
            for (String line : lines.subList(1, lines.size())) {
                String[] t = line.split(" ");
                switch (t[0]) {
                    case "B" -> {
                        flush(current, classes, props);
                        current = new ArrayList<>();
                        classes = null;
                        out.put(t[1], current);
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
                    default -> throw new IllegalArgumentException(line);
                }
            }
            flush(current, classes, props);
        } catch (RuntimeException e) {
            return Map.of(); // damaged: rebuilt and rewritten
        }
        out.replaceAll((k, v) -> List.copyOf(v));
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
