package io.aetherflow.steps.excel;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.support.PyRepr;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Name;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.AreaReference;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Anchor resolution shared by both fill steps (catalog §9.5.2): a workbook-level defined name,
 * then text that looks like {@code [Sheet!]A1}, then a text search over cell values. Rows and
 * columns are 1-based, as in the reference's messages and summaries.
 */
final class Anchors {

    /** Cells scanned at most by a text search. */
    static final int MAX_CELLS = 10_000;

    private static final Pattern A1 = Pattern.compile("^([A-Z]{1,3})([0-9]{1,7})$");
    private static final Pattern WS = Pattern.compile("\\s+");

    /**
     * Where a target starts.
     *
     * @param sheet the worksheet
     * @param row 1-based row of the anchor
     * @param col 1-based column of the anchor
     */
    record Hit(XSSFSheet sheet, int row, int col) {
    }

    private Anchors() {
    }

    /** NBSP to space, trim, collapse whitespace (case kept). */
    static String norm(Object v) {
        String s = v == null ? "" : v.toString();
        return WS.matcher(s.replace('\u00A0', ' ').strip()).replaceAll(" ");
    }

    /** The normalised text, upper-cased: how the fill steps compare anchor text. */
    static String normKey(Object v) {
        return norm(v).toUpperCase(java.util.Locale.ROOT);
    }

    /** @return true when the text names a workbook-level defined name */
    static boolean isDefinedName(XSSFWorkbook wb, String name) {
        return name != null && workbookName(wb, norm(name)) != null;
    }

    private static Name workbookName(XSSFWorkbook wb, String name) {
        for (Name n : wb.getNames(name)) {
            if (n.getSheetIndex() == -1) {
                return n;
            }
        }
        return null;
    }

    /**
     * Resolves a target's anchor or cell.
     *
     * @param wb the workbook
     * @param sheetName the target's {@code sheet}, may be null
     * @param anchor the target's {@code anchor}, may be null
     * @param cell the target's {@code cell}, may be null
     * @param enterprise whether enterprise mode forbids sheet-less text searches
     * @param debug whether the not-found message lists ANCHOR-like cells
     * @return the hit
     */
    static Hit resolve(XSSFWorkbook wb, String sheetName, String anchor, String cell, boolean enterprise,
            boolean debug) {
        if (anchor != null && !anchor.isEmpty()) {
            String a = norm(anchor);
            Hit named = namedRange(wb, a);
            if (named != null) {
                return named;
            }
            String[] split = splitSheet(a);
            if (isA1(split[1])) {
                return cellRef(wb, sheetName, split[0], split[1]);
            }
            Hit found = search(wb, a, sheetName, enterprise);
            if (found != null) {
                return found;
            }
            throw new StepFailedException("Excel anchor not found: " + PyRepr.repr(a) + ". Workbook sheets="
                    + PyRepr.repr(sheetNames(wb)) + ". ANCHOR-like cells(sample)="
                    + PyRepr.repr(debug ? sample(wb) : List.of()));
        }
        if (cell == null || cell.isEmpty()) {
            throw new StepFailedException("Excel target requires either anchor (named range / anchor text) or cell");
        }
        String[] split = splitSheet(norm(cell));
        return cellRef(wb, sheetName, split[0], split[1]);
    }

    private static Hit namedRange(XSSFWorkbook wb, String name) {
        Name n;
        try {
            n = workbookName(wb, name);
        } catch (RuntimeException e) {
            return null;
        }
        if (n == null || n.getRefersToFormula() == null) {
            return null;
        }
        for (String part : n.getRefersToFormula().split(",")) {
            try {
                AreaReference area = new AreaReference(part.trim(), wb.getSpreadsheetVersion());
                CellReference first = area.getFirstCell();
                XSSFSheet ws = first.getSheetName() == null ? null : wb.getSheet(first.getSheetName());
                if (ws != null && first.getRow() >= 0 && first.getCol() >= 0) {
                    return new Hit(ws, first.getRow() + 1, first.getCol() + 1);
                }
            } catch (RuntimeException e) {
                // a destination that is no cell range (#REF!, a constant): try the next one
            }
        }
        return null;
    }

    private static String[] splitSheet(String s) {
        int bang = s.indexOf('!');
        if (bang < 0) {
            return new String[] {null, s};
        }
        String sh = norm(s.substring(0, bang));
        if (sh.length() >= 2 && sh.startsWith("'") && sh.endsWith("'")) {
            sh = sh.substring(1, sh.length() - 1).replace("''", "'");
        }
        return new String[] {sh.isEmpty() ? null : sh, norm(s.substring(bang + 1))};
    }

    static boolean isA1(String s) {
        return A1.matcher(norm(s).replace("$", "").toUpperCase(java.util.Locale.ROOT)).matches();
    }

