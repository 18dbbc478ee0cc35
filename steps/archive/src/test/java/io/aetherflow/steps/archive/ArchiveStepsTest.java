package io.aetherflow.steps.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorFactory;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.connectors.archive.AesDriverFactory;
import io.aetherflow.connectors.archive.ExternalDriverFactory;
import io.aetherflow.connectors.archive.OsDriverFactory;
import io.aetherflow.connectors.archive.ZipDriverFactory;
import io.aetherflow.testkit.FakeStepContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zip and unzip steps through the real archive connectors, on real files. */
class ArchiveStepsTest {

    @TempDir
    Path tmp;

    Path art;

    @BeforeEach
    void files() throws IOException {
        art = Files.createDirectories(tmp.resolve("artifacts"));
        Files.writeString(art.resolve("report.csv"), "a,b\n1,2\n");
        Files.writeString(art.resolve("notes.txt"), "notes");
        Files.writeString(art.resolve("other.log"), "log");
        Files.createDirectories(art.resolve("data/nested"));
        Files.writeString(art.resolve("data/one.json"), "{}");
        Files.writeString(art.resolve("data/nested/two.json"), "[]");
    }

    static Map<String, Object> in(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A context whose engine offers every archive driver ad hoc, as the shipped plugin set does. */
    FakeStepContext ctx(Map<String, Object> inputs) {
        return install(bare(inputs), drivers());
    }

    /** A context whose engine offers no ad-hoc archive driver. */
    FakeStepContext bare(Map<String, Object> inputs) {
        return FakeStepContext.at(art.getParent()).stepId("arc").stepType("zip").inputs(inputs);
    }

    /** Offers these drivers (best first) for ad-hoc archive connectors. */
    static FakeStepContext install(FakeStepContext c, List<Map.Entry<Map<String, Object>, ConnectorFactory>> drivers) {
        for (Map.Entry<Map<String, Object>, ConnectorFactory> d : drivers) {
            c.adhocDriver("archive", (String) d.getKey().get("aetherflow.connector.driver"), d.getValue(),
                    (String[]) d.getKey().getOrDefault("aetherflow.connector.aliases", new String[0]));
        }
        return c;
    }

    /** The shipped archive drivers with their service properties, best first. */
    static List<Map.Entry<Map<String, Object>, ConnectorFactory>> drivers() {
        return List.of(
                Map.entry(Map.of("aetherflow.connector.driver", "zip", "aetherflow.connector.aliases", new String[] {"zipfile"}),
                        new ZipDriverFactory()),
                Map.entry(Map.of("aetherflow.connector.driver", "aes",
                        "aetherflow.connector.aliases", new String[] {"pyzipper", "pyminizip"}), new AesDriverFactory()),
                Map.entry(Map.of("aetherflow.connector.driver", "os"), new OsDriverFactory()),
                Map.entry(Map.of("aetherflow.connector.driver", "external"), new ExternalDriverFactory()));
    }

    /** Declares an archive resource served by the installed driver of that name or alias. */
    static void declare(FakeStepContext c, String name, String driver, Map<String, Object> config,
            Map<String, Object> options) {
        ConnectorFactory factory = drivers().stream()
                .filter(d -> d.getKey().get("aetherflow.connector.driver").equals(driver)
                        || List.of((String[]) d.getKey().getOrDefault("aetherflow.connector.aliases", new String[0]))
                                .contains(driver))
                .findFirst().orElseThrow().getValue();
        c.resource(name, "archive", driver, config, options, factory);
    }

    static ZipStep zip() {
        return new ZipStep();
    }

    static UnzipStep unzip() {
        return new UnzipStep();
    }

    @Test
    void zipCollectsPathsGlobsAndDirectoriesThenUnzipRestoresThem() throws Exception {
        StepResult r;
        try (FakeStepContext c = ctx(in("dest_path", "out/bundle.zip", "items",
                List.of("report.csv", "*.txt", "data", Map.of("glob", "*.csv"), Map.of("path", "missing.bin"))))) {
            r = zip().run(c);
            assertEquals(1, c.events().size());
            assertEquals("zip_created", c.events().get(0).name());
        }
        assertEquals(StepResult.SUCCESS, r.status());
        Path out = art.resolve("out/bundle.zip");
        assertEquals(Map.of("output", out.toString(), "count", 4, "password", false, "driver", "zipfile",
                "src_dir", art.toString()), r.output());

        StepResult u;
        try (FakeStepContext c = ctx(in("archives", "out/bundle.zip", "dest_dir", "restored"))) {
            c.stepType("unzip");
            u = unzip().run(c);
        }
        // an archive under src_dir lands below dest_dir/<its relative parent>
        Path restored = art.resolve("restored/out");
        assertEquals("a,b\n1,2\n", Files.readString(restored.resolve("report.csv")));
        assertEquals("notes", Files.readString(restored.resolve("notes.txt")));
        assertEquals("[]", Files.readString(restored.resolve("data/nested/two.json")));
        assertFalse(Files.exists(restored.resolve("other.log")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> unzipped = (List<Map<String, Object>>) u.output().get("unzipped");
        assertEquals(1, unzipped.size());
        assertEquals(List.of("data/nested/two.json", "data/one.json", "notes.txt", "report.csv"),
                unzipped.get(0).get("files"));
        assertEquals(restored.toString(), unzipped.get(0).get("dest_dir"));
        assertEquals(art.resolve("restored").toString(), u.output().get("dest_dir"));
    }

    @Test
    void nonRecursiveIgnoresDirectoriesAndNoFilesIsSkipped() throws Exception {
        try (FakeStepContext c = ctx(in("dest_path", "d.zip", "items", List.of("data"), "recursive", false))) {
            StepResult r = zip().run(c);
            assertEquals(StepResult.SKIPPED, r.status());
            assertEquals("no_files", r.reason());
            assertEquals(Map.of("output", art.resolve("d.zip").toString(), "count", 0), r.output());
        }
        try (FakeStepContext c = ctx(in("dest_path", "e.zip", "items", List.of("*.nothing")))) {
            assertEquals("no_files", zip().run(c).reason());
        }
        assertFalse(Files.exists(art.resolve("d.zip")));
    }

    @Test
    void zipInputErrors() throws Exception {
        try (FakeStepContext c = ctx(in("dest_path", "x.zip", "items", "report.csv"))) {
            assertEquals("zip inputs.items must be a list", assertThrows(StepFailedException.class,
                    () -> zip().run(c)).getMessage());
        }
        try (FakeStepContext c = ctx(in("dest_path", "x.zip", "items", List.of(Map.of("name", "x"))))) {
            assertEquals("zip inputs item dict must have 'path' or 'glob'", assertThrows(StepFailedException.class,
                    () -> zip().run(c)).getMessage());
        }
        try (FakeStepContext c = ctx(in("dest_path", "x.zip", "items", List.of("report.csv"), "src_dir", "data"))) {
            assertEquals("zip input '" + art.resolve("report.csv") + "' is outside base_dir '" + art.resolve("data") + "'",
                    assertThrows(StepFailedException.class, () -> zip().run(c)).getMessage());
        }
    }

    @Test
    void passwordPicksTheAesDriverAndWrongPasswordsFail() throws Exception {
        StepResult r;
        try (FakeStepContext c = ctx(in("dest_path", "s.zip", "items", List.of("report.csv"), "password", "p4ss-Word"))) {
            c.secret("p4ss-Word");
            r = zip().run(c);
        }
        assertEquals("pyzipper", r.output().get("driver"));
        assertEquals(true, r.output().get("password"));
        try (FakeStepContext c = ctx(in("archives", List.of("s.zip"), "dest_dir", "plain", "password", "p4ss-Word",
                "private_zip_folder", true))) {
            unzip().run(c);
        }
        assertEquals("a,b\n1,2\n", Files.readString(art.resolve("plain/s/report.csv")));
        try (FakeStepContext c = ctx(in("archives", List.of("s.zip"), "dest_dir", "bad", "password", "guess"))) {
            StepFailedException e = assertThrows(StepFailedException.class, () -> unzip().run(c));
            assertTrue(e.getMessage().startsWith("unzip: archive.pyzipper: wrong password for archive"), e.getMessage());
        }
    }

    @Test
    void aNamedOrDefaultResourceIsUsedWithoutAskingForAnAdHocConnector() throws Exception {
        // (enterprise mode's refusal of ad-hoc archives is the engine's: ConnectorManagerTest, ArchiveIT)
        try (FakeStepContext c = ctx(in("dest_path", "x.zip", "items", List.of("report.csv"), "resource", "arc"))) {
            c.enterpriseMode(true);
            declare(c, "arc", "zipfile", Map.of(), Map.of());
            assertEquals("zipfile", zip().run(c).output().get("driver"));
            assertEquals(List.of(), c.adhocRequests());
        }
        // a resource named archive_default is used without being named
        try (FakeStepContext c = ctx(in("dest_path", "y.zip", "items", List.of("report.csv"), "password", "pw"))) {
            c.enterpriseMode(true);
            declare(c, "archive_default", "pyzipper", Map.of("aes_strength", 128), Map.of());
            assertEquals("pyzipper", zip().run(c).output().get("driver"));
            assertEquals(List.of(), c.adhocRequests());
        }
        // without one: the reference's driver names, in its order, with the step's options
        try (FakeStepContext c = ctx(in("dest_path", "z.zip", "items", List.of("report.csv"), "password", "pw"))) {
            assertEquals("pyzipper", zip().run(c).output().get("driver"));
            assertEquals(List.of("archive[pyzipper, aes, os]"), c.adhocRequests());
        }
    }

    @Test
    void enterprisePolicyRefusalFromTheEngineReachesTheUserUnchanged() throws Exception {
        try (FakeStepContext c = bare(in("dest_path", "x.zip", "items", List.of("report.csv")))) {
            c.refuseAdhoc("Zip/Unzip requires declared archive resource in enterprise mode");
            assertEquals("Zip/Unzip requires declared archive resource in enterprise mode",
                    assertThrows(StepFailedException.class, () -> zip().run(c)).getMessage());
        }
    }

    @Test
    void encryptedZipWithoutAnyEncryptingDriverExplainsWhatToDo() throws Exception {
        try (FakeStepContext c = install(bare(in("dest_path", "x.zip", "items", List.of("report.csv"), "password", "pw")),
                List.of(drivers().get(0)))) {
            StepFailedException e = assertThrows(StepFailedException.class, () -> zip().run(c));
            assertTrue(e.getMessage().startsWith("Encrypted zip requires an archive connector. Provide inputs.resource "
                    + "(kind=archive), or define a resource named 'archive_default'."), e.getMessage());
        }
    }

    @Test
    void aDriverThatRefusesTheOptionsIsNamedInTheMessage() throws Exception {
        try (FakeStepContext c = ctx(in("dest_path", "x.zip", "items", List.of("report.csv"),
                "options", Map.of("max_ratio", "lots")))) {
            StepFailedException e = assertThrows(StepFailedException.class, () -> zip().run(c));
            assertTrue(e.getMessage().startsWith("zip: no archive driver zip (alias zipfile) is installed (archive."),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("; install io.aetherflow.connectors.archive or declare an archive resource"),
                    e.getMessage());
        }
    }

    @Test
    void unzipNoDataCasesAndInputErrors() throws Exception {
        try (FakeStepContext c = ctx(in("archives", null, "dest_dir", "d"))) {
            StepResult r = unzip().run(c);
            assertEquals(StepResult.SUCCESS, r.status());
            assertEquals(Map.of(), r.output());
        }
        try (FakeStepContext c = ctx(in("archives", List.of(), "dest_dir", "d"))) {
            assertEquals(Map.of(), unzip().run(c).output());
        }
        try (FakeStepContext c = ctx(in("archives", List.of("gone.zip", "data"), "dest_dir", "d"))) {
            StepResult r = unzip().run(c);
            assertEquals(List.of(), r.output().get("unzipped"), "missing archives and directories are skipped");
        }
        try (FakeStepContext c = ctx(in("archives", 42, "dest_dir", "d"))) {
            assertEquals("Archives must be a list of Path 42 ", assertThrows(StepFailedException.class,
                    () -> unzip().run(c)).getMessage());
        }
        try (FakeStepContext c = ctx(in("archives", "x.zip", "dest_dir", "d", "members", "a.txt"))) {
            assertEquals("unzip inputs.members must be a list when provided", assertThrows(StepFailedException.class,
                    () -> unzip().run(c)).getMessage());
        }
    }

    @Test
    void unzipRefusesZipSlipAndAnArchiveOutsideSrcDirGetsItsOwnFolder() throws Exception {
        Path evil = tmp.resolve("evil.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(evil))) {
            z.putNextEntry(new ZipEntry("../../escaped.txt"));
            z.write("pwned".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        try (FakeStepContext c = ctx(in("archives", List.of(evil.toString()), "dest_dir", "x"))) {
            declare(c, "arc", "zip", Map.of(), Map.of());
            // the test sandbox only allows the artifacts dir: copy the archive in
            Path inside = Files.copy(evil, art.resolve("evil.zip"));
            c.input("archives", List.of(inside.toString()));
            StepFailedException e = assertThrows(StepFailedException.class, () -> unzip().run(c));
            assertTrue(e.getMessage().contains("zip-slip"), e.getMessage());
        }
        assertFalse(Files.exists(art.resolveSibling("escaped.txt")));
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));

        try (FakeStepContext c = ctx(in("dest_path", "k.zip", "items", List.of("notes.txt")))) {
            zip().run(c);
        }
        assertEquals(art.resolve("d/k.zip"), UnzipStep.targetDir(art.resolve("k.zip"), art.resolve("other"),
                art.resolve("d"), false));
        assertEquals(art.resolve("d/sub/k"), UnzipStep.targetDir(art.resolve("sub/k.zip"), art, art.resolve("d"), true));
        assertEquals(art.resolve("d/sub"), UnzipStep.targetDir(art.resolve("sub/k.zip"), art, art.resolve("d"), false));
    }

    @Test
    void outputsNameTheDriverAsTheResourceWritesIt() throws Exception {
        for (String driver : List.of("zipfile", "zip", "pyzipper", "aes")) {
            String archive = "named-" + driver + ".zip";
            try (FakeStepContext c = ctx(in("dest_path", archive, "items", List.of("report.csv"), "resource", "arc"))) {
                declare(c, "arc", driver, Map.of(), Map.of());
                assertEquals(driver, zip().run(c).output().get("driver"));
            }
            try (FakeStepContext c = ctx(in("archives", List.of(archive), "dest_dir", "out-" + driver, "resource", "arc"))) {
                c.stepType("unzip");
                declare(c, "arc", driver, Map.of(), Map.of());
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> unzipped = (List<Map<String, Object>>) unzip().run(c).output().get("unzipped");
                assertEquals(driver, unzipped.get(0).get("driver"));
            }
        }
        // ad hoc (no resource): the reference's names
        try (FakeStepContext c = ctx(in("archives", List.of("named-zip.zip"), "dest_dir", "adhoc"))) {
            c.stepType("unzip");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> unzipped = (List<Map<String, Object>>) unzip().run(c).output().get("unzipped");
            assertEquals("zipfile", unzipped.get(0).get("driver"));
        }
    }
}
