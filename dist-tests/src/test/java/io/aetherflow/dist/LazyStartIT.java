package io.aetherflow.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aetherflow.dist.Aetherflow.Result;
import io.aetherflow.testkit.MariaDbServer;
import io.aetherflow.testkit.PostgresServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin bundles are installed but started only when a command needs them (docs/plugin-authoring.md, "How
 * the engine finds your bundle"). The launcher's DEBUG line at the end of a launch names the plugin bundles
 * that were started: {@code aetherflow: launcher: engine returned 0; plugin bundles started: ...}.
 */
class LazyStartIT {

    @TempDir
    Path tmp;

    private Map<String, String> debugEnv() {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_LOG_LEVEL", "DEBUG");
        return env;
    }

    /** @return the plugin bundles the launch started, from its last DEBUG line */
    private static List<String> started(Result r) {
        String marker = "plugin bundles started: ";
        String line = r.stderr().lines().filter(l -> l.startsWith("aetherflow: launcher: engine returned")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'engine returned' line: " + r));
        String list = line.substring(line.indexOf(marker) + marker.length(), line.lastIndexOf(" ("));
        return list.equals("none") ? List.of() : Arrays.asList(list.split(", "));
    }

    @Test
    void commandsThatNeedNoPluginStartNone() throws Exception {
        Path empty = Aetherflow.write(tmp.resolve("empty.yaml"), "version: 1\nflow:\n  id: nothing\njobs:\n"
                + "  - id: main\n    steps: []\n");
        Path hello = Aetherflow.HOME.resolve("examples/hello/flow.yaml");
        Result first = Aetherflow.run(tmp, debugEnv(), "run", "--flow-yaml", hello.toString());
        assertEquals(0, first.exit(), first.toString());
        assertEquals(List.of("io.aetherflow.steps.process"), started(first), first.stderr());
        Result version = Aetherflow.run(tmp, debugEnv(), "version");
        assertEquals(0, version.exit(), version.toString());
        assertTrue(version.stderr().contains("version printed without a framework"), version.stderr());
        assertFalse(version.stderr().contains("framework created"), version.stderr());
        for (List<String> args : List.of(List.of("runs", "list"),
                List.of("validate", "--flow-yaml", empty.toString()), List.of("explain", "--flow-yaml", hello.toString()))) {
            Result r = Aetherflow.run(tmp, debugEnv(), args.toArray(new String[0]));
            assertEquals(0, r.exit(), args + ": " + r);
            assertEquals(List.of(), started(r), args + ": " + r.stderr());
            assertTrue(r.stderr().contains("are installed when the engine needs them"), r.stderr());
        }
    }

    @Test
    void aRunStartsWhatItsFlowUsesWhenItNeedsIt() throws Exception {
        Path db = tmp.resolve("data.sqlite");
        Path flow = Aetherflow.write(tmp.resolve("flow.yaml"), "version: 1\nflow:\n  id: lazy\n"
                + "resources:\n  data:\n    kind: db\n    driver: sqlite3\n    config:\n      path: " + db + "\n"
                + "jobs:\n  - id: main\n    steps:\n"
                + "      - id: guarded\n        type: with_lock\n        inputs:\n          lock_key: lazy\n"
                + "          step:\n            id: inner\n            type: external.process\n"
                + "            inputs:\n              command: [\"true\"]\n"
                + "      - id: query\n        type: db_fetch_small\n        inputs:\n          resource: data\n"
                + "          sql: SELECT 1 AS one\n");
        Result r = Aetherflow.run(tmp, debugEnv(), "run", "--flow-yaml", flow.toString());
        assertEquals(0, r.exit(), r.toString());
        List<String> started = started(r);
        for (String b : List.of("io.aetherflow.steps.control", "io.aetherflow.steps.process", "io.aetherflow.steps.db",
                "io.aetherflow.connectors.jdbc", "com.zaxxer.HikariCP")) {
            assertTrue(started.contains(b), b + " not started: " + started);
        }
        for (String b : List.of("io.aetherflow.steps.excel", "io.aetherflow.steps.mail", "io.aetherflow.connectors.smb",
                "io.aetherflow.connectors.sftp", "bcprov", "org.apache.sshd.osgi", "io.aetherflow.steps.http",
                "org.postgresql.jdbc", "mariadb-java-client")) {
            assertFalse(started.contains(b), b + " started although the flow does not use it: " + started);
        }
        List<String> lines = r.stderr().lines().toList();
        int withLock = indexOf(lines, "started 1 bundles for (&(objectClass=io.aetherflow.api.step.Step)(aetherflow.step.type=with_lock))");
        int inner = indexOf(lines, "(aetherflow.step.type=external.process))");
        int queryStart = indexOf(lines, "step_start flow_id=lazy run_id=");
        int connector = indexOf(lines, "for (&(objectClass=io.aetherflow.api.connector.ConnectorFactory)(&(aetherflow.connector.kind=db)");
        assertTrue(withLock >= 0 && inner > withLock, "the with_lock bundle first, its inner step's bundle after: " + r.stderr());
        assertTrue(queryStart >= 0 && connector > queryStart, "the db connector starts when the step first uses the"
                + " resource: " + r.stderr());
        assertFalse(lines.get(connector).contains("org.postgresql.jdbc") || lines.get(connector).contains("mariadb"),
                "the other drivers' bundles do not start with the connector: " + lines.get(connector));
    }

    @Test
    void aDbRunStartsOnlyTheDriverBundleItUses() throws Exception {
        assumeTrue(PostgresServer.available() && MariaDbServer.available(), "PostgreSQL or MariaDB binaries not installed");
        try (PostgresServer pg = PostgresServer.start(); MariaDbServer maria = MariaDbServer.start()) {
            // PostgreSQL: found as its DataSourceFactory service, whose bundle the connector asks the launcher to start
            Result p = Aetherflow.run(tmp, debugEnv(), "run", "--flow-yaml", dbFlow("pg", "postgres", pg.sqlalchemyUrl()).toString());
            assertEquals(0, p.exit(), p.toString());
            assertTrue(started(p).contains("org.postgresql.jdbc"), "the driver's bundle starts: " + started(p));
            assertFalse(started(p).contains("mariadb-java-client"), "another driver's bundle starts: " + started(p));
            assertTrue(p.stderr().contains("started 1 bundles for (&(objectClass=org.osgi.service.jdbc.DataSourceFactory)"
                    + "(osgi.jdbc.driver.class=org.postgresql.Driver)) (org.postgresql.jdbc;"), p.stderr());
            // MariaDB: its Driver class is loaded through the connector's dynamic import; no other driver starts
            Result m = Aetherflow.run(tmp, debugEnv(), "run", "--flow-yaml", dbFlow("maria", "mysql", maria.sqlalchemyUrl()).toString());
            assertEquals(0, m.exit(), m.toString());
            assertFalse(started(m).contains("org.postgresql.jdbc"), "another driver's bundle starts: " + started(m));
        }
    }

    private Path dbFlow(String id, String driver, String url) throws Exception {
        return Aetherflow.write(tmp.resolve(id + ".yaml"), "version: 1\nflow:\n  id: " + id + "\n"
                + "resources:\n  data:\n    kind: db\n    driver: " + driver + "\n    config:\n      url: \"" + url + "\"\n"
                + "jobs:\n  - id: main\n    steps:\n"
                + "      - id: query\n        type: db_fetch_small\n        inputs:\n          resource: data\n"
                + "          sql: SELECT 1 AS one\n");
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aBrokenPluginThatAFlowDoesNotUseDoesNotBreakItsRunButAFlowThatNeedsItStopsWithExit3() throws Exception {
        Path home = Aetherflow.copyInstallation(tmp);
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "com.example.brokenstep");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "com.example.nowhere");
        a.putValue("Service-Component", "OSGI-INF/broken.xml");
        Path jar = home.resolve("bundles/brokenstep-1.0.0.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.putNextEntry(new JarEntry("OSGI-INF/broken.xml"));
            j.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\""
                    + " name=\"x.Broken\">\n  <property name=\"aetherflow.step.type\" type=\"String\" value=\"broken_step\"/>\n"
                    + "  <service><provide interface=\"io.aetherflow.api.step.Step\"/></service>\n"
                    + "  <implementation class=\"x.Broken\"/>\n</scr:component>\n").getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        Files.writeString(home.resolve("plugins.lock"), "com.example.brokenstep 1.0.0 " + sha
                + " bundles/brokenstep-1.0.0.jar\n", java.nio.file.StandardOpenOption.APPEND);
        Map<String, String> env = Aetherflow.installationEnv(tmp);

        Result hello = Aetherflow.run(home, tmp, env, "run", "--flow-yaml", home.resolve("examples/hello/flow.yaml").toString());
        assertEquals(0, hello.exit(), "a flow that does not use the broken bundle runs: " + hello);

        Result verify = Aetherflow.run(home, tmp, env, "plugins", "verify");
        assertEquals(3, verify.exit(), verify.toString());
        assertTrue(verify.stderr().contains("plugin set does not resolve: com.example.brokenstep 1.0.0 (brokenstep-1.0.0.jar):"
                + " missing requirement osgi.wiring.package; (osgi.wiring.package=com.example.nowhere)"), verify.stderr());

        Path flow = Aetherflow.write(tmp.resolve("uses-broken.yaml"), "version: 1\nflow:\n  id: broken\njobs:\n  - id: main\n"
                + "    steps:\n      - id: s\n        type: broken_step\n");
        Result run = Aetherflow.run(home, tmp, env, "run", "--flow-yaml", flow.toString());
        assertEquals(3, run.exit(), run.toString());
        assertEquals(List.of("aetherflow: error: plugin set does not resolve: com.example.brokenstep 1.0.0 (brokenstep-1.0.0.jar):"
                + " missing requirement osgi.wiring.package; (osgi.wiring.package=com.example.nowhere); add the bundle that"
                + " provides it to the lock or remove the bundle that needs it"), run.stderr().lines().toList(), run.toString());

        Result list = Aetherflow.run(home, tmp, env, "plugins", "list");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().lines().anyMatch(l -> l.startsWith("com.example.brokenstep") && l.contains("INSTALLED")),
                list.stdout());
        assertTrue(list.stderr().contains("aetherflow: warning: plugin bundle com.example.brokenstep 1.0.0"
                + " (brokenstep-1.0.0.jar) does not resolve and is not used"), list.stderr());
    }
}
