package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution zips then unzips: the shipped example (AES through an {@code archive:pyzipper}
 * resource, password from the environment) and a zip-slip archive refused with exit 1 and one line.
 */
@RunsExamples("archive")
class ArchiveIT {

    @TempDir
    Path tmp;

    @Test
    void exampleFlowZipsWithAPasswordAndUnzipsAgain() throws Exception {
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("ZIP_PASSWORD", "dist-Zip-31337");
        Result r = Aetherflow.run(Aetherflow.REPO, env, "run", "--flow-yaml", "examples/archive/flow.yaml",
                "--run-id", "a1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("packed 2 files with pyzipper") || r.stderr().contains("packed 2 files with pyzipper"),
                r.toString());
        Path zip;
        Path restored;
        try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
            zip = s.filter(p -> p.getFileName().toString().equals("reports.zip")).findFirst().orElseThrow();
        }
        try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
            restored = s.filter(p -> p.toString().endsWith("restored/out/reports/reports/daily/sales.csv")).findFirst()
                    .orElseThrow();
        }
        assertEquals("id,total\n1,42\n", Files.readString(restored));
        // really encrypted: the plain text is not in the archive
        assertFalse(new String(Files.readAllBytes(zip), java.nio.charset.StandardCharsets.ISO_8859_1).contains("id,total"));
        assertFalse(r.stderr().contains("dist-Zip-31337"), r.stderr());
    }

    @Test
    void zipSlipArchiveFailsTheRunWithOneLine() throws Exception {
        Path art = Files.createDirectories(tmp.resolve("in"));
        Path evil = art.resolve("evil.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(evil))) {
            z.putNextEntry(new java.util.zip.ZipEntry("../../../../escaped.txt"));
            z.write("pwned".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.closeEntry();
        }
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("archive_slip", "  - id: j\n    steps:\n"
                + "      - id: unpack\n"
                + "        type: unzip\n"
                + "        inputs:\n"
                + "          archives: [\"" + evil + "\"]\n"
                + "          dest_dir: out\n"));
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_STRICT_SANDBOX", "false");
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", f.toString(), "--run-id", "s1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("unzip: archive.zipfile: archive " + evil + " refused: entry '../../../../escaped.txt' "
                + "escapes the destination directory"), r.stderr());
        try (Stream<Path> s = Files.walk(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().equals("escaped.txt")));
        }
    }

    /** Templates see the driver name the flow wrote ({@code zipfile}), and the reference's name for ad-hoc connectors. */
    @Test
    void outputsNameTheDriverAsConfigured() throws Exception {
        String yaml = "resources:\n  plain:\n    kind: archive\n    driver: zipfile\n"
                + flow("drivers", "  - id: a\n    steps:\n"
                + "      - id: mk\n        type: external.process\n        inputs:\n"
                + "          command: [\"/bin/sh\", \"-c\", \"echo x > \\\"$AETHERFLOW_WORK_ROOT/x.txt\\\"\"]\n"
                + "      - id: named\n        type: zip\n        inputs:\n          resource: plain\n"
                + "          src_dir: \"{{env.AETHERFLOW_WORK_ROOT}}\"\n"
                + "          dest_path: \"{{env.AETHERFLOW_WORK_ROOT}}/n.zip\"\n"
                + "          items: [\"{{env.AETHERFLOW_WORK_ROOT}}/x.txt\"]\n"
                + "      - id: adhoc\n        type: zip\n        inputs:\n"
                + "          src_dir: \"{{env.AETHERFLOW_WORK_ROOT}}\"\n"
                + "          dest_path: \"{{env.AETHERFLOW_WORK_ROOT}}/a.zip\"\n"
                + "          items: [\"{{env.AETHERFLOW_WORK_ROOT}}/x.txt\"]\n"
                + "      - id: back\n        type: unzip\n        inputs:\n          resource: plain\n"
                + "          archives: [\"{{steps.named.output}}\"]\n          dest_dir: \"{{env.AETHERFLOW_WORK_ROOT}}/r\"\n"
                + "      - id: show\n        type: external.process\n        inputs:\n"
                + "          command: [\"/bin/sh\", \"-c\", \"echo named={{steps.named.driver}}"
                + " adhoc={{steps.adhoc.driver}}\"]\n");
        Path f = Aetherflow.write(tmp.resolve("drivers.yaml"), yaml);
        Result r = Aetherflow.run(tmp, Aetherflow.baseEnv(tmp), "run", "--flow-yaml", f.toString(), "--run-id", "d1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue((r.stdout() + r.stderr()).contains("named=zipfile adhoc=zipfile"), r.toString());
        assertTrue(r.stderr().contains("unzip_extracted") && r.stderr().lines().filter(l -> l.contains("unzip_extracted"))
                .allMatch(l -> l.contains("driver=zipfile")), r.stderr());
    }

    /**
     * Enterprise mode ({@code AETHERFLOW_MODE_ENTERPRISE}): the engine refuses an ad-hoc archive
     * connector, so zip without a resource fails with the reference's line; with a declared
     * {@code archive_default} resource the same step runs.
     */
    @Test
    void enterpriseModeNeedsADeclaredArchiveResource() throws Exception {
        String jobs = "  - id: a\n    steps:\n"
                + "      - id: mk\n        type: external.process\n        inputs:\n"
                + "          cwd: \".\"\n"
                + "          command: [\"/bin/sh\", \"-c\", \"echo x > x.txt\"]\n"
                + "      - id: pack\n        type: zip\n        inputs:\n"
                + "          dest_path: out.zip\n"
                + "          items: [x.txt]\n";
        Map<String, String> env = Aetherflow.baseEnv(tmp);
        env.put("AETHERFLOW_MODE_ENTERPRISE", "true");
        Path adhoc = Aetherflow.write(tmp.resolve("adhoc.yaml"), flow("enterprise_zip", jobs));
        Result r = Aetherflow.run(tmp, env, "run", "--flow-yaml", adhoc.toString(), "--run-id", "e1");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("Zip/Unzip requires declared archive resource in enterprise mode"), r.stderr());
        assertFalse(r.stderr().contains("\tat "), r.stderr());

        Path declared = Aetherflow.write(tmp.resolve("declared.yaml"),
                "resources:\n  archive_default:\n    kind: archive\n    driver: zipfile\n" + flow("enterprise_zip", jobs));
        Result ok = Aetherflow.run(tmp, env, "run", "--flow-yaml", declared.toString(), "--run-id", "e2");
        assertEquals(0, ok.exit(), ok.toString());
    }
}
