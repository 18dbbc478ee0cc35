package io.aetherflow.steps.excel;

import static io.aetherflow.steps.excel.Books.map;
import static io.aetherflow.steps.excel.Books.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Name;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** excel_validate_template (catalog §9.2.4). */
class ExcelValidateTemplateStepTest {

    @TempDir
    Path job;

    @BeforeEach
    void template() throws Exception {
        XSSFWorkbook wb = new XSSFWorkbook();
        XSSFSheet report = wb.createSheet("Report");
        put(report, "A1", "\u00a0QIP_ANCHOR   ");
        put(report, "B2", "Monthly   total");
        XSSFSheet other = wb.createSheet("Other");
        put(other, "C3", "OTHER_ANCHOR");
        Name n = wb.createName();
        n.setNameName("tbl_sales");
        n.setRefersToFormula("Report!$B$2");
        Name local = wb.createName();
        local.setNameName("sheet_local");
        local.setSheetIndex(0);
        local.setRefersToFormula("Report!$A$1");
        Books.save(wb, job.resolve("artifacts/tpl.xlsx"));
    }

    StepResult run(Object... kv) throws Exception {
        Map<String, Object> in = map("template_path", "tpl.xlsx");
        for (int i = 0; i < kv.length; i += 2) {
            in.put((String) kv[i], kv[i + 1]);
        }
        return Books.run(job, new ExcelValidateTemplateStep(), ExcelValidateTemplateStep.TYPE, in);
    }

    @Test
    void findsDefinedNamesAndNormalisedCellText() throws Exception {
        StepResult r = run("required_names", List.of("tbl_sales", "QIP_ANCHOR", "Monthly total", "OTHER_ANCHOR"));
        assertEquals(map("template_ok", true, "found_named_ranges", List.of("tbl_sales"),
                "found_anchor_cells", List.of("Monthly total", "OTHER_ANCHOR", "QIP_ANCHOR")), r.output());
    }

    @Test
    void textMatchingIsCaseSensitiveAndSheetLocalNamesDoNotCount() throws Exception {
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run("required_names", List.of("qip_anchor", "sheet_local", "tbl_sales")));
        assertEquals("Template missing named ranges or anchor cells: ['qip_anchor', 'sheet_local']"
                + " ['qip_anchor', 'sheet_local', 'tbl_sales']", e.getMessage());
    }

    @Test
    void sheetRestrictsTheTextSearch() throws Exception {
        assertEquals("Template missing named ranges or anchor cells: ['OTHER_ANCHOR'] ['OTHER_ANCHOR']",
                assertThrows(StepFailedException.class, () -> run("required_names", "[\"OTHER_ANCHOR\"]",
                        "sheet", "Report")).getMessage());
        assertEquals("Sheet not found: Nope", assertThrows(StepFailedException.class,
                () -> run("required_names", List.of("x"), "sheet", "Nope")).getMessage());
    }

    @Test
    void requiredNamesAsTextOrJsonAndOtherwiseRefused() throws Exception {
        assertEquals(List.of("QIP_ANCHOR"), run("required_names", "QIP_ANCHOR").output().get("found_anchor_cells"));
        assertEquals(List.of("tbl_sales"), run("required_names", "[\"tbl_sales\"]").output().get("found_named_ranges"));
        assertEquals("required_names must be a list of strings {'a': 1}", assertThrows(StepFailedException.class,
                () -> run("required_names", map("a", 1))).getMessage());
        assertEquals("required_names must be a list of strings 5", assertThrows(StepFailedException.class,
                () -> run("required_names", "5")).getMessage());
    }

    @Test
    void missingTemplateIsOneLine() throws Exception {
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run("template_path", "nope.xlsx", "required_names", List.of("a")));
        assertTrue(e.getMessage().startsWith("excel_validate_template: template not found: "), e.getMessage());
    }
}
