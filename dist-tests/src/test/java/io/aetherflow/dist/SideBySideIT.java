package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side-by-side versions (OSGi wiring): the library com.example.textlib 1.0.0 and 2.0.0 (incompatible
 * APIs, both exporting package com.example.textlib) are installed together with {@code plugins add
 * --keep}; the step plugin importing {@code [1,2)} and the one importing {@code [2,3)} each get
 * their own version in one run. The four bundles are compiled from src/test/side-by-side at test time.
 */
class SideBySideIT {

    static final Path SOURCES = Aetherflow.REPO.resolve("dist-tests/src/test/side-by-side");

    @TempDir
    Path tmp;

    private Path home;
    private Map<String, String> env;

    @BeforeEach
    void copyInstallation() throws Exception {
        home = Aetherflow.copyInstallation(tmp);
        env = Aetherflow.installationEnv(tmp);
    }

    private Result af(String... args) throws Exception {
        return Aetherflow.run(home, tmp, env, args);
    }

    /** Compiles SOURCES/module against the test class path (the core API) plus extra class directories. */
    private Path compile(String module, Path... classPath) throws IOException {
        Path out = tmp.resolve("classes/" + module);
        Files.createDirectories(out);
        List<String> sources;
        try (Stream<Path> s = Files.walk(SOURCES.resolve(module))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
        for (Path p : classPath) {
            cp.append(File.pathSeparatorChar).append(p);
        }
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-encoding", "UTF-8", "-d",
                out.toString(), "-classpath", cp.toString()));
        args.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, rc, "javac " + module + ":\n" + diagnostics.toString(StandardCharsets.UTF_8));
        return out;
    }

    /** A bundle jar of the class directory with the given headers (and one DS component for a step). */
    private Path bundle(String file, Path classes, Map<String, String> headers, String stepType, String stepClass)
            throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        headers.forEach(a::putValue);
        String xmlName = null;
        if (stepType != null) {
            xmlName = "OSGI-INF/" + stepType + ".xml";
            a.putValue("Service-Component", xmlName);
        }
        Path jar = tmp.resolve("jars/" + file);
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf);
                Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
                j.write(Files.readAllBytes(p));
                j.closeEntry();
            }
            if (xmlName != null) {
                j.putNextEntry(new JarEntry(xmlName));
                j.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + stepType + "\">\n"
                        + "  <implementation class=\"" + stepClass + "\"/>\n"
                        + "  <service><provide interface=\"io.aetherflow.api.step.Step\"/></service>\n"
                        + "  <property name=\"aetherflow.step.type\" value=\"" + stepType + "\"/>\n"
                        + "</scr:component>\n").getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return jar;
    }

    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void twoPluginsUseTwoIncompatibleVersionsOfOneLibraryInOneRun() throws Exception {
        Path lib1Classes = compile("textlib-1");
        Path lib2Classes = compile("textlib-2");
        Path lib1 = bundle("textlib-1.0.0.jar", lib1Classes, headers("Bundle-SymbolicName", "com.example.textlib",
                "Bundle-Version", "1.0.0", "Export-Package", "com.example.textlib;version=\"1.0.0\""), null, null);
        Path lib2 = bundle("textlib-2.0.0.jar", lib2Classes, headers("Bundle-SymbolicName", "com.example.textlib",
                "Bundle-Version", "2.0.0", "Export-Package", "com.example.textlib;version=\"2.0.0\""), null, null);
        Path shout = bundle("example-shout-1.0.0.jar", compile("shout", lib1Classes), headers(
                "Bundle-SymbolicName", "com.example.shout", "Bundle-Version", "1.0.0",
                "Import-Package", "com.example.textlib;version=\"[1,2)\",io.aetherflow.api.step;version=\"[1.0,2)\""),
                "example.shout", "com.example.shout.ShoutStep");
        Path decorate = bundle("example-decorate-1.0.0.jar", compile("decorate", lib2Classes), headers(
                "Bundle-SymbolicName", "com.example.decorate", "Bundle-Version", "1.0.0",
                "Import-Package", "com.example.textlib;version=\"[2,3)\",io.aetherflow.api.step;version=\"[1.0,2)\""),
                "example.decorate", "com.example.decorate.DecorateStep");

        Result add1 = af("plugins", "add", lib1.toString(), shout.toString());
        assertEquals(0, add1.exit(), add1.toString());
        // without --keep, 2.0.0 would replace 1.0.0, which example.shout needs: refused, nothing changed
        Result replacing = af("plugins", "add", lib2.toString(), decorate.toString());
        assertEquals(3, replacing.exit(), replacing.toString());
        assertTrue(replacing.stderr().contains("com.example.textlib") && replacing.stderr().contains("--keep"),
                replacing.stderr());
        Result add2 = af("plugins", "add", "--keep", lib2.toString(), decorate.toString());
        assertEquals(0, add2.exit(), add2.toString());

        String lock = Files.readString(home.resolve("plugins.lock"));
        assertTrue(lock.lines().anyMatch(l -> l.matches("com\\.example\\.textlib\\s+1\\.0\\.0\\s.*")), lock);
        assertTrue(lock.lines().anyMatch(l -> l.matches("com\\.example\\.textlib\\s+2\\.0\\.0\\s.*")), lock);
        Result list = af("plugins", "list");
        assertEquals(0, list.exit(), list.toString());
        for (String bsnVersion : List.of("com.example.textlib 1.0.0", "com.example.textlib 2.0.0",
                "com.example.shout 1.0.0", "com.example.decorate 1.0.0")) {
            String[] p = bsnVersion.split(" ");
            assertTrue(list.stdout().lines().anyMatch(l -> l.startsWith(p[0]) && l.contains(p[1]) && l.contains("ACTIVE")),
                    bsnVersion + " not active in:\n" + list.stdout());
        }

        Path out = tmp.resolve("texts.txt");
        Path flow = Aetherflow.write(tmp.resolve("side-by-side.yaml"), flow("side_by_side", "  - id: j\n    steps:\n"
                + "      - id: a\n        type: example.shout\n        inputs: {text: hello}\n"
                + "      - id: b\n        type: example.decorate\n        inputs: {text: hello}\n"
                + Flows.sh("report", "printf '%s %s|%s %s' '{{steps.a.text}}' '{{steps.a.textlib}}' '{{steps.b.text}}'"
                        + " '{{steps.b.textlib}}' > " + out, null)));
        Result run = af("run", "--flow-yaml", flow.toString(), "--run-id", "sbs-1");
        assertEquals(0, run.exit(), run.toString());
        // each plugin called its own library's API (a wrong wiring would be a NoSuchMethodError) and version
        assertEquals("HELLO! 1.0.0|~hello~ 2.0.0", Files.readString(out));
        Result show = af("runs", "show", "sbs-1", "--state", env.get("AF_STATE"));
        assertTrue(show.stdout().contains("by com.example.shout 1.0.0") && show.stdout().contains(
                "by com.example.decorate 1.0.0"), show.stdout());

        // the wiring is also what plugins remove checks: 1.0.0 is still needed by example.shout
        Result remove = af("plugins", "remove", "com.example.textlib@1.0.0");
        assertEquals(3, remove.exit(), remove.toString());
        assertTrue(remove.stderr().contains("needed by com.example.shout 1.0.0 (package com.example.textlib)"),
                remove.stderr());
    }
}
