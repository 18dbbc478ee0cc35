package io.aetherflow.steps.excel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFSheet;

/**
 * Where a target's block goes once its anchor is resolved (catalog §9.5.1), and the pieces both
 * fill steps share: anchor clearing, style options, row insertion and the overlap guard. Rows and
 * columns are 1-based.
 *
 * @param sheet the worksheet
 * @param rAnchor the anchor's row
 * @param c0 the block's first column
 * @param marker whether the anchor row is a marker above the block ({@code anchor_is_marker})
 * @param r0 the block's first row ({@code rAnchor + 1} for a marker)
 * @param reserve whether row {@code r0} is a template header that stays ({@code template_has_header})
 */
record Layout(XSSFSheet sheet, int rAnchor, int c0, boolean marker, int r0, boolean reserve) {

    static final Set<String> INSERT = Set.of("below", "replace");
    static final Set<String> HEADER_MODES = Set.of("template", "override", "append");
    static final Set<String> HEADER_STYLES = Set.of("template", "style_row");

    /**
     * @param hit the resolved anchor
     * @param marker {@code anchor_is_marker}
     * @param reserve {@code template_has_header}
     */
    static Layout of(Anchors.Hit hit, boolean marker, boolean reserve) {
        return new Layout(hit.sheet(), hit.row(), hit.col(), marker, hit.row() + (marker ? 1 : 0), reserve);
    }

    /** @return where data starts: below {@code r0} when a header is written or reserved */
    int dataStart(boolean writeHeader) {
        return r0 + (writeHeader || reserve ? 1 : 0);
    }

    /** {@code anchor_clear}: clears the anchor cell, or {@code anchor_clear_width} cells of its row. */
    void clearAnchor(Target t, boolean anchorGiven) {
        if (!anchorGiven || !t.bool("anchor_clear", false)) {
            return;
        }
        String mode = t.text("anchor_clear_mode", "cell").toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("cell") && !mode.equals("row")) {
            throw new io.aetherflow.api.step.StepFailedException(
                    t.step + " target=" + t.name + ": invalid anchor_clear_mode=" + mode);
        }
        int width = 1;
        if (mode.equals("row")) {
            Long w = Target.asLong(t.get("anchor_clear_width"));
            width = w == null ? 1 : (int) Math.min(w, 16_384);
        }
        Cells.clearSegment(sheet, rAnchor, c0, width);
    }

    /**
     * Inserts blank rows at a 1-based row: that row and every row below move down; POI moves
     * formulas, merged regions and defined names with them (openpyxl does not: see the docs).
     */
    static void insertRows(XSSFSheet sheet, int at1, int amount) {
        if (amount <= 0 || sheet.getPhysicalNumberOfRows() == 0 || at1 - 1 > sheet.getLastRowNum()) {
            return;
        }
        sheet.shiftRows(at1 - 1, sheet.getLastRowNum(), amount, true, false);
    }

    /**
     * The style options: {@code style_mode}, {@code style_apply}, {@code style_row_offset},
     * {@code clear_style_row}.
     */
    record Style(boolean copyRow, String apply, int offset, boolean clearRow) {

        static Style of(Target t) {
            String mode = t.choice("style_mode", "none", Set.of("none", "copy_row"));
            String apply = t.choice("style_apply", "data", Set.of("data", "header", "both"));
            int offset = t.integer("style_row_offset", 2L).intValue();
            return new Style(mode.equals("copy_row"), apply, offset, t.bool("clear_style_row", false));
        }

        String mode() {
            return copyRow ? "copy_row" : "none";
        }

        boolean data() {
            return copyRow && !apply.equals("header");
        }

        boolean header(String headerStyle) {
            return copyRow && headerStyle.equals("style_row") && !apply.equals("data");
        }

        /** @return the style row: from the anchor for a marker, else from {@code r0} */
        int row(Layout l) {
            return (l.marker() ? l.rAnchor() : l.r0()) + offset;
        }
    }

    /** The styles of {@code width} cells of a row from {@code c0} (null where the row or cell is missing). */
    static List<CellStyle> styles(Sheet sheet, int row1, int c0, int width) {
        List<CellStyle> out = new ArrayList<>(width);
        Row r = sheet.getRow(row1 - 1);
        for (int j = 0; j < width; j++) {
            org.apache.poi.ss.usermodel.Cell c = r == null ? null : r.getCell(c0 - 1 + j);
            out.add(c == null ? sheet.getWorkbook().getCellStyleAt(0) : c.getCellStyle());
        }
        return out;
    }

    /** The overlap guard: rectangles already written, per sheet. */
    static final class Rects {
        private final String step;
        private final List<Object[]> seen = new ArrayList<>();

        Rects(String step) {
            this.step = step;
        }

        /**
         * Fails when the block overlaps an earlier target's block on the same sheet, else records it.
         *
         * @param name the target's name
         * @param l its layout
         * @param rows total rows (header or reserved row plus data)
         * @param width its width
         */
        void add(String name, Layout l, int rows, int width) {
            String sheet = l.sheet().getSheetName();
            int r2 = l.r0() + Math.max(0, rows - 1);
            int c2 = l.c0() + Math.max(0, width - 1);
            String rect = "('" + sheet + "', " + l.r0() + ", " + l.c0() + ", " + r2 + ", " + c2 + ")";
            for (Object[] p : seen) {
                int[] q = (int[]) p[1];
                if (p[0].equals(sheet) && !(r2 < q[0] || q[2] < l.r0() || c2 < q[1] || q[3] < l.c0())) {
                    throw new io.aetherflow.api.step.StepFailedException(step + " targets overlap: name=" + name
                            + " sheet=" + sheet + " rect=" + rect + " prev=" + p[2]);
                }
            }
            seen.add(new Object[] {sheet, new int[] {l.r0(), l.c0(), r2, c2}, rect});
        }
    }
}
