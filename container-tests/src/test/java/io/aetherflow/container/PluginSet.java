package io.aetherflow.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The assembled distribution's plugin set as its plugins.lock names it, read at test time (both by the
 * configuration, outside the framework, and by the tests, inside it: the native container shares the JVM).
 */
final class PluginSet {

    /** One line of plugins.lock. */
    record Entry(String symbolicName, String version, String sha256, Path jar) {
    }

    /** A service that a bundle's Declarative Services descriptors declare (property name and value). */
    record Declared(String property, String value) {
    }

    static final Path HOME = Paths.get(System.getProperty("aetherflow.home", "../bundles-repo/target/aetherflow-0.1.0"))
            .toAbsolutePath().normalize();
    static final Path VENDOR_DIR = Paths.get(System.getProperty("vendor.plugin.dir", "../examples/vendor-plugin/target"))
            .toAbsolutePath().normalize();

    /**
     * A single-valued property ({@code value="..."}, group 2) or a multi-valued one (one value a line
     * in the element's body, group 3: a component serving several step types).
     */
    private static final Pattern PROPERTY = Pattern.compile(
            "<property\\s+name=\"(aetherflow\\.step\\.type|aetherflow\\.connector\\.kind|aetherflow\\.connector\\.driver)\""
                    + "(?:\\s+type=\"String\")?(?:\\s+value=\"([^\"]*)\"|>([^<]*)</property>)");

    private PluginSet() {
    }

    static List<Entry> lock() throws IOException {
        Path lock = HOME.resolve("plugins.lock");
        if (!Files.isRegularFile(lock)) {
            throw new IllegalStateException("no assembled distribution at " + HOME + ": build bundles-repo first");
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(lock)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < 4 || f[3].startsWith("plugin-path:")) {
                throw new IllegalStateException("unexpected plugins.lock line in " + lock + ": " + line);
            }
            entries.add(new Entry(f[0], f[1], f[2], HOME.resolve(f[3]).normalize()));
        }
        return entries;
    }

    /** The vendor example's built jar (examples/vendor-plugin/target/acme-greet-*.jar). */
    static Path vendorJar() throws IOException {
        try (var files = Files.list(VENDOR_DIR)) {
            return files.filter(p -> p.getFileName().toString().matches("acme-greet-[0-9.]+\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no acme-greet jar in " + VENDOR_DIR));
        }
    }

    /**
     * The step types ({@code aetherflow.step.type}) and connector kind/driver pairs a jar's component
     * descriptors (OSGI-INF/*.xml) declare; a connector is returned as ("connector", "kind:driver").
     */
    static List<Declared> declared(Path jar) throws IOException {
        List<Declared> out = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.getName().startsWith("OSGI-INF/") || !e.getName().endsWith(".xml")) {
                    continue;
                }
                String xml;
                try (InputStream in = zip.getInputStream(e)) {
                    xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                if (!xml.contains("<scr:component")) {
                    continue;
                }
                String kind = null;
                String driver = null;
                Matcher m = PROPERTY.matcher(xml);
                while (m.find()) {
                    List<String> values = m.group(2) != null ? List.of(m.group(2))
                            : java.util.Arrays.stream(m.group(3).split("\\R")).map(String::trim).filter(v -> !v.isEmpty())
                                    .toList();
                    switch (m.group(1)) {
                        case "aetherflow.step.type" -> values.forEach(v -> out.add(new Declared(m.group(1), v)));
                        case "aetherflow.connector.kind" -> kind = values.get(0);
                        default -> driver = values.get(0);
                    }
                }
                if (kind != null && driver != null) {
                    out.add(new Declared("connector", kind + ":" + driver));
                }
            }
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
