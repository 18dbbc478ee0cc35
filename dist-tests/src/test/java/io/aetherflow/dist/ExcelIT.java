package io.aetherflow.dist;

import static io.aetherflow.dist.Flows.flow;
import static io.aetherflow.dist.Flows.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.dist.Aetherflow.Result;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Name;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Excel reporting on the distribution: a flow writes TSV files with {@code external.process}, fills a
 * template's report region and a streamed data sheet with {@code excel_fill_from_file}, adds a summary
 * with {@code excel_fill_small} over that output, and checks it with {@code excel_validate_template};
 * the workbook is read back with POI. A report region over its threshold fails the run with one
 * line and leaves no workbook. The example {@code examples/excel-report} (extract from the db example's
 * SQLite file, fill the shipped template) runs from the repository root.
 */
@RunsExamples("excel-report")
class ExcelIT {

    @TempDir
    Path tmp;

    Path template() throws Exception {
        XSSFWorkbook wb = new XSSFWorkbook();
        XSSFSheet s = wb.createSheet("Report");
        s.createRow(0).createCell(0).setCellValue("QC_ANCHOR");
        s.createRow(1).createCell(0).setCellValue("Item");
        s.getRow(1).createCell(1).setCellValue("Qty");
        XSSFCellStyle green = wb.createCellStyle();
        green.setFillForegroundColor(IndexedColors.LIGHT_GREEN.getIndex());
        green.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        s.createRow(2).createCell(0).setCellValue("Total");
        s.getRow(2).getCell(0).setCellStyle(green);
        s.getRow(2).createCell(1).setCellFormula("SUM(B3:B3)");
        Name n = wb.createName();
        n.setNameName("total_qty");
        n.setRefersToFormula("Report!$B$3");
        wb.createSheet("Summary");
        Path p = tmp.resolve("template.xlsx");
        try (OutputStream out = Files.newOutputStream(p)) {
            wb.write(out);
        }
        wb.close();
        return p;
    }

    String jobs(Path tpl, int threshold) {
        return "  - id: report\n    steps:\n"
                + sh("make", "cp " + tpl + " tpl.xlsx && printf 'item\\tqty\\nbolts\\t5\\nnuts\\t7\\nwashers\\t9\\n' > qc.tsv"
                        + " && printf 'amount\\tday\\n' > sales.tsv"
                        + " && seq 1 3000 | awk '{printf \"%d\\t2026-02-%02d\\n\", $1, ($1 % 28) + 1}' >> sales.tsv",
                        "          cwd: \".\"\n")
                + "      - id: fill\n        type: excel_fill_from_file\n        inputs:\n"
                + "          template_path: tpl.xlsx\n"
                + "          output: out/report.xlsx\n"
                + "          rows_threshold: " + threshold + "\n"
                + "          targets:\n"
                + "            - {name: qc, mode: report_region, sheet: Report, anchor: QC_ANCHOR, source_path: qc.tsv,"
                + " type_cast: basic, anchor_clear: true}\n"
                + "            - {name: sales, source_path: sales.tsv, dtypes: {amount: int, day: date}}\n"
                + "      - id: summary\n        type: excel_fill_small\n        inputs:\n"
                + "          template_path: \"{{steps.fill.output}}\"\n"
                + "          output: out/final.xlsx\n"
                + "          targets:\n"
                + "            - {name: s, cell: \"Summary!A1\", header_mode: override, columns_json: '[\"what\", \"count\"]',"
                + " rows_json: '[[\"sales rows\", 3000]]'}\n"
                + "      - id: check\n        type: excel_validate_template\n        inputs:\n"
                + "          template_path: out/final.xlsx\n"
                + "          required_names: [total_qty, Total, washers, sales rows]\n";
    }

