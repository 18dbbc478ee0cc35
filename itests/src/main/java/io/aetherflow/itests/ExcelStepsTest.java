package io.aetherflow.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.Step;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * The excel bundle (Apache POI embedded privately, xmlbeans loading its schema types through the
 * thread context class loader the steps set) resolves and starts in Felix next to fastcsv, registers
 * its three step types, and a flow fills a template inside the framework: a TSV written by
 * {@code external.process}, streamed into a report region (rows inserted, the total row, its
 * formula and a defined name moved below) and a data sheet, then read back by
 * {@code excel_validate_template}.
 */
@ExtendWith(BundleContextExtension.class)
class ExcelStepsTest {

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path home;

    @Test
    void stepTypesAreRegisteredByTheExcelBundle() throws Exception {
        for (String type : List.of("excel_validate_template", "excel_fill_small", "excel_fill_from_file")) {
            List<ServiceReference<Step>> refs = Services.await(context, Step.class, "(" + Step.TYPE_PROPERTY + "=" + type + ")");
            Bundle b = refs.get(0).getBundle();
            assertEquals("io.aetherflow.steps.excel", b.getSymbolicName(), type);
            assertEquals(Bundle.ACTIVE, b.getState());
        }
    }

    @Test
    void flowFillsATemplateInsideTheFramework() throws Exception {
        try (InputStream in = ExcelStepsTest.class.getResourceAsStream("excel-template.xlsx")) {
            Files.copy(in, home.resolve("tpl.xlsx"));
        }
        String make = "cp " + home.resolve("tpl.xlsx") + " tpl.xlsx && printf 'item\\\\tqty\\\\n' > qc.tsv"
                + " && seq 1 2500 | awk '{printf \\\"it%s\\\\t%s\\\\n\\\", $1, $1}' >> qc.tsv";
        Path flow = Files.writeString(home.resolve("flow.yaml"), String.join("\n",
                EngineFixture.oneJobFlow(home, "itest_excel", "cleanup_policy: never"),
                EngineFixture.stepHead("make", "external.process"),
                "          command: [/bin/sh, -c, \"" + make + "\"]",
                "          cwd: \".\"",
                EngineFixture.stepHead("fill", "excel_fill_from_file"),
                "          template_path: tpl.xlsx",
                "          output: out/report.xlsx",
                "          rows_threshold: 10000",
                "          targets:",
                "            - {name: qc, mode: report_region, sheet: Report, anchor: QC_ANCHOR, source_path: qc.tsv,"
                        + " type_cast: basic}",
                "            - {name: raw, source_path: qc.tsv}",
                EngineFixture.stepHead("check", "excel_validate_template"),
                "          template_path: out/report.xlsx",
                "          required_names: [total_qty, Total, it2500, Item, item]",
                ""));
        EngineFixture.Outcome r = EngineFixture.runFlowOk(context, home, flow, "xl1");
        Path out = Files.walk(home.resolve("work")).filter(p -> p.endsWith("out/report.xlsx"))
                .findFirst().orElseThrow();
        try (ZipFile z = new ZipFile(out.toFile())) {
            String workbook = entry(z, "xl/workbook.xml");
            assertTrue(workbook.contains("Report!$B$2503"), workbook);
            assertTrue(workbook.contains("DATA_raw"), workbook);
            String report = entry(z, "xl/worksheets/sheet1.xml");
            assertTrue(report.contains("SUM(B2503:B2503)"), "the total formula moved with its row");
            assertTrue(report.contains("it2500"));
            String raw = entry(z, "xl/worksheets/sheet2.xml");
            assertTrue(raw.contains("<c r=\"A2501\""), "data sheet rows streamed");
        }
    }

    private static String entry(ZipFile z, String name) throws Exception {
        ZipEntry e = z.getEntry(name);
        try (InputStream in = z.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
