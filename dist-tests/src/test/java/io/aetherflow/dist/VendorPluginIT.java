package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendor's path with the real sample plugin: examples/vendor-plugin is built and signed by the
 * Maven build with a throw-away key (target/signing/acme-test.pem is its certificate); here an
 * operator of an enterprise-mode installation trusts that certificate, adds the jar, sees it
 * trusted in {@code plugins list}, runs a flow using its step type and its connector driver, and
 * removes it again.
 */
@RunsExamples("vendor-plugin")
class VendorPluginIT {

    static final String BSN = "com.example.vendor.acme.greet";
    static final Path VENDOR = Paths.get(System.getProperty("vendor.plugin.dir", "../examples/vendor-plugin/target"))
            .toAbsolutePath().normalize();
    static final Path JAR = VENDOR.resolve("acme-greet-2.3.0.jar");
    static final Path CERT = VENDOR.resolve("signing/acme-test.pem");

    @TempDir
    Path tmp;

    private Path home;
    private Map<String, String> env;

    @BeforeEach
    void copyInstallation() throws Exception {
        home = Aetherflow.copyInstallation(tmp);
        env = Aetherflow.installationEnv(tmp);
        env.put("AETHERFLOW_MODE", "enterprise");
    }

    private Result af(String... args) throws Exception {
        return Aetherflow.run(home, tmp, env, args);
    }

    private Path greetFlow(Path out) throws Exception {
        return Aetherflow.write(tmp.resolve("greet.yaml"), "resources:\n"
                + "  greetings:\n"
                + "    kind: rest\n"
                + "    driver: acme-static\n"
                + "    config:\n"
                + "      replies:\n"
                + "        greeting: \"Hello, {name}!\"\n"
                + "        formal: {status: 200, body: \"Good day, {name}.\"}\n"
                + flow("vendor_greet", "  - id: j\n    steps:\n"
                        + "      - id: greet\n        type: acme.greet\n"
                        + "        inputs: {resource: greetings, name: \"{{env.GREET_NAME:Ops}}\"}\n"
                        + "      - id: formal\n        type: acme.greet\n"
                        + "        inputs: {resource: greetings, name: Ops, path: formal}\n"
                        + Flows.sh("report", "printf '%s|%s|%s' '{{steps.greet.message}}' '{{steps.greet.source}}'"
                                + " '{{steps.formal.message}}' > " + out, null)));
    }

