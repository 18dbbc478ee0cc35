package io.aetherflow.steps.excel;

import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.support.PyRepr;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellReference;

/**
 * Writes values into cells of one workbook the way openpyxl stores them: numbers, booleans and
 * text as such, dates and date-times as Excel serials with a date format when the cell's own
 * format is {@code General} (derived styles are cached, so a million dates add two styles, not a
 * million). Text starting with {@code =} stays text (no formula injection from data).
 */
final class Cells {

    private static final String DATE_FMT = "yyyy-mm-dd";
    private static final String DATETIME_FMT = "yyyy-mm-dd h:mm:ss";
    private static final String TIME_FMT = "h:mm:ss";
    /** Excel's limit on the text in one cell. */
    static final int MAX_TEXT = 32_767;

    private final Workbook wb;
    private final Map<Long, CellStyle> derived = new HashMap<>();
    private final Map<Integer, CellStyle> bold = new HashMap<>();

    Cells(Workbook wb) {
        this.wb = wb;
    }

    /** @return the row, created when missing */
    static Row row(Sheet sh, int row1) {
        Row r = sh.getRow(row1 - 1);
        return r != null ? r : sh.createRow(row1 - 1);
    }

    /** @return the cell, created when missing */
    static Cell cell(Row r, int col1) {
        Cell c = r.getCell(col1 - 1);
        return c != null ? c : r.createCell(col1 - 1);
    }

    /** @return {@code Sheet!A1} for a 1-based position */
    static String address(Sheet sh, int row1, int col1) {
        return sh.getSheetName() + "!" + new CellReference(row1 - 1, col1 - 1).formatAsString();
    }

    /**
     * Sets a value (null clears the value and keeps the formatting).
     *
     * @param what who writes, for the one-line error, e.g. {@code excel_fill_small target=t}
     */
    void set(String what, Sheet sh, Cell c, Object v) {
        try {
            put(c, v);
        } catch (RuntimeException e) {
            throw new StepFailedException(what + ": cannot write cell " + address(sh, c.getRowIndex() + 1,
                    c.getColumnIndex() + 1) + " value " + clip(v) + ": " + Poi.oneLine(e), e);
        }
    }

    private static String clip(Object v) {
        String s = PyRepr.repr(v);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /**
     * Sets a blank, text, boolean or number value.
     *
     * @return false when the value is none of those (nothing is set then)
     */
    static boolean plain(Cell c, Object v) {
        if (v == null) {
            c.setBlank();
        } else if (v instanceof String s) {
            c.setCellValue(s);
        } else if (v instanceof Boolean b) {
            c.setCellValue(b);
        } else if (v instanceof Number n) {
            c.setCellValue(n.doubleValue());
        } else {
            return false;
        }
        return true;
    }

    private void put(Cell c, Object v) {
        if (v instanceof String s && s.length() > MAX_TEXT) {
            throw new IllegalArgumentException("text of " + s.length() + " characters exceeds Excel's limit of "
                    + MAX_TEXT);
        }
        if (plain(c, v)) {
            return;
        }
        if (v instanceof LocalDateTime t) {
            c.setCellValue(t);
            dated(c, DATETIME_FMT, 1);
        } else if (v instanceof LocalDate d) {
            c.setCellValue(d);
            dated(c, DATE_FMT, 2);
        } else if (v instanceof OffsetDateTime t) {
            put(c, t.toLocalDateTime());
        } else if (v instanceof ZonedDateTime t) {
            put(c, t.toLocalDateTime());
        } else if (v instanceof LocalTime t) {
            c.setCellValue(t.toSecondOfDay() / 86_400.0);
            dated(c, TIME_FMT, 3);
        } else {
            put(c, PyRepr.str(v));
        }
    }

    private void dated(Cell c, String fmt, int kind) {
        CellStyle base = c.getCellStyle();
        if (base.getDataFormat() != 0) {
            return;
        }
        long key = ((long) base.getIndex() << 2) | kind;
        CellStyle s = derived.get(key);
        if (s == null) {
            s = wb.createCellStyle();
            s.cloneStyleFrom(base);
            s.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat(fmt));
            derived.put(key, s);
        }
        c.setCellStyle(s);
    }

    /** Sets bold on a copy of the cell's own font (the rest of its formatting stays). */
    void bold(Cell c) {
        CellStyle base = c.getCellStyle();
        if (wb.getFontAt(base.getFontIndex()).getBold()) {
            return;
        }
        CellStyle s = bold.computeIfAbsent((int) base.getIndex(), i -> {
            Font f0 = wb.getFontAt(base.getFontIndex());
            Font f = wb.createFont();
            f.setFontName(f0.getFontName());
            f.setFontHeight(f0.getFontHeight());
            f.setItalic(f0.getItalic());
            f.setStrikeout(f0.getStrikeout());
            f.setColor(f0.getColor());
            f.setTypeOffset(f0.getTypeOffset());
            f.setUnderline(f0.getUnderline());
            f.setCharSet(f0.getCharSet());
            if (f0 instanceof org.apache.poi.xssf.usermodel.XSSFFont x0 && f instanceof org.apache.poi.xssf.usermodel.XSSFFont x) {
                if (x0.getXSSFColor() != null) {
                    x.setColor(x0.getXSSFColor());
                }
                x.setFamily(x0.getFamily());
                x.setScheme(x0.getScheme());
            }
            f.setBold(true);
            CellStyle n = wb.createCellStyle();
            n.cloneStyleFrom(base);
            n.setFont(f);
            return n;
        });
        c.setCellStyle(s);
    }

    /** Clears the values of {@code width} cells from {@code col1} on a row (formatting stays). */
    static void clearSegment(Sheet sh, int row1, int col1, int width) {
        if (width <= 0) {
            return;
        }
        Row r = sh.getRow(row1 - 1);
        if (r == null) {
            return;
        }
        for (int j = 0; j < width; j++) {
            Cell c = r.getCell(col1 - 1 + j);
            if (c != null) {
                c.setBlank();
            }
        }
    }

    /** Python's {@code str()} of a numeric cell as openpyxl reads it (integral values are ints). */
    static String numberText(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return PyRepr.floatRepr(d);
    }
}
