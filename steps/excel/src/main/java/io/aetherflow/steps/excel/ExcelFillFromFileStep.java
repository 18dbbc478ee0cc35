package io.aetherflow.steps.excel;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.osgi.service.component.annotations.Component;

/**
 * {@code excel_fill_from_file}: streams CSV/TSV files into a template workbook (catalog §9.5.4),
 * either as a data sheet ({@code DATA_<name>}, created when missing) or into a bounded report
 * region with a row threshold. The template is opened with XSSF; data sheets, and report regions
 * above {@value #STREAM_ABOVE} rows, are written through an SXSSF workbook over it, so memory
 * stays flat in the number of rows. Saved through {@code <output>.tmp} and a rename. See
 * docs/steps-excel.md.
 */
@Component(property = Step.TYPE_PROPERTY + "=" + ExcelFillFromFileStep.TYPE)
public final class ExcelFillFromFileStep implements Step {

    static final String TYPE = "excel_fill_from_file";

    /** Report regions with more rows than this stream too. */
    static final int STREAM_ABOVE = 2_000;
    /** Rows SXSSF keeps in memory per sheet. */
    static final int WINDOW = 200;

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        return ExcelSteps.fill(ctx, TYPE, in -> {
            long threshold = in.integer("rows_threshold", 50_000);
            return wb -> new Fill(ctx, wb, threshold);
        });
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        ExcelSteps.checkRequired(TYPE, raw, checks, "template_path", "output", "targets");
    }

    /** One run's workbook: the XSSF template and, once a target streams, the SXSSF workbook over it. */
    private static final class Fill implements ExcelSteps.Filler {
        private final StepContext ctx;
        private final XSSFWorkbook wb;
        private final long defaultThreshold;
        private final Cells cells;
        private final Layout.Rects rects = new Layout.Rects(TYPE);
        private final Map<String, String> streamed = new HashMap<>();
        private SXSSFWorkbook sx;
        private Cells sxCells;

        Fill(StepContext ctx, XSSFWorkbook wb, long defaultThreshold) {
            this.ctx = ctx;
            this.wb = wb;
            this.defaultThreshold = defaultThreshold;
            this.cells = new Cells(wb);
        }

        @Override
        public void write(java.io.OutputStream out) throws java.io.IOException {
            wb.setForceFormulaRecalculation(true);
            if (sx != null) {
                sx.write(out);
            } else {
                wb.write(out);
            }
        }

        @Override
        public void close() {
            if (sx != null) {
                sx.dispose();
            }
        }

        private XSSFSheet sheetFor(String name) {
            XSSFSheet ws = wb.getSheet(name);
            if (ws == null) {
                ws = sx != null ? sx.getXSSFWorkbook().getSheet(sx.createSheet(name).getSheetName()) : wb.createSheet(name);
            }
            return ws;
        }

        @Override
        public Map<String, Object> target(Target t) throws Exception {
            Object src = t.get("source_path");
            if (!Target.truthy(src)) {
                throw t.fail("source_path is required");
            }
            Path source = ctx.resolvePath(src.toString());
            String ext = source.getFileName().toString();
            ext = ext.lastIndexOf('.') >= 0 ? ext.substring(ext.lastIndexOf('.') + 1) : "";
            String fmt = t.text("source_format", ext.isEmpty() ? "tsv" : ext).toLowerCase(Locale.ROOT);
            String mode = t.choice("mode", "data_sheet", Set.of("data_sheet", "report_region"));
            boolean region = mode.equals("report_region");
            boolean readHeader;
            String headerMode;
            if (t.has("include_header")) {
                readHeader = t.bool("include_header", true);
                headerMode = readHeader ? "append" : "template";
            } else {
                readHeader = t.bool("read_header", true);
                headerMode = t.choice("header_mode", region ? "template" : "append", Layout.HEADER_MODES);
            }
            String headerStyle = t.choice("header_style", "template", Layout.HEADER_STYLES);
            CsvOptions csv = CsvOptions.of(t, fmt);
            String countMode = t.text("count_mode", "fast").toLowerCase(Locale.ROOT);
            Object rc = t.get("row_count");
            Long providedCount = rc instanceof Number || rc instanceof String ? Target.asLong(rc) : null;
            long threshold = t.integer("rows_threshold", defaultThreshold);
            Map<String, String> dtypes = t.dtypes();
            String typeCast = t.typeCast(dtypes);
            Object pc = Target.jsonish(t.get("columns"));
            if (!Target.truthy(pc)) {
                pc = Target.jsonish(t.get("columns_json"));
            }
            if (Target.truthy(pc) && !(pc instanceof List<?>)) {
                throw t.fail("columns must be a list");
            }
            List<String> providedColumns = Target.truthy(pc) ? Target.strings((List<?>) pc) : null;

            String sheetName = t.text("sheet", null);
            String anchor = t.text("anchor", null);
            String cell = t.text("cell", null);
            if (!region) {
                if (sheetName == null) {
                    sheetName = t.text("data_sheet_prefix", "DATA_") + t.name;
                }
                if (wb.getSheet(sheetName) == null && streamed.containsKey(sheetName)) {
                    throw t.fail("sheet " + sheetName + " was already streamed");
                }
                sheetFor(sheetName);
                if (anchor == null && cell == null) {
                    cell = "A1";
                }
            }
            if ((anchor != null || cell != null) && (anchor != null) == (cell != null)) {
                throw t.fail("must set exactly one of anchor OR cell");
            }
            Anchors.Hit hit = Anchors.resolve(wb, sheetName, anchor, cell, ctx.enterpriseMode(), ExcelSteps.debug(ctx));
            String sheetTitle = hit.sheet().getSheetName();
            if (streamed.containsKey(sheetTitle)) {
                throw t.fail("sheet " + sheetTitle + " already received streamed rows from target="
                        + streamed.get(sheetTitle) + "; a streamed sheet takes one target (give each target its own"
                        + " sheet, or keep report regions under " + STREAM_ABOVE + " rows)");
            }
            String insert = t.choice("insert", region ? "below" : "replace", Layout.INSERT);
            boolean named = anchor != null && Anchors.isDefinedName(wb, anchor);
            boolean marker = t.has("anchor_is_marker") ? t.bool("anchor_is_marker", false)
                    : !named && region && anchor != null;
            boolean reserve = t.has("template_has_header") ? t.bool("template_has_header", false)
                    : region && anchor != null && marker;
            Layout l = Layout.of(hit, marker, reserve);
            l.clearAnchor(t, anchor != null);
            Layout.Style style = Layout.Style.of(t);

            if (!fmt.equals("csv") && !fmt.equals("tsv")) {
                throw new io.aetherflow.api.step.StepFailedException("Unsupported source_format: " + fmt
                        + (fmt.equals("parquet") ? " (parquet sources are not supported by this port; write tsv or csv)" : ""));
            }
            if (!Files.isRegularFile(source)) {
                throw t.fail("source file not found: " + source);
            }
            try (RowSource rows = new RowSource(t.label(), source, csv)) {
                List<Object> header = null;
                List<String> columns = providedColumns;
                if (readHeader) {
                    header = rows.next();
                    columns = header != null ? Target.strings(header) : providedColumns;
                }
                if (typeCast.equals("schema") && !dtypes.isEmpty() && (columns == null || columns.isEmpty())) {
                    typeCast = "none";
                }
                boolean writeHeader = !headerMode.equals("template") && header != null;
                int dataStart = l.dataStart(writeHeader);
                long count = -1;
                if (region) {
                    boolean failOn = t.bool("fail_on_threshold", true);
                    count = providedCount != null ? providedCount
                            : RowCounter.count(t.label(), source, fmt, readHeader, countMode, csv);
                    if (failOn && count > threshold) {
                        throw new ReportTooLargeException(t.name, source.toString(), count, threshold);
                    }
                    if (insert.equals("below")) {
                        int n = (int) Math.min(count, 1_048_576);
                        Layout.insertRows(l.sheet(), reserve ? dataStart : l.r0(), reserve ? n : n + (writeHeader ? 1 : 0));
                    }
                }
                if (writeHeader && t.bool("header_clear", true)) {
                    Long w = Target.asLong(t.get("header_clear_width"));
                    Cells.clearSegment(l.sheet(), l.r0(), l.c0(), w == null ? header.size() : w.intValue());
                }
                int width = 0;
                if (writeHeader) {
                    Row hr = Cells.row(l.sheet(), l.r0());
                    for (int j = 0; j < header.size(); j++) {
                        cells.set(t.label(), l.sheet(), Cells.cell(hr, l.c0() + j), header.get(j));
                    }
                    width = header.size();
                }
                boolean stream = !region || count > STREAM_ABOVE;
                RowSink sink;
                Cells target;
                if (stream) {
                    if (sx == null) {
                        sx = new SXSSFWorkbook(wb, WINDOW, false, false);
                        sxCells = new Cells(sx);
                    }
                    sink = RowSink.streaming(l.sheet(), sx.getSheet(sheetTitle), dataStart);
                    target = sxCells;
                    streamed.put(sheetTitle, t.name);
                } else {
                    sink = RowSink.inPlace(l.sheet());
                    target = cells;
                }
                int styleRow = style.row(l);
                List<CellStyle> styleCache = new ArrayList<>();
                // SXSSF looks up a new cell's column style on every read of its style: give it once
                List<CellStyle> columnStyles = stream && !style.data() ? new ArrayList<>() : null;
                String label = t.label();
                Casting.Plan cast = Casting.plan(columns, typeCast, dtypes);
                int dataRows = 0;
                List<Object> rec;
                while ((rec = rows.next()) != null) {
                    List<Object> values = cast.row(rec);
                    Row row = sink.row(dataStart + dataRows);
                    for (int j = 0; j < values.size(); j++) {
                        Cell c = row.getCell(l.c0() + j - 1);
                        if (c == null) {
                            c = row.createCell(l.c0() + j - 1);
                            if (columnStyles != null) {
                                c.setCellStyle(columnStyle(columnStyles, sink.sheet(), l.c0() - 1, j));
                            }
                        }
                        if (style.data()) {
                            c.setCellStyle(cached(styleCache, sink, styleRow, l.c0(), j));
                        }
                        target.set(label, sink.sheet(), c, values.get(j));
                    }
                    width = Math.max(width, values.size());
                    dataRows++;
                    if ((dataRows & 4095) == 0 && Thread.interrupted()) {
                        throw new InterruptedException(TYPE + " interrupted");
                    }
                }
                if (style.copyRow() && width > 0 && (dataRows > 0 || writeHeader) && style.header(headerStyle) && writeHeader) {
                    Row hr = Cells.row(l.sheet(), l.r0());
                    for (int j = 0; j < width; j++) {
                        Cells.cell(hr, l.c0() + j).setCellStyle(cached(styleCache, sink, styleRow, l.c0(), j));
                    }
                }
                sink.finish(style.copyRow() && style.clearRow() && width > 0 ? styleRow : -1, l.c0(), width);
                int totalRows = (writeHeader || reserve ? 1 : 0) + dataRows;
                if (!(mode.equals("data_sheet") && insert.equals("replace"))) {
                    rects.add(t.name, l, totalRows, width);
                }
                if (!region) {
                    niceties(t, l, writeHeader, dataRows + (writeHeader ? 1 : 0), width);
                }
                Map<String, Object> s = new Written(t.name, sheetTitle, totalRows, width, mode, insert, headerMode,
                        headerStyle, null, style, l, reserve).toMap();
                Map<String, Object> ev = new LinkedHashMap<>(s);
                ev.put("source_path", source.toString());
                ev.put("streamed", stream);
                ctx.event("INFO", "excel_fill_from_file_target", ev);
                return s;
            }
        }

        private static CellStyle cached(List<CellStyle> cache, RowSink sink, int styleRow, int c0, int j) {
            while (cache.size() <= j) {
                cache.add(sink.styleAt(styleRow, c0 + cache.size()));
            }
            return cache.get(j);
        }

        private static CellStyle columnStyle(List<CellStyle> cache, org.apache.poi.ss.usermodel.Sheet sheet, int c0, int j) {
            while (cache.size() <= j) {
                CellStyle cs = sheet.getColumnStyle(c0 + cache.size());
                cache.add(cs != null ? cs : sheet.getWorkbook().getCellStyleAt(0));
            }
            return cache.get(j);
        }

        /** Data sheets: freeze panes below the header, an autofilter over the block, a bold header. */
        private void niceties(Target t, Layout l, boolean header, int rowsWritten, int width) {
            XSSFSheet ws = l.sheet();
            if (t.bool("freeze_panes", true)) {
                int row = l.r0() + (header ? 1 : 0);
                if (row > 1 || l.c0() > 1) {
                    ws.createFreezePane(l.c0() - 1, row - 1);
                }
            }
            if (t.bool("autofilter", true) && rowsWritten > 0 && width > 0 && header) {
                ws.setAutoFilter(new CellRangeAddress(l.r0() - 1, l.r0() + rowsWritten - 2, l.c0() - 1,
                        l.c0() + width - 2));
            }
            if (t.bool("header_bold", true) && header) {
                Row hr = Cells.row(ws, l.r0());
                for (int j = 0; j < width; j++) {
                    cells.bold(Cells.cell(hr, l.c0() + j));
                }
            }
        }
    }
}
