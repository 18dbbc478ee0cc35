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
 * examples' READMEs state for our artifacts (core API, each bundle and module, the distribution) is the
 * one in the poms, read at test time. A history note may say "since core API X.Y.Z" for an older one.
 */
class DocVersionsIT {

    private static final Path REPO = Aetherflow.REPO;
    private static final String V = "(\\d+\\.\\d+\\.\\d+)(?![\\d.]*\\d)";

    /** core API mentions: "core API 1.4.0", "aetherflow-core-api:1.4.0", "aetherflow-core-api-1.4.0.jar", lock/list rows. */
    private static final Pattern CORE_API = Pattern.compile(
            "(since )?(?:core API |aetherflow-core-api[-:]|io\\.aetherflow\\.core\\.api`?\\s+(?:\\|\\s*)?)" + V);
    /** our artifacts by symbolic name (lock rows, tables, "x -> bundle 1.0.0") or by artifact (jar or directory name, coordinates, "aetherflow 0.1.0"). */
    private static final Pattern ARTIFACT = Pattern.compile(
            "io\\.aetherflow\\.([a-z]+(?:\\.[a-z]+)*)`?\\s+(?:\\|\\s*)?" + V
                    + "|\\b(aetherflow(?:-[a-z]+)*)[-: ]" + V);

    @Test
    void everyVersionTheDocsStateForOurArtifactsIsThePomVersion() throws Exception {
        Map<String, String> versions = moduleVersions();
        String coreApi = versions.get("aetherflow-core-api");
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
                m = ARTIFACT.matcher(line);
                while (m.find()) {
                    boolean bySymbolicName = m.group(1) != null;
                    String artifact = bySymbolicName ? "aetherflow-" + m.group(1).replace('.', '-') : m.group(3);
                    String said = bySymbolicName ? m.group(2) : m.group(4);
                    String pom = artifact.equals("aetherflow") ? distribution : versions.get(artifact);
                    if (pom == null || artifact.equals("aetherflow-core-api")) {
                        continue; // not a module of ours (a vendor's, a package); the core API: CORE_API above
                    }
                    if (!said.equals(pom)) {
                        wrong.add(where + ": " + artifact + " " + said + " (pom: " + pom + ")");
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), "versions in the docs that are not the poms':\n" + String.join("\n", wrong));
    }

    /** artifactId to version of every module the root pom lists (recursively). */
    private static Map<String, String> moduleVersions() throws IOException {
        Map<String, String> out = new TreeMap<>();
        addModules(REPO, out);
        return out;
    }

    private static void addModules(Path dir, Map<String, String> out) throws IOException {
        String xml = Files.readString(dir.resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(xml);
        while (m.find()) {
            Path module = dir.resolve(m.group(1).strip());
            if (Files.isRegularFile(module.resolve("pom.xml"))) {
                String pom = Files.readString(module.resolve("pom.xml")).replaceAll("(?s)<parent>.*?</parent>", "");
                Matcher a = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(pom);
                if (a.find()) {
                    out.put(a.group(1).strip(), version(module.resolve("pom.xml")));
                }
                addModules(module, out);
            }
        }
    }

    private static String version(Path pom) throws IOException {
        String text = Files.readString(pom);
        Matcher parent = Pattern.compile("(?s)<parent>.*?<version>([^<]+)</version>.*?</parent>").matcher(text);
        String own = text.replaceAll("(?s)<parent>.*?</parent>", "")
                .replaceAll("(?s)<(properties|repositories|dependencies|dependencyManagement|build|profiles)>.*", "");
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(own);
        String v = m.find() ? m.group(1).strip() : parent.find() ? parent.group(1).strip() : null;
        if (v == null) {
            throw new IllegalStateException("no version in " + pom);
        }
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
