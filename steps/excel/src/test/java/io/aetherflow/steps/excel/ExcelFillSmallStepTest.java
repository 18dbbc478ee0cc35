package io.aetherflow.steps.excel;

import static io.aetherflow.steps.excel.Books.map;
import static io.aetherflow.steps.excel.Books.put;
import static io.aetherflow.steps.excel.Books.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
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
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFFont;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** excel_fill_small on templates built by the tests, read back with POI. */
class ExcelFillSmallStepTest {

    @TempDir
    Path job;

    Path art() {
        return job.resolve("artifacts");
    }

    /** Report sheet, defined name tbl_anchor at Report!$B$2. */
    Path namedTemplate() throws Exception {
        XSSFWorkbook wb = new XSSFWorkbook();
        wb.createSheet("Report");
        Name n = wb.createName();
        n.setNameName("tbl_anchor");
        n.setRefersToFormula("Report!$B$2");
        Path p = art().resolve("tpl.xlsx");
        Books.save(wb, p);
        return p;
    }

    StepResult run(Object targets) throws Exception {
        return Books.run(job, new ExcelFillSmallStep(), ExcelFillSmallStep.TYPE,
                map("template_path", "tpl.xlsx", "output", "out/report.xlsx", "targets", targets));
    }

    @Test
    void namedRangeAtB2TakesTwoRows() throws Exception {
        namedTemplate();
        StepResult r = run(List.of(map("name", "t", "anchor", "tbl_anchor",
                "rows_json", "[[\"r1c1\",\"r1c2\"],[\"r2c1\",\"r2c2\"]]")));
        Path out = art().resolve("out/report.xlsx");
        assertEquals(out.toString(), r.output().get("output"));
        try (XSSFWorkbook wb = Books.read(out)) {
            XSSFSheet sh = wb.getSheet("Report");
            assertEquals("r1c1", text(sh, "B2"));
            assertEquals("r2c2", text(sh, "C3"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> w = ((List<Map<String, Object>>) r.output().get("written")).get(0);
        assertEquals(map("name", "t", "sheet", "Report", "rows", 2, "cols", 2, "insert", "replace",
                "header_mode", "template", "header_style", "template", "type_cast", "none", "style_mode", "none",
                "start_cell", List.of(2, 2), "template_has_header", false), w);
        assertFalse(Files.exists(art().resolve("out/report.xlsx.tmp")));
    }

    @Test
    void overlappingTargetsFailAndWriteNothing() throws Exception {
        namedTemplate();
        StepFailedException e = assertThrows(StepFailedException.class, () -> run(List.of(
                map("name", "a", "cell", "Report!B2", "rows_json", List.of(List.of(1))),
                map("name", "b", "cell", "Report!B2", "rows_json", List.of(List.of(2))))));
        assertEquals("excel_fill_small targets overlap: name=b sheet=Report rect=('Report', 2, 2, 2, 2)"
                + " prev=('Report', 2, 2, 2, 2)", e.getMessage());
        assertFalse(Files.exists(art().resolve("out/report.xlsx")));
        assertFalse(Files.exists(art().resolve("out/report.xlsx.tmp")));
    }

    /** A marker anchor with a header row, a styled sample row and a total below, filled with insert: below. */
    @Test
    void markerAnchorInsertsBelowTheTemplateHeaderAndMovesFormulasAndNames() throws Exception {
        XSSFWorkbook wb = new XSSFWorkbook();
        XSSFSheet sh = wb.createSheet("Report");
        put(sh, "A1", "QIP_ANCHOR");
        put(sh, "A2", "Item");
        put(sh, "B2", "Amount");
        XSSFCellStyle fill = wb.createCellStyle();
        fill.setFillForegroundColor(IndexedColors.LIGHT_YELLOW.getIndex());
        fill.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        put(sh, "A3", "sample");
        put(sh, "B3", 0);
        sh.getRow(2).getCell(0).setCellStyle(fill);
        sh.getRow(2).getCell(1).setCellStyle(fill);
        put(sh, "A4", "Total");
        put(sh, "B4", "=SUM(B3:B3)");
        Name total = wb.createName();
        total.setNameName("total_cell");
        total.setRefersToFormula("Report!$B$4");
        Books.save(wb, art().resolve("tpl.xlsx"));

        StepResult r = run(List.of(map("name", "items", "sheet", "Report", "anchor", "  qip_anchor ",
                "insert", "below", "rows_json", "[[\"x\", 1], [\"y\", 2]]", "style_mode", "copy_row",
                "style_row_offset", 4,
                "anchor_clear", true)));
        try (XSSFWorkbook out = Books.read(art().resolve("out/report.xlsx"))) {
            XSSFSheet s = out.getSheet("Report");
            assertNull(Books.cell(s, "A1").getCellType() == CellType.BLANK ? null : "not cleared");
            assertEquals("Item", text(s, "A2"));
            assertEquals("x", text(s, "A3"));
            assertEquals(2.0, Books.cell(s, "B4").getNumericCellValue());
            // the style row is read after the insertion: anchor row + 4 = where the sample row moved to
            assertEquals(FillPatternType.SOLID_FOREGROUND, Books.cell(s, "A3").getCellStyle().getFillPattern());
            assertEquals(IndexedColors.LIGHT_YELLOW.getIndex(), Books.cell(s, "B4").getCellStyle().getFillForegroundColor());
            // the template rows below moved down by two, their formula and the defined name with them
            assertEquals("sample", text(s, "A5"));
            assertEquals("Total", text(s, "A6"));
            assertEquals("SUM(B5:B5)", Books.cell(s, "B6").getCellFormula());
            assertEquals("Report!$B$6", out.getName("total_cell").getRefersToFormula());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> w = ((List<Map<String, Object>>) r.output().get("written")).get(0);
        assertEquals(List.of(2, 1), w.get("start_cell"));
        assertEquals(true, w.get("template_has_header"));
        assertEquals(3, w.get("rows"));
    }

    @Test
    void headerOverrideClearsTheOldHeaderAndSchemaCastsTypes() throws Exception {
        XSSFWorkbook wb = new XSSFWorkbook();
        XSSFSheet sh = wb.createSheet("S");
        put(sh, "A1", "old1");
        put(sh, "B1", "old2");
        put(sh, "C1", "old3");
        XSSFFont bold = wb.createFont();
        bold.setBold(true);
        XSSFCellStyle hs = wb.createCellStyle();
        hs.setFont(bold);
        sh.getRow(0).getCell(0).setCellStyle(hs);
        Books.save(wb, art().resolve("tpl.xlsx"));
        run(List.of(map("sheet", "S", "cell", "A1", "header_mode", "override",
                "columns_json", List.of("amount", "day"), "header_clear_width", 3,
                "rows_json", List.of(List.of("10", "2026-02-08"), List.of("x", "nope")),
                "dtypes", map("amount", "int", "day", "date"))));
        try (XSSFWorkbook out = Books.read(art().resolve("out/report.xlsx"))) {
            XSSFSheet s = out.getSheet("S");
            assertEquals("amount", text(s, "A1"));
            assertTrue(s.getRow(0).getCell(0).getCellStyle().getFont().getBold(), "header formatting kept");
            assertEquals(CellType.BLANK, Books.cell(s, "C1").getCellType());
            assertEquals(CellType.NUMERIC, Books.cell(s, "A2").getCellType());
            assertEquals(10.0, Books.cell(s, "A2").getNumericCellValue());
            assertTrue(DateUtil.isCellDateFormatted(Books.cell(s, "B2")));
            assertEquals(LocalDate.of(2026, 2, 8), Books.cell(s, "B2").getLocalDateTimeCellValue().toLocalDate());
            assertEquals("x", text(s, "A3"));
            assertEquals("nope", text(s, "B3"));
        }
    }

    @Test
    void basicCastTurnsOneIntoTrueAndDatesIntoDateTimes() throws Exception {
        namedTemplate();
        run(List.of(map("cell", "Report!A1", "type_cast", "basic",
                "rows_json", List.of(List.of("1", "42", "007", "1.5", "2026-02-08", "text", "")))));
        try (XSSFWorkbook out = Books.read(art().resolve("out/report.xlsx"))) {
            XSSFSheet s = out.getSheet("Report");
            assertEquals(CellType.BOOLEAN, Books.cell(s, "A1").getCellType());
            assertEquals(42.0, Books.cell(s, "B1").getNumericCellValue());
            assertEquals("007", text(s, "C1"));
            assertEquals(1.5, Books.cell(s, "D1").getNumericCellValue());
            assertEquals("2026-02-08T00:00", Books.cell(s, "E1").getLocalDateTimeCellValue().toString());
            assertEquals("text", text(s, "F1"));
            assertEquals(CellType.BLANK, Books.cell(s, "G1").getCellType());
        }
    }

    @Test
    void guardsAndInputErrorsNameTheTarget() throws Exception {
        namedTemplate();
        assertEquals("excel_fill_small target=g: row_count=5 exceed max_rows=3", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "row_count", 5, "max_rows", 3)))).getMessage());
        assertEquals("excel_fill_small target=g: row_count=5 exceed max_total_rows=4", assertThrows(
                StepFailedException.class, () -> run(List.of(map("name", "g", "cell", "Report!A1", "row_count", 5,
                        "max_total_rows", 4)))).getMessage());
        assertEquals("excel_fill_small target=g: data rows exceed max_rows=1", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "max_rows", 1,
                        "rows_json", "[[1],[2]]")))).getMessage());
        assertEquals("excel_fill_small target=g: total rows exceed max_total_rows=2", assertThrows(
                StepFailedException.class, () -> run(List.of(map("name", "g", "cell", "Report!A1", "max_total_rows", 2,
                        "header_mode", "append", "columns_json", "[\"a\"]", "rows_json", "[[1],[2]]")))).getMessage());
        assertEquals("excel_fill_small target=g: cols exceed max_cols=1", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "max_cols", 1,
                        "rows_json", "[[1,2]]")))).getMessage());
        assertEquals("excel_fill_small target=target: must set exactly one of anchor OR cell", assertThrows(
                StepFailedException.class, () -> run(List.of(map("anchor", "x", "cell", "A1")))).getMessage());
        assertEquals("excel_fill_small target=g: rows_json must be valid JSON", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "rows_json", "[[1,")))).getMessage());
        assertEquals("excel_fill_small target=g: columns_json must be valid JSON", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "columns_json", "{bad}")))).getMessage());
        assertEquals("excel_fill_small target=g: invalid insert=sideways", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "insert", "sideways")))).getMessage());
        assertEquals("excel_fill_small target=g: invalid style_mode=paint", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "style_mode", "paint")))).getMessage());
        assertEquals("excel_fill_small target=g: invalid anchor_clear_mode=all", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "anchor", "tbl_anchor", "anchor_clear", true,
                        "anchor_clear_mode", "all")))).getMessage());
        assertEquals("excel_fill_small target=g: dtypes must be a dict", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "dtypes", "[1]")))).getMessage());
        assertEquals("excel_fill_small target=g: invalid type_cast=magic", assertThrows(StepFailedException.class,
                () -> run(List.of(map("name", "g", "cell", "Report!A1", "type_cast", "magic")))).getMessage());
        assertFalse(Files.exists(art().resolve("out/report.xlsx")));
    }

    @Test
    void anchorResolutionErrors() throws Exception {
        namedTemplate();
        assertEquals("Invalid Excel cell reference: A0B", assertThrows(StepFailedException.class,
                () -> run(List.of(map("cell", "Report!A0B")))).getMessage());
        assertEquals("Excel target requires sheet when using cell like 'A1' (set sheet or use 'Sheet!A1')",
                assertThrows(StepFailedException.class, () -> run(List.of(map("cell", "A1")))).getMessage());
        assertEquals("Worksheet Nope does not exist. Workbook sheets=['Report']", assertThrows(StepFailedException.class,
                () -> run(List.of(map("cell", "Nope!A1")))).getMessage());
        assertEquals("Excel anchor not found: 'NO_SUCH_ANCHOR'. Workbook sheets=['Report']."
                + " ANCHOR-like cells(sample)=[]", assertThrows(StepFailedException.class,
                        () -> run(List.of(map("anchor", "NO_SUCH_ANCHOR")))).getMessage());
        StepFailedException ent;
        try (var ctx = io.aetherflow.testkit.FakeStepContext.at(job).stepType(ExcelFillSmallStep.TYPE)
                .enterpriseMode(true).inputs(map("template_path", "tpl.xlsx", "output", "o.xlsx",
                        "targets", List.of(map("anchor", "SOME_TEXT"))))) {
            ent = assertThrows(StepFailedException.class, () -> ctx.run(new ExcelFillSmallStep()));
        }
        assertEquals("Excel anchor text search requires 'sheet' in enterprise mode. Use named range or set sheet.",
                ent.getMessage());
        StepFailedException missing = assertThrows(StepFailedException.class, () -> Books.run(job,
                new ExcelFillSmallStep(), ExcelFillSmallStep.TYPE, map("template_path", "nope.xlsx", "output", "o.xlsx",
                        "targets", List.of())));
        assertTrue(missing.getMessage().startsWith("excel_fill_small: template not found: "), missing.getMessage());
    }

    @Test
    void textSearchStopsAfterTenThousandCells() throws Exception {
        XSSFWorkbook wb = new XSSFWorkbook();
        XSSFSheet sh = wb.createSheet("Big");
        for (int r = 0; r < 101; r++) {
            for (int c = 0; c < 100; c++) {
                sh.createRow(r).createCell(c);
            }
            sh.getRow(r).createCell(99).setCellValue("v");
        }
        put(sh, "A101", "LATE_ANCHOR");
        Books.save(wb, art().resolve("tpl.xlsx"));
        assertEquals("Excel anchor search exceeded max_cells=10000. Use named range or specify sheet.",
                assertThrows(StepFailedException.class, () -> run(List.of(map("anchor", "LATE_ANCHOR"))))
                        .getMessage());
    }

    @Test
    void aFailedFillLeavesAnEarlierOutputAsItWas() throws Exception {
        namedTemplate();
        Path out = Files.createDirectories(art().resolve("out")).resolve("report.xlsx");
        Files.writeString(out, "previous report");
        assertThrows(StepFailedException.class, () -> run(List.of(map("name", "long", "cell", "Report!A1",
                "rows_json", List.of(List.of("x".repeat(40_000)))))));
        assertEquals("previous report", Files.readString(out));
        assertFalse(Files.exists(art().resolve("out/report.xlsx.tmp")));
    }

    @Test
    void aValueTheCellCannotTakeNamesStepTargetAndCell() throws Exception {
        namedTemplate();
        StepFailedException e = assertThrows(StepFailedException.class, () -> run(List.of(map("name", "long",
                "cell", "Report!C4", "rows_json", List.of(List.of("ok", "x".repeat(40_000)))))));
        assertTrue(e.getMessage().startsWith("excel_fill_small target=long: cannot write cell Report!D4 value 'xxx"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("exceeds Excel's limit of 32767"), e.getMessage());
    }
}