    @Test
    void flowFillsAReportRegionADataSheetAndASummary() throws Exception {
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("excel_report", jobs(template(), 100)));
        Result r = Aetherflow.run(tmp, Aetherflow.baseEnv(tmp), "run", "--flow-yaml", f.toString(), "--run-id", "x1");
        assertEquals(0, r.exit(), r.toString());
        Path out;
        try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
            out = s.filter(p -> p.toString().endsWith("out/final.xlsx")).findFirst().orElseThrow();
        }
        try (InputStream in = Files.newInputStream(out); XSSFWorkbook wb = new XSSFWorkbook(in)) {
            XSSFSheet rep = wb.getSheet("Report");
            assertEquals(CellType.BLANK, rep.getRow(0).getCell(0).getCellType());
            assertEquals("Item", rep.getRow(1).getCell(0).getStringCellValue());
            assertEquals("washers", rep.getRow(4).getCell(0).getStringCellValue());
            assertEquals(9.0, rep.getRow(4).getCell(1).getNumericCellValue());
            assertEquals("Total", rep.getRow(5).getCell(0).getStringCellValue());
            assertEquals(FillPatternType.SOLID_FOREGROUND, rep.getRow(5).getCell(0).getCellStyle().getFillPattern());
            assertEquals("SUM(B6:B6)", rep.getRow(5).getCell(1).getCellFormula());
            assertEquals("Report!$B$6", wb.getName("total_qty").getRefersToFormula());
            XSSFSheet sales = wb.getSheet("DATA_sales");
            assertEquals("amount", sales.getRow(0).getCell(0).getStringCellValue());
            assertEquals(3000.0, sales.getRow(3000).getCell(0).getNumericCellValue());
            assertTrue(DateUtil.isCellDateFormatted(sales.getRow(3000).getCell(1)));
            assertEquals(LocalDate.of(2026, 2, 5), sales.getRow(3000).getCell(1).getLocalDateTimeCellValue().toLocalDate());
            assertEquals("A1:B3001", sales.getCTWorksheet().getAutoFilter().getRef());
            assertEquals("sales rows", wb.getSheet("Summary").getRow(1).getCell(0).getStringCellValue());
        }
    }

    @Test
    void exampleExtractsFromSqliteAndFillsTheShippedTemplate() throws Exception {
        Path work = tmp.resolve("work");
        java.util.Map<String, String> env = new java.util.HashMap<>(Aetherflow.baseEnv(tmp));
        env.put("AETHERFLOW_WORK_ROOT", work.toString());
        Result r = Aetherflow.run(Aetherflow.REPO, env, "run", "--flow-yaml", "examples/excel-report/flow.yaml",
                "--run-id", "e1");
        assertEquals(0, r.exit(), r.toString());
        Path out = work.resolve("excel_report/report/e1/artifacts/out/report.xlsx");
        try (InputStream in = Files.newInputStream(out); XSSFWorkbook wb = new XSSFWorkbook(in)) {
            XSSFSheet rep = wb.getSheet("Report");
            assertEquals("Shop report", rep.getRow(0).getCell(0).getStringCellValue());
            assertTrue(rep.getRow(0).getCell(0).getCellStyle().getFont().getBold(), "title style kept");
            assertEquals("Customer", rep.getRow(3).getCell(0).getStringCellValue());
            assertEquals(FillPatternType.SOLID_FOREGROUND, rep.getRow(3).getCell(0).getCellStyle().getFillPattern());
            // totals per customer under the header, largest first, numbers as numbers
            assertEquals("Grace Hopper", rep.getRow(4).getCell(0).getStringCellValue());
            assertEquals(2.0, rep.getRow(4).getCell(1).getNumericCellValue());
            assertEquals(328.0, rep.getRow(4).getCell(2).getNumericCellValue());
            assertEquals("Konrad Zuse", rep.getRow(5).getCell(0).getStringCellValue());
            XSSFSheet data = wb.getSheet("DATA_orders");
            assertEquals("id", data.getRow(0).getCell(0).getStringCellValue());
            assertEquals(8, data.getLastRowNum(), "header + 8 orders");
            assertEquals(120.5, data.getRow(1).getCell(2).getNumericCellValue());
            assertTrue(DateUtil.isCellDateFormatted(data.getRow(1).getCell(3)));
            assertEquals(LocalDate.of(2024, 1, 3), data.getRow(1).getCell(3).getLocalDateTimeCellValue().toLocalDate());
        }
        // the shipped template is only read
        try (InputStream in = Files.newInputStream(Aetherflow.REPO.resolve("examples/excel-report/template.xlsx"));
                XSSFWorkbook wb = new XSSFWorkbook(in)) {
            assertEquals(null, wb.getSheet("DATA_orders"));
        }
    }

    @Test
    void reportRegionOverItsThresholdFailsWithOneLineAndNoWorkbook() throws Exception {
        Path f = Aetherflow.write(tmp.resolve("flow.yaml"), flow("excel_big", jobs(template(), 2)));
        Result r = Aetherflow.run(tmp, Aetherflow.baseEnv(tmp), "run", "--flow-yaml", f.toString(), "--run-id", "x2");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.stderr().contains("excel_fill_from_file target=qc: row_count=3 exceeds rows_threshold=2. Use"
                + " mode=data_sheet (DATA_*) instead of report_region, or raise rows_threshold."), r.stderr());
        assertFalse(r.stderr().contains("\tat "), r.stderr());
        try (Stream<Path> s = Files.walk(tmp.resolve("work"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith("report.xlsx")));
        }
    }
}
