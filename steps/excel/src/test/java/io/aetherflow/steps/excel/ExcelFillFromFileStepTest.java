package io.aetherflow.steps.excel;

import static io.aetherflow.steps.excel.Books.map;
import static io.aetherflow.steps.excel.Books.put;
import static io.aetherflow.steps.excel.Books.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Name;
import org.apache.poi.ss.util.PaneInformation;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** excel_fill_from_file: data sheets and report regions, in place and streamed, read back with POI. */
class ExcelFillFromFileStepTest {

    @TempDir
    Path job;

    Path art() {
        return job.resolve("artifacts");
    }

    Path tsv(String name, String content) throws Exception {
        Files.createDirectories(art());
        return Files.writeString(art().resolve(name), content);
    }

    void emptyTemplate() throws Exception {
        XSSFWorkbook wb = new XSSFWorkbook();
        wb.createSheet("Report");
        Books.save(wb, art().resolve("tpl.xlsx"));
    }

    StepResult run(Object targets, Object... more) throws Exception {
        Map<String, Object> in = map("template_path", "tpl.xlsx", "output", "out.xlsx", "targets", targets);
        for (int i = 0; i < more.length; i += 2) {
            in.put((String) more[i], more[i + 1]);
        }
        return Books.run(job, new ExcelFillFromFileStep(), ExcelFillFromFileStep.TYPE, in);
    }

    XSSFWorkbook out() throws Exception {
        return Books.read(art().resolve("out.xlsx"));
    }

