package io.aetherflow.steps.excel;

import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.testkit.FakeStepContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** Test helpers: templates built with POI, workbooks read back, step runs over a fake context. */
final class Books {

    private Books() {
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static void save(XSSFWorkbook wb, Path p) throws IOException {
        Files.createDirectories(p.getParent());
        try (OutputStream out = Files.newOutputStream(p)) {
            wb.write(out);
        }
        wb.close();
    }

    static XSSFWorkbook read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new XSSFWorkbook(in);
        }
    }

    /** @return the cell at an A1 address, or null */
    static Cell cell(Sheet sh, String a1) {
        CellReference ref = new CellReference(a1);
        Row r = sh.getRow(ref.getRow());
        return r == null ? null : r.getCell(ref.getCol());
    }

    /** @return a string cell's text (fails on other types) */
    static String text(Sheet sh, String a1) {
        Cell c = cell(sh, a1);
        return c == null ? null : c.getStringCellValue();
    }

    static void put(Sheet sh, String a1, Object v) {
        CellReference ref = new CellReference(a1);
        Row r = sh.getRow(ref.getRow()) == null ? sh.createRow(ref.getRow()) : sh.getRow(ref.getRow());
        Cell c = r.getCell(ref.getCol()) == null ? r.createCell(ref.getCol()) : r.getCell(ref.getCol());
        if (v instanceof String s && s.startsWith("=")) {
            c.setCellFormula(s.substring(1));
        } else if (v instanceof String s) {
            c.setCellValue(s);
        } else if (v instanceof Number n) {
            c.setCellValue(n.doubleValue());
        } else if (v instanceof Boolean b) {
            c.setCellValue(b);
        }
    }

    static StepResult run(Path job, Step step, String type, Map<String, Object> inputs) throws Exception {
        try (FakeStepContext ctx = FakeStepContext.at(job).stepType(type).inputs(inputs)) {
            return ctx.run(step);
        }
    }
}
