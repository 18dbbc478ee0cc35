package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Docs carry one version number per artifact: every version that docs/, README.md, CONTRIBUTING.md and the
 * examples' READMEs state for our artifacts (core API, each bundle, the distribution and its launcher) is
 * the one in the poms, read at test time. A history note may say "since core API X.Y.Z" for an older one.
 */
class DocVersionsIT {

    private static final Path REPO = Aetherflow.REPO;
    private static final String V = "(\\d+\\.\\d+\\.\\d+)(?![\\d.]*\\d)";

    /** core API mentions: "core API 1.4.0", "aetherflow-core-api:1.4.0", "aetherflow-core-api-1.4.0.jar", lock/list rows. */
    private static final Pattern CORE_API = Pattern.compile(
            "(since )?(?:core API |aetherflow-core-api[-:]|io\\.aetherflow\\.core\\.api`?\\s+(?:\\|\\s*)?)" + V);
    /** our bundles by symbolic name (lock rows, tables, "x -> bundle 1.0.0") or jar name. */
    private static final Pattern BUNDLE = Pattern.compile(
            "io\\.aetherflow\\.((?:steps|connectors|core)\\.[a-z]+)`?\\s+(?:\\|\\s*)?" + V
                    + "|aetherflow-((?:steps|connectors|core)-[a-z]+)-" + V + "\\.jar");
    /** the distribution: "aetherflow-0.1.0", "aetherflow 0.1.0", "aetherflow-launcher-0.1.0.jar", "aetherflow:0.1.0". */
    private static final Pattern DISTRIBUTION = Pattern.compile("\\baetherflow(?:-launcher)?[- :]" + V);

    @Test
    void everyVersionTheDocsStateForOurArtifactsIsThePomVersion() throws Exception {
        Map<String, String> versions = moduleVersions();
        String coreApi = versions.get("core-api");
        String distribution = property(Files.readString(REPO.resolve("pom.xml")), "aetherflow.version");
        assertTrue(coreApi != null && distribution != null, "poms not read: " + versions);

        Set<String> wrong = new LinkedHashSet<>();
        for (Path doc : docs()) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = REPO.relativize(doc) + ":" + (i + 1);
                Matcher m = CORE_API.matcher(line);
                while (m.find()) {
                    boolean history = m.group(1) != null;
                    String said = m.group(2);
                    if (history ? compare(said, coreApi) > 0 : !said.equals(coreApi)) {
                        wrong.add(where + ": core API " + said + " (pom: " + coreApi + ")");
                    }
                }
                m = BUNDLE.matcher(line);
                while (m.find()) {
                    String module = m.group(1) != null ? m.group(1).replace('.', '-') : m.group(3);
                    String said = m.group(1) != null ? m.group(2) : m.group(4);
                    String pom = versions.get(module);
                    if (module.equals("core-api")) {
                        continue; // CORE_API checks it (and allows history notes)
                    } else if (pom == null) {
                        wrong.add(where + ": no module " + module + " (" + m.group() + ")");
                    } else if (!said.equals(pom)) {
                        wrong.add(where + ": " + module + " " + said + " (pom: " + pom + ")");
                    }
                }
                m = DISTRIBUTION.matcher(line);
                while (m.find()) {
                    if (!m.group(1).equals(distribution)) {
                        wrong.add(where + ": distribution " + m.group(1) + " (pom: " + distribution + ")");
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), "versions in the docs that are not the poms':\n" + String.join("\n", wrong));
    }

    /** module directory name (core-api, steps-process, connectors-http, ...) to its pom version. */
    private static Map<String, String> moduleVersions() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String dir : List.of("core-api", "core-runtime", "launcher")) {
            out.put(dir, version(REPO.resolve(dir + "/pom.xml")));
        }
        for (String family : List.of("steps", "connectors")) {
            try (Stream<Path> dirs = Files.list(REPO.resolve(family))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    if (Files.isRegularFile(d.resolve("pom.xml"))) {
                        out.put(family + "-" + d.getFileName(), version(d.resolve("pom.xml")));
                    }
                }
            }
        }
        return out;
    }

    private static String version(Path pom) throws IOException {
        String xml = Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", "")
                .replaceAll("(?s)<dependencies>.*", "");
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("no version in " + pom);
        }
        String v = m.group(1).strip();
        return v.startsWith("${") ? property(Files.readString(REPO.resolve("pom.xml")), v.substring(2, v.length() - 1)) : v;
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        return m.find() ? m.group(1).strip() : null;
    }

    private static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>(List.of(REPO.resolve("README.md"), REPO.resolve("CONTRIBUTING.md")));
        for (String dir : List.of("docs", "examples")) {
            try (Stream<Path> files = Files.walk(REPO.resolve(dir))) {
                files.filter(p -> p.toString().endsWith(".md")).filter(p -> !p.toString().contains("/target/"))
                        .sorted().forEach(out::add);
            }
        }
        return out;
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