    @Test
    void dataSheetTargetCreatesDataSalesWithTextCellsAndNiceties() throws Exception {
        emptyTemplate();
        tsv("sales.tsv", "amount\tday\n10\t2026-02-08\n20\t2026-02-09\n");
        StepResult r = run(List.of(map("name", "sales", "source_path", "sales.tsv", "cell", "A1")));
        try (XSSFWorkbook wb = out()) {
            XSSFSheet s = wb.getSheet("DATA_sales");
            assertNotNull(s);
            assertEquals(List.of("Report", "DATA_sales"), Anchors.sheetNames(wb));
            assertEquals("amount", text(s, "A1"));
            assertEquals("2026-02-09", text(s, "B3"));
            assertEquals("10", text(s, "A2"));
            PaneInformation pane = s.getPaneInformation();
            assertTrue(pane.isFreezePane());
            assertEquals(1, pane.getHorizontalSplitPosition());
            assertEquals(0, pane.getVerticalSplitPosition());
            assertEquals("A1:B3", s.getCTWorksheet().getAutoFilter().getRef());
            assertTrue(((XSSFCellStyle) Books.cell(s, "A1").getCellStyle()).getFont().getBold());
            assertFalse(((XSSFCellStyle) Books.cell(s, "A2").getCellStyle()).getFont().getBold());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> w = ((List<Map<String, Object>>) r.output().get("written")).get(0);
        assertEquals(map("name", "sales", "sheet", "DATA_sales", "rows", 3, "cols", 2, "mode", "data_sheet",
                "insert", "replace", "header_mode", "append", "header_style", "template", "style_mode", "none",
                "start_cell", List.of(1, 1), "template_has_header", false), w);
    }

    @Test
    void schemaCastWritesIntegersAndDates() throws Exception {
        emptyTemplate();
        tsv("sales.tsv", "amount\tday\n10\t2026-02-08\nx\tsoon\n");
        run(List.of(map("name", "sales", "source_path", "sales.tsv", "dtypes_json",
                "{\"amount\": \"int\", \"day\": \"date\"}")));
        try (XSSFWorkbook wb = out()) {
            XSSFSheet s = wb.getSheet("DATA_sales");
            assertEquals(CellType.NUMERIC, Books.cell(s, "A2").getCellType());
            assertEquals(10.0, Books.cell(s, "A2").getNumericCellValue());
            assertTrue(DateUtil.isCellDateFormatted(Books.cell(s, "B2")));
            assertEquals(LocalDate.of(2026, 2, 8), Books.cell(s, "B2").getLocalDateTimeCellValue().toLocalDate());
            assertEquals("x", text(s, "A3"));
            assertEquals("soon", text(s, "B3"));
        }
    }

    @Test
    void reportRegionOverTheThresholdFailsAndWritesNothing() throws Exception {
        XSSFWorkbook tpl = new XSSFWorkbook();
        put(tpl.createSheet("Report"), "A1", "QC_ANCHOR");
        Books.save(tpl, art().resolve("tpl.xlsx"));
        tsv("qc.tsv", "a\tb\n1\t2\n3\t4\n");
        ReportTooLargeException e = assertThrows(ReportTooLargeException.class, () -> run(List.of(map("name", "qc",
                "mode", "report_region", "sheet", "Report", "anchor", "QC_ANCHOR", "source_path", "qc.tsv")),
                "rows_threshold", 1));
        assertEquals("excel_fill_from_file target=qc: row_count=2 exceeds rows_threshold=1. Use mode=data_sheet"
                + " (DATA_*) instead of report_region, or raise rows_threshold.", e.getMessage());
        assertEquals(2, e.rowCount());
        assertEquals(1, e.rowsThreshold());
        assertFalse(Files.exists(art().resolve("out.xlsx")));
        assertFalse(Files.exists(art().resolve("out.xlsx.tmp")));
        // fail_on_threshold: false lets it through
        run(List.of(map("name", "qc", "mode", "report_region", "sheet", "Report", "anchor", "QC_ANCHOR",
                "source_path", "qc.tsv", "fail_on_threshold", false)), "rows_threshold", 1);
        assertTrue(Files.exists(art().resolve("out.xlsx")));
    }

    /**
     * A report region under a marker with a template header, a styled sample row, a total formula and
     * a defined name below: small regions are edited in place, large ones streamed; both give the
     * same workbook shape.
     */
    void reportRegion(int rows) throws Exception {
        XSSFWorkbook tpl = new XSSFWorkbook();
        XSSFSheet sh = tpl.createSheet("Report");
        put(sh, "A1", "QC_ANCHOR");
        put(sh, "A2", "Item");
        put(sh, "B2", "Qty");
        put(sh, "A3", "sample");
        XSSFCellStyle fill = tpl.createCellStyle();
        fill.setFillForegroundColor(IndexedColors.LIGHT_GREEN.getIndex());
        fill.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        sh.getRow(2).getCell(0).setCellStyle(fill);
        put(sh, "A4", "Total");
        put(sh, "B4", "=SUM(B3:B3)");
        put(sh, "D4", "kept");
        sh.getRow(3).setHeightInPoints(30);
        Name n = tpl.createName();
        n.setNameName("total_qty");
        n.setRefersToFormula("Report!$B$4");
        Books.save(tpl, art().resolve("tpl.xlsx"));
        StringBuilder sb = new StringBuilder("item\tqty\n");
        for (int i = 1; i <= rows; i++) {
            sb.append("it").append(i).append('\t').append(i).append('\n');
        }
        tsv("qc.tsv", sb.toString());
        StepResult r = run(List.of(map("name", "qc", "mode", "report_region", "sheet", "Report", "anchor", "QC_ANCHOR",
                "source_path", "qc.tsv", "type_cast", "basic", "style_mode", "copy_row",
                "style_row_offset", 2 + rows, "anchor_clear", true)), "rows_threshold", 100_000);
        try (XSSFWorkbook wb = out()) {
            XSSFSheet s = wb.getSheet("Report");
            assertEquals(CellType.BLANK, Books.cell(s, "A1").getCellType());
            assertEquals("Item", text(s, "A2"));
            assertEquals("it1", text(s, "A3"));
            assertEquals((double) rows, Books.cell(s, "B" + (2 + rows)).getNumericCellValue());
            assertEquals(FillPatternType.SOLID_FOREGROUND, Books.cell(s, "A" + (2 + rows)).getCellStyle().getFillPattern());
            int sample = 3 + rows;
            int total = 4 + rows;
            assertEquals("sample", text(s, "A" + sample));
            assertEquals("Total", text(s, "A" + total));
            assertEquals("kept", text(s, "D" + total));
            assertEquals("SUM(B" + sample + ":B" + sample + ")", Books.cell(s, "B" + total).getCellFormula());
            assertEquals(30f, s.getRow(total - 1).getHeightInPoints());
            assertEquals("Report!$B$" + total, wb.getName("total_qty").getRefersToFormula());
            assertEquals(total, s.getLastRowNum() + 1);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> w = ((List<Map<String, Object>>) r.output().get("written")).get(0);
        assertEquals(List.of(2, 1), w.get("start_cell"));
        assertEquals(1 + rows, w.get("rows"));
        assertEquals("below", w.get("insert"));
        assertEquals("template", w.get("header_mode"));
        assertEquals(true, w.get("template_has_header"));
    }

    @Test
    void smallReportRegionIsFilledInPlace() throws Exception {
        reportRegion(3);
    }

    @Test
    void largeReportRegionStreamsWithTheSameShape() throws Exception {
        reportRegion(ExcelFillFromFileStep.STREAM_ABOVE + 500);
    }

    @Test
    void streamedDataSheetKeepsTemplateRowsItLandsOnAndBelow() throws Exception {
        XSSFWorkbook tpl = new XSSFWorkbook();
        XSSFSheet sh = tpl.createSheet("DATA_big");
        put(sh, "A1", "old header");
        XSSFCellStyle fill = tpl.createCellStyle();
        fill.setFillForegroundColor(IndexedColors.ROSE.getIndex());
        fill.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        put(sh, "A2", "template value");
        sh.getRow(1).getCell(0).setCellStyle(fill);
        put(sh, "E2", "side note");
        put(sh, "A5000", "footer");
        Books.save(tpl, art().resolve("tpl.xlsx"));
        StringBuilder sb = new StringBuilder("n\tsq\n");
        for (int i = 1; i <= 3000; i++) {
            sb.append(i).append('\t').append(i * i).append('\n');
        }
        tsv("big.tsv", sb.toString());
        run(List.of(map("name", "big", "source_path", "big.tsv", "header_bold", false)));
        try (XSSFWorkbook wb = out()) {
            XSSFSheet s = wb.getSheet("DATA_big");
            assertEquals("n", text(s, "A1"));
            assertEquals("1", text(s, "A2"));
            assertEquals(FillPatternType.SOLID_FOREGROUND, Books.cell(s, "A2").getCellStyle().getFillPattern());
            assertEquals("side note", text(s, "E2"));
            assertEquals("9000000", text(s, "B3001"));
            assertEquals("footer", text(s, "A5000"));
            assertNull(s.getRow(3001));
        }
    }

    @Test
    void csvDialectsAreReadAsPythonsCsvModuleReadsThem() throws Exception {
        emptyTemplate();
        tsv("q.csv", "a,b\n1,\"hello\nworld\"\n\n\"x,y\",\"say \"\"hi\"\"\"\n");
        tsv("semi.txt", "a;b\r\n1;2\r\n");
        tsv("esc.csv", "a,b\n1\\,5,\"q\\\"x\"\n");
        tsv("none.csv", "a,b\n\"1\",2\n");
        tsv("num.csv", "\"a\",\"b\"\n1.5,\"t\"\n");
        tsv("badnum.csv", "a,b\n1,2\n");
        Files.write(art().resolve("latin.tsv"), "name\nJos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        tsv("bom.tsv", "\ufeffh\nv\n");
        run(List.of(map("name", "q", "source_path", "q.csv"),
                map("name", "semi", "source_path", "semi.txt", "source_format", "csv", "file", map("delimiter", ";")),
                map("name", "esc", "source_path", "esc.csv", "escapechar", "\\"),
                map("name", "none", "source_path", "none.csv", "quoting", "none"),
                map("name", "num", "source_path", "num.csv", "quoting", "nonnumeric"),
                map("name", "latin", "source_path", "latin.tsv", "encoding", "latin-1"),
                map("name", "bom", "source_path", "bom.tsv", "encoding", "utf-8-sig")));
        try (XSSFWorkbook wb = out()) {
            XSSFSheet q = wb.getSheet("DATA_q");
            assertEquals("hello\nworld", text(q, "B2"));
            assertNull(q.getRow(2) == null ? null : q.getRow(2).getCell(0));
            assertEquals("x,y", text(q, "A4"));
            assertEquals("say \"hi\"", text(q, "B4"));
            assertEquals("2", text(wb.getSheet("DATA_semi"), "B2"));
            assertEquals("1,5", text(wb.getSheet("DATA_esc"), "A2"));
            assertEquals("q\"x", text(wb.getSheet("DATA_esc"), "B2"));
            assertEquals("\"1\"", text(wb.getSheet("DATA_none"), "A2"));
            assertEquals(1.5, Books.cell(wb.getSheet("DATA_num"), "A2").getNumericCellValue());
            assertEquals("t", text(wb.getSheet("DATA_num"), "B2"));
            assertEquals("Jos\u00e9", text(wb.getSheet("DATA_latin"), "A2"));
            assertEquals("h", text(wb.getSheet("DATA_bom"), "A1"));
        }
    }

    @Test
    void legacyIncludeHeaderFalseUsesProvidedColumnsForSchemaCasting() throws Exception {
        emptyTemplate();
        tsv("nohead.tsv", "7\t2026-01-02\n");
        StepResult r = run(List.of(map("name", "n", "source_path", "nohead.tsv", "include_header", false,
                "columns", List.of("qty", "day"), "dtypes", map("qty", "int", "day", "date"))));
        try (XSSFWorkbook wb = out()) {
            XSSFSheet s = wb.getSheet("DATA_n");
            assertEquals(7.0, Books.cell(s, "A1").getNumericCellValue());
            assertTrue(DateUtil.isCellDateFormatted(Books.cell(s, "B1")));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> w = ((List<Map<String, Object>>) r.output().get("written")).get(0);
        assertEquals("template", w.get("header_mode"));
    }

    @Test
    void badInputsFailWithOneLineNamingTargetAndCell() throws Exception {
        emptyTemplate();
        tsv("ok.tsv", "a\n" + "x".repeat(40_000) + "\n");
        tsv("badnum.csv", "a,b\n1,2\n");
        StepFailedException cell = assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "wide", "source_path", "ok.tsv"))));
        assertTrue(cell.getMessage().startsWith("excel_fill_from_file target=wide: cannot write cell DATA_wide!A2"),
                cell.getMessage());
        assertFalse(cell.getMessage().contains("\n"));
        assertEquals("excel_fill_from_file target=t: source file not found: " + art().resolve("missing.tsv"),
                assertThrows(StepFailedException.class, () -> run(List.of(map("name", "t",
                        "source_path", "missing.tsv")))).getMessage());
        assertEquals("Unsupported source_format: xml", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "t", "source_path", "ok.tsv", "source_format", "xml")))).getMessage());
        assertEquals("excel_fill_from_file target=t: invalid mode=pivot", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "t", "source_path", "ok.tsv", "mode", "pivot")))).getMessage());
        assertEquals("excel_fill_from_file target=t: columns must be a list", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "t", "source_path", "ok.tsv", "columns", "a,b")))).getMessage());
        assertEquals("Excel anchor not found: 'NOPE'. Workbook sheets=['Report']. ANCHOR-like cells(sample)=[]",
                assertThrows(StepFailedException.class, () -> run(List.of(map("name", "t", "source_path", "ok.tsv",
                        "mode", "report_region", "sheet", "Report", "anchor", "NOPE")))).getMessage());
        assertEquals("excel_fill_from_file target=n: could not convert string to float: 'a' (quoting: nonnumeric reads"
                + " every unquoted field as a number)", assertThrows(StepFailedException.class, () -> run(List.of(
                        map("name", "n", "source_path", "badnum.csv", "quoting", "nonnumeric")))).getMessage());
        assertEquals("Unsupported count_mode for CSV/TSV: guess", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "t", "source_path", "ok.tsv", "mode", "report_region",
                        "cell", "Report!A1", "count_mode", "guess")))).getMessage());
        assertFalse(Files.exists(art().resolve("out.xlsx")));
    }

    @Test
    void overlapIsCheckedForReportRegionsButNotForDataSheetReplace() throws Exception {
        emptyTemplate();
        tsv("a.tsv", "h\n1\n");
        assertTrue(assertThrows(StepFailedException.class, () -> run(List.of(
                map("name", "one", "source_path", "a.tsv", "mode", "report_region", "cell", "Report!A1"),
                map("name", "two", "source_path", "a.tsv", "mode", "report_region", "cell", "Report!A1")))).getMessage()
                .startsWith("excel_fill_from_file targets overlap: name=two sheet=Report"));
        StepResult ok = run(List.of(map("name", "one", "source_path", "a.tsv", "sheet", "Data", "cell", "A1"),
                map("name", "two", "source_path", "a.tsv", "sheet", "Other", "cell", "A1")));
        assertEquals(2, ((List<?>) ok.output().get("written")).size());
    }
}