    private static Hit cellRef(XSSFWorkbook wb, String targetSheet, String sheet, String a1Raw) {
        String a1 = norm(a1Raw).replace("$", "").toUpperCase(java.util.Locale.ROOT);
        Matcher m = A1.matcher(a1);
        if (!m.matches()) {
            throw new StepFailedException("Invalid Excel cell reference: " + a1);
        }
        String name = sheet;
        if (name == null) {
            if (targetSheet == null || targetSheet.isEmpty()) {
                throw new StepFailedException(
                        "Excel target requires sheet when using cell like 'A1' (set sheet or use 'Sheet!A1')");
            }
            name = targetSheet;
        }
        XSSFSheet ws = sheet(wb, name);
        return new Hit(ws, Integer.parseInt(m.group(2)), CellReference.convertColStringToIndex(m.group(1)) + 1);
    }

    /**
     * The named worksheet.
     *
     * @throws StepFailedException naming the sheets the workbook has
     */
    static XSSFSheet sheet(XSSFWorkbook wb, String name) {
        XSSFSheet ws = wb.getSheet(name);
        if (ws == null) {
            throw new StepFailedException("Worksheet " + name + " does not exist. Workbook sheets="
                    + PyRepr.repr(sheetNames(wb)));
        }
        return ws;
    }

    private static Hit search(XSSFWorkbook wb, String text, String onlySheet, boolean enterprise) {
        String needle = normKey(text);
        if (needle.isEmpty()) {
            return null;
        }
        if (enterprise && (onlySheet == null || onlySheet.isEmpty())) {
            throw new StepFailedException(
                    "Excel anchor text search requires 'sheet' in enterprise mode. Use named range or set sheet.");
        }
        List<XSSFSheet> sheets = new ArrayList<>();
        if (onlySheet != null && wb.getSheet(onlySheet) != null) {
            sheets.add(wb.getSheet(onlySheet));
        } else {
            wb.sheetIterator().forEachRemaining(s -> sheets.add((XSSFSheet) s));
        }
        int scanned = 0;
        for (XSSFSheet ws : sheets) {
            // row-major over the used range, as openpyxl's iter_rows walks it (empty cells count)
            int minCol = minColumn(ws);
            int maxCol = maxColumn(ws);
            for (int r = ws.getFirstRowNum(); ws.getPhysicalNumberOfRows() > 0 && r <= ws.getLastRowNum(); r++) {
                Row row = ws.getRow(r);
                for (int c = minCol; c < maxCol; c++) {
                    scanned++;
                    if (scanned > MAX_CELLS) {
                        throw new StepFailedException("Excel anchor search exceeded max_cells=" + MAX_CELLS
                                + ". Use named range or specify sheet.");
                    }
                    Cell cell = row == null ? null : row.getCell(c);
                    String v = text(cell);
                    if (v != null && normKey(v).equals(needle)) {
                        return new Hit(ws, r + 1, c + 1);
                    }
                }
            }
        }
        return null;
    }

    private static int minColumn(XSSFSheet ws) {
        int min = Integer.MAX_VALUE;
        for (Row row : ws) {
            if (row.getFirstCellNum() >= 0) {
                min = Math.min(min, row.getFirstCellNum());
            }
        }
        return min == Integer.MAX_VALUE ? 0 : min;
    }

    private static int maxColumn(XSSFSheet ws) {
        int max = 0;
        for (Row row : ws) {
            max = Math.max(max, row.getLastCellNum());
        }
        return max;
    }

    /** A cell's value as text (the cached value of a formula), or null when it is empty. */
    static String text(Cell cell) {
        if (cell == null) {
            return null;
        }
        CellType t = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return switch (t) {
            case STRING -> cell.getStringCellValue();
            case NUMERIC -> Cells.numberText(cell.getNumericCellValue());
            case BOOLEAN -> cell.getBooleanCellValue() ? "True" : "False";
            default -> null;
        };
    }

    private static List<String> sample(XSSFWorkbook wb) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < wb.getNumberOfSheets() && found.size() < 20; i++) {
            XSSFSheet ws = wb.getSheetAt(i);
            for (Row row : ws) {
                for (Cell c : row) {
                    String v = text(c);
                    if (v != null && v.toUpperCase(java.util.Locale.ROOT).contains("ANCHOR")) {
                        found.add(ws.getSheetName() + "!" + c.getAddress().formatAsString() + "=" + PyRepr.repr(v));
                        if (found.size() >= 20) {
                            return found;
                        }
                    }
                }
            }
        }
        return found;
    }

    static List<String> sheetNames(XSSFWorkbook wb) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < wb.getNumberOfSheets(); i++) {
            names.add(wb.getSheetName(i));
        }
        return names;
    }
}
