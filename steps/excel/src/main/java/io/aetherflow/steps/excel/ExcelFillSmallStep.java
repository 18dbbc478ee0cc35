package io.aetherflow.steps.excel;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.osgi.service.component.annotations.Component;

/**
 * {@code excel_fill_small}: writes small in-memory tables (rows from step outputs or inline JSON)
 * into a template workbook (catalog §9.5.3). The whole workbook is edited in memory (XSSF) and
 * saved through {@code <output>.tmp} and a rename. See docs/steps-excel.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=" + ExcelFillSmallStep.TYPE)
public final class ExcelFillSmallStep implements Step {

    static final String TYPE = "excel_fill_small";

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        return ExcelSteps.fill(ctx, TYPE, in -> wb -> new ExcelSteps.Filler() {
            private final Cells cells = new Cells(wb);
            private final Layout.Rects rects = new Layout.Rects(TYPE);

            @Override
            public Map<String, Object> target(Target t) {
                return fill(ctx, wb, cells, rects, t);
            }

            @Override
            public void write(java.io.OutputStream out) throws java.io.IOException {
                wb.write(out);
            }
        });
    }

    private static Map<String, Object> fill(StepContext ctx, XSSFWorkbook wb, Cells cells, Layout.Rects rects,
            Target t) {
        Long rowCount = t.integer("row_count", null);
        Long maxRows = t.integer("max_rows", null);
        Long maxTotal = t.integer("max_total_rows", null);
        if (maxRows != null && rowCount != null && rowCount > maxRows) {
            throw t.fail("row_count=" + rowCount + " exceed max_rows=" + maxRows);
        }
        if (maxTotal != null && rowCount != null && rowCount > maxTotal) {
            throw t.fail("row_count=" + rowCount + " exceed max_total_rows=" + maxTotal);
        }
        String sheet = t.text("sheet", null);
        String anchor = t.text("anchor", null);
        String cell = t.text("cell", null);
        if ((anchor == null) == (cell == null)) {
            throw t.fail("must set exactly one of anchor OR cell");
        }
        Object rowsRaw = Target.jsonish(t.get("rows_json"));
        if (rowsRaw instanceof String) {
            throw t.fail("rows_json must be valid JSON");
        }
        Object colsRaw = t.get("columns_json") == null ? null : Target.jsonish(t.get("columns_json"));
        if (colsRaw instanceof String) {
            throw t.fail("columns_json must be valid JSON");
        }
        Anchors.Hit hit = Anchors.resolve(wb, sheet, anchor, cell, ctx.enterpriseMode(), ExcelSteps.debug(ctx));
        String insert = t.choice("insert", "replace", Layout.INSERT);
        String headerMode = t.choice("header_mode", "template", Layout.HEADER_MODES);
        String headerStyle = t.choice("header_style", "template", Layout.HEADER_STYLES);
        boolean named = anchor != null && Anchors.isDefinedName(wb, anchor);
        boolean marker = t.has("anchor_is_marker") ? t.bool("anchor_is_marker", false) : !named && anchor != null;
        boolean reserve = t.has("template_has_header") ? t.bool("template_has_header", false)
                : anchor != null && marker;
        Layout l = Layout.of(hit, marker, reserve);
        l.clearAnchor(t, anchor != null);

        List<List<Object>> rawRows = rows(t, rowsRaw);
        List<Object> header = null;
        if (Target.truthy(colsRaw)) {
            if (!(colsRaw instanceof List<?> cl)) {
                throw t.fail("columns_json must be a JSON array of column names");
            }
            header = new ArrayList<>(cl);
        }
        List<String> columns = header == null ? null : Target.strings(header);
        Map<String, String> dtypes = t.dtypes();
        String typeCast = t.typeCast(dtypes);
        List<List<Object>> data = new ArrayList<>(rawRows.size());
        for (List<Object> r : rawRows) {
            data.add(Casting.row(r, columns, typeCast, dtypes));
        }
        boolean writeHeader = !headerMode.equals("template") && header != null;
        int dataStart = l.dataStart(writeHeader);
        int blockRows = data.size() + (writeHeader ? 1 : 0);
        if (maxRows != null && data.size() > maxRows) {
            throw t.fail("data rows exceed max_rows=" + maxRows);
        }
        if (maxTotal != null && blockRows > maxTotal) {
            throw t.fail("total rows exceed max_total_rows=" + maxTotal);
        }
        int width = writeHeader ? header.size() : 0;
        for (List<Object> r : data) {
            width = Math.max(width, r.size());
        }
        Long maxCols = t.integer("max_cols", null);
        if (maxCols != null && width > maxCols) {
            throw t.fail("cols exceed max_cols=" + maxCols);
        }
        if (insert.equals("below")) {
            if (reserve) {
                Layout.insertRows(l.sheet(), dataStart, data.size());
            } else {
                Layout.insertRows(l.sheet(), l.r0(), blockRows);
            }
        }
        Layout.Style style = Layout.Style.of(t);
        List<CellStyle> styleCache = null;
        int styleRow = style.row(l);
        if (style.copyRow() && width > 0) {
            styleCache = Layout.styles(l.sheet(), styleRow, l.c0(), width);
        }
        if (writeHeader && t.bool("header_clear", true)) {
            Long w = Target.asLong(t.get("header_clear_width"));
            int clear = w == null || t.get("header_clear_width") == null ? Math.max(header.size(), width) : w.intValue();
            Cells.clearSegment(l.sheet(), l.r0(), l.c0(), clear);
        }
        int totalRows = (writeHeader || reserve ? 1 : 0) + data.size();
        rects.add(t.name, l, totalRows, width);
        String label = t.label();
        if (writeHeader) {
            Row hr = Cells.row(l.sheet(), l.r0());
            for (int j = 0; j < header.size(); j++) {
                org.apache.poi.ss.usermodel.Cell c = Cells.cell(hr, l.c0() + j);
                cells.set(label, l.sheet(), c, header.get(j));
                if (styleCache != null && style.header(headerStyle) && j < styleCache.size()) {
                    c.setCellStyle(styleCache.get(j));
                }
            }
        }
        for (int i = 0; i < data.size(); i++) {
            Row row = Cells.row(l.sheet(), dataStart + i);
            List<Object> values = data.get(i);
            for (int j = 0; j < values.size(); j++) {
                org.apache.poi.ss.usermodel.Cell c = Cells.cell(row, l.c0() + j);
                if (styleCache != null && style.data() && j < styleCache.size()) {
                    c.setCellStyle(styleCache.get(j));
                }
                cells.set(label, l.sheet(), c, values.get(j));
            }
        }
        if (styleCache != null && style.clearRow()) {
            Cells.clearSegment(l.sheet(), styleRow, l.c0(), width);
        }
        return new Written(t.name, l.sheet().getSheetName(), totalRows, width, null, insert, headerMode, headerStyle,
                typeCast, style, l, reserve).toMap();
    }

    private static List<List<Object>> rows(Target t, Object rowsRaw) {
        List<List<Object>> out = new ArrayList<>();
        if (rowsRaw == null) {
            return out;
        }
        if (!(rowsRaw instanceof List<?> l)) {
            throw t.fail("rows_json must be a JSON array of rows");
        }
        for (Object r : l) {
            if (r instanceof List<?> rl) {
                out.add(new ArrayList<>(rl));
            } else if (r instanceof Map<?, ?> m) {
                out.add(new ArrayList<>(m.values()));
            } else {
                throw t.fail("rows_json must be a JSON array of row arrays, found a row " + r);
            }
        }
        return out;
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        ExcelSteps.checkRequired(TYPE, raw, checks, "template_path", "output", "targets");
    }
}
