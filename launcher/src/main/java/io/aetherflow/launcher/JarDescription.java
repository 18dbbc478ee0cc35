package io.aetherflow.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.apache.felix.framework.Logger;
import org.apache.felix.framework.util.manifestparser.ManifestParser;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What a bundle jar declares, read from the jar without installing it: its capabilities and requirements
 * as the framework parses them ({@link ManifestParser}, the same parser Felix installs with, no resolver),
 * the services of its {@code Provide-Capability: osgi.service} header and of the Declarative Services
 * descriptors named by {@code Service-Component} (their {@code <provide>} interfaces and
 * {@code <property>}/{@code <properties>} values).
 *
 * @param capabilities what the bundle provides (packages, bundle, host, identity, capabilities)
 * @param requirements what it requires (imports, required bundles, fragment host, capabilities, dynamic imports)
 * @param declared the services it declares
 */
record JarDescription(List<BundleCapability> capabilities, List<BundleRequirement> requirements,
        List<PluginIndex.Declared> declared) {

    private static final String SCR_EXTENDER = "osgi.component";

    /**
     * Reads a jar.
     *
     * @param jar the bundle jar (already verified against its lock line)
     * @return its description
     * @throws PluginSetException when the jar cannot be read or its manifest is not a bundle's
     */
    static JarDescription of(Path jar) throws PluginSetException {
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            Manifest mf = jf.getManifest();
            if (mf == null) {
                throw new PluginSetException(jar + " has no META-INF/MANIFEST.MF; it is not a bundle");
            }
            Map<String, Object> headers = new HashMap<>();
            mf.getMainAttributes().forEach((k, v) -> headers.put(k.toString(), v.toString()));
            ManifestParser mp = new ManifestParser(new Logger(), new HashMap<>(), null, headers);
            List<PluginIndex.Declared> declared = new ArrayList<>(components(jf, (String) headers.get("Service-Component")));
            declared.addAll(services(mp.getCapabilities()));
            return new JarDescription(List.copyOf(mp.getCapabilities()), List.copyOf(mp.getRequirements()),
                    List.copyOf(declared));
        } catch (IOException | BundleException | RuntimeException e) {
            throw new PluginSetException("cannot read the manifest of " + jar + ": " + e.getMessage(), e);
        }
    }

    /** @return true when the bundle is the Declarative Services runtime ({@code osgi.extender=osgi.component}) */
    boolean extender() {
        return capabilities.stream().anyMatch(c -> "osgi.extender".equals(c.getNamespace())
                && SCR_EXTENDER.equals(c.getAttributes().get("osgi.extender")));
    }

    /** Services of {@code Provide-Capability: osgi.service}. */
    static List<PluginIndex.Declared> services(List<BundleCapability> caps) {
        List<PluginIndex.Declared> out = new ArrayList<>();
        for (BundleCapability c : caps) {
            if (!"osgi.service".equals(c.getNamespace())) {
                continue;
            }
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
                out.add(new PluginIndex.Declared(List.copyOf(names), Map.copyOf(props)));
            }
        }
        return out;
    }

    /** Services of the bundle's Declarative Services components (enabled, non-factory ones). */
    static List<PluginIndex.Declared> components(JarFile jar, String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        List<PluginIndex.Declared> out = new ArrayList<>();
        for (String path : header.split(",")) {
            path = path.strip();
            int semi = path.indexOf(';');
            path = (semi >= 0 ? path.substring(0, semi) : path).strip();
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            if (path.isEmpty()) {
                continue;
            }
            int slash = path.lastIndexOf('/');
            String dir = slash >= 0 ? path.substring(0, slash + 1) : "";
            String pattern = path.substring(slash + 1);
            List<JarEntry> found = new ArrayList<>();
            if (pattern.contains("*")) {
                java.util.regex.Pattern glob = java.util.regex.Pattern.compile(
                        ("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q"));
                Enumeration<JarEntry> all = jar.entries();
                while (all.hasMoreElements()) {
                    JarEntry e = all.nextElement();
                    String n = e.getName();
                    if (!e.isDirectory() && n.startsWith(dir) && n.indexOf('/', dir.length()) < 0
                            && glob.matcher(n.substring(dir.length())).matches()) {
                        found.add(e);
                    }
                }
                found.sort(java.util.Comparator.comparing(JarEntry::getName));
            } else {
                JarEntry e = jar.getJarEntry(path);
                if (e != null) {
                    found.add(e);
                }
            }
            for (JarEntry e : found) {
                out.addAll(parse(jar, e));
            }
        }
        return out;
    }

    private static List<PluginIndex.Declared> parse(JarFile jar, JarEntry descriptor) {
        List<PluginIndex.Declared> out = new ArrayList<>();
        try (InputStream in = jar.getInputStream(descriptor)) {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.newSAXParser().parse(in, new ComponentHandler(jar, out));
        } catch (IOException | SAXException | ParserConfigurationException | RuntimeException e) {
            // an unreadable descriptor: SCR will say so when the bundle starts; the bundle is then found
            // only by the start-everything fallback
            return List.of();
        }
        return out;
    }

    /** Reads {@code <component>} elements of one descriptor (several per file are allowed). */
    private static final class ComponentHandler extends DefaultHandler {
        private final JarFile jar;
        private final List<PluginIndex.Declared> out;
        private boolean inComponent;
        private boolean skip;
        private final List<String> provides = new ArrayList<>();
        private final Map<String, Object> props = new LinkedHashMap<>();
        private String propName;
        private String propType;
        private StringBuilder text;

        ComponentHandler(JarFile jar, List<PluginIndex.Declared> out) {
            this.jar = jar;
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
                        props.put(propName, PluginIndex.typed(propType, value.strip()));
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
            JarEntry e = entry == null ? null : jar.getJarEntry(entry.startsWith("/") ? entry.substring(1) : entry);
            if (e == null) {
                return;
            }
            Properties p = new Properties();
            try (InputStream in = jar.getInputStream(e)) {
                p.load(in);
            } catch (IOException ex) {
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
                            values.add(PluginIndex.typed(propType, line.strip()));
                        }
                    }
                    props.put(propName, PluginIndex.array(propType, values));
                }
                text = null;
                propName = null;
            } else if (localName.equals("component")) {
                if (!skip && !provides.isEmpty()) {
                    out.add(new PluginIndex.Declared(List.copyOf(provides), Map.copyOf(props)));
                }
                inComponent = false;
            }
        }
    }
}