    @Test
    void theBuildSignedTheJarWithTheTestKey() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " was not built");
        assertTrue(Files.isRegularFile(CERT), CERT + " was not exported");
        try (JarFile jar = new JarFile(JAR.toFile(), true)) {
            assertEquals(BSN, jar.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
            var entry = jar.getJarEntry("com/example/vendor/acme/GreetStep.class");
            jar.getInputStream(entry).readAllBytes(); // certificates are known once the entry is read
            assertTrue(entry.getCodeSigners() != null && entry.getCodeSigners().length == 1, "GreetStep.class is not signed");
        }
        // the key material stays in the build tree: the distribution's examples/ ship no target/
        assertFalse(Files.exists(Aetherflow.HOME.resolve("examples/vendor-plugin/target")));
        assertTrue(Files.isRegularFile(Aetherflow.HOME.resolve("examples/vendor-plugin/README.md")));
    }

    @Test
    void trustedAddedListedUsedByAFlowAndRemoved() throws Exception {
        Result untrusted = af("plugins", "add", JAR.toString());
        assertEquals(3, untrusted.exit(), untrusted.toString());
        assertTrue(untrusted.stderr().contains("refused: untrusted: signed by 'CN=ACME Greet Test Signing,O=Example Vendor'"),
                untrusted.stderr());

        Result trust = af("trust", "add", CERT.toString(), "--alias", "acme-vendor");
        assertEquals(0, trust.exit(), trust.toString());
        Result add = af("plugins", "add", JAR.toString());
        assertEquals(0, add.exit(), add.toString());
        assertTrue(add.stdout().contains("added " + BSN + " 2.3.0 (bundles/acme-greet-2.3.0.jar, trusted, signed by"
                + " 'CN=ACME Greet Test Signing,O=Example Vendor')"), add.stdout());
        assertTrue(Files.readString(home.resolve("plugins.lock")).lines()
                .anyMatch(l -> l.startsWith(BSN + " ") && l.contains("bundles/acme-greet-2.3.0.jar")), "not locked");

        Result list = af("plugins", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().lines().anyMatch(l -> l.startsWith(BSN) && l.contains("2.3.0") && l.contains("trusted")
                && l.contains("CN=ACME Greet Test Signing,O=Example Vendor") && l.contains("step:acme.greet")
                && l.contains("connector:rest:acme-static")), list.stdout());

        Path out = tmp.resolve("greeting.txt");
        Path flow = greetFlow(out);
        Result validate = af("validate", "--flow-yaml", flow.toString());
        assertEquals(0, validate.exit(), validate.toString());
        env.put("GREET_NAME", "Operators");
        Result run = af("run", "--flow-yaml", flow.toString(), "--run-id", "greet-1");
        assertEquals(0, run.exit(), run.toString());
        assertEquals("Hello, Operators!|acme-static://greetings/greeting|Good day, Ops.", Files.readString(out));
        Result show = af("runs", "show", "greet-1", "--state", env.get("AF_STATE"));
        assertEquals(0, show.exit(), show.toString());
        assertTrue(show.stdout().contains("step greet [acme.greet] SUCCESS")
                && show.stdout().contains("by " + BSN + " 2.3.0"), show.stdout());

        // the shipped example flow runs too
        Result example = af("run", "--flow-yaml", Aetherflow.REPO.resolve("examples/vendor-plugin/flow.yaml").toString());
        assertEquals(0, example.exit(), example.toString());
        assertTrue((example.stdout() + example.stderr()).contains("Hello, Operators! / Good day, Operators."),
                example.toString());

        Result verify = af("plugins", "verify");
        assertEquals(0, verify.exit(), verify.toString());

        Result remove = af("plugins", "remove", BSN);
        assertEquals(0, remove.exit(), remove.toString());
        assertFalse(Files.exists(home.resolve("bundles/acme-greet-2.3.0.jar")));
        assertFalse(Files.readString(home.resolve("plugins.lock")).contains(BSN));
        Result gone = af("run", "--flow-yaml", flow.toString());
        assertNotEquals(0, gone.exit(), gone.toString());
        assertTrue(gone.stderr().contains("acme.greet"), gone.toString());
    }

    @Test
    void builtAgainstTheReactorsApiAndImportsEvery1xRelease() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String imports = jar.getManifest().getMainAttributes().getValue("Import-Package");
            // consumer of the step and connector packages: from the compiled-against version to the next major;
            // provider of HttpConnector: up to the next minor
            assertTrue(imports.contains("io.aetherflow.api.step;version=\"" + range("step", false) + "\""), imports);
            assertTrue(imports.contains("io.aetherflow.api.connector;version=\"" + range("", false) + "\""), imports);
            assertTrue(imports.contains("io.aetherflow.api.connector.http;version=\"" + range("connector/http", true) + "\""),
                    imports);
        }
        // the vendor POM names the core API version the reactor builds, never one only a local repository holds
        String vendorPom = Files.readString(Aetherflow.REPO.resolve("examples/vendor-plugin/pom.xml"));
        String apiPom = Files.readString(Aetherflow.REPO.resolve("core-api/pom.xml"));
        String apiVersion = apiPom.replaceAll("(?s).*<artifactId>aetherflow-core-api</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
        assertTrue(vendorPom.matches("(?s).*<artifactId>aetherflow-core-api</artifactId>\\s*<version>" + apiVersion.replace(".", "\\.")
                + "</version>.*"), "examples/vendor-plugin/pom.xml must depend on aetherflow-core-api " + apiVersion);
        String readme = Files.readString(Aetherflow.REPO.resolve("examples/vendor-plugin/README.md"));
        assertTrue(readme.contains("`io.aetherflow:aetherflow-core-api:" + apiVersion + "`"), "README names another core-api version");
    }

    /** The import range bnd derives from a core API package's version ({@code step}, {@code connector/http}, ...). */
    private static String range(String pkg, boolean provider) throws Exception {
        Path info = Aetherflow.REPO.resolve("core-api/src/main/java/io/aetherflow/api/"
                + (pkg.isEmpty() ? "connector" : pkg) + "/package-info.java");
        String v = Files.readString(info).replaceAll("(?s).*@org\\.osgi\\.annotation\\.versioning\\.Version\\(\"([^\"]+)\"\\).*", "$1");
        String[] p = v.split("\\.");
        int major = Integer.parseInt(p[0]);
        int minor = Integer.parseInt(p[1]);
        return "[" + major + "." + minor + "," + (provider ? major + "." + (minor + 1) : String.valueOf(major + 1)) + ")";
    }

    /**
     * The README's "Try it" block, run as written (without its first line, the build that produced this
     * distribution), twice in a row: it must not depend on scratch paths that may already exist.
     */
    @Test
    void readmeTryItWorksAsWrittenAndRepeatedly() throws Exception {
        String readme = Files.readString(Aetherflow.REPO.resolve("examples/vendor-plugin/README.md"));
        String block = readme.substring(readme.indexOf("## Try it"));
        block = block.substring(block.indexOf("```sh\n") + 6);
        block = block.substring(0, block.indexOf("```"));
        String script = block.lines().filter(l -> !l.startsWith("mvn ")).collect(java.util.stream.Collectors.joining("\n"));
        Path sh = Aetherflow.write(tmp.resolve("try-it.sh"), "set -eu\n" + script + "\n");
        Map<String, String> shellEnv = Aetherflow.baseEnv(tmp);
        shellEnv.put("AETHERFLOW_CACHE_HOME", tmp.resolve("cache").toString());
        shellEnv.put("TMPDIR", Files.createDirectories(tmp.resolve("scratch")).toString());
        for (int round = 1; round <= 2; round++) {
            ProcessBuilder pb = new ProcessBuilder("bash", sh.toString()).directory(Aetherflow.REPO.toFile());
            pb.environment().clear();
            pb.environment().putAll(shellEnv);
            Result r = Aetherflow.finish(pb.start(), 240);
            assertEquals(0, r.exit(), "round " + round + ": " + r);
            assertTrue(r.stdout().contains("step:acme.greet"), r.toString());
            assertTrue(r.stderr().contains("status=SUCCESS") || r.stdout().contains("status=SUCCESS"), r.toString());
        }
        try (var left = Files.list(tmp.resolve("scratch"))) {
            assertEquals(0, left.count(), "the README's scratch installation was not removed");
        }
    }
}
