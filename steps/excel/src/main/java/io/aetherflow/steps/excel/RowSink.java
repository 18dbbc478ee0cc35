package io.aetherflow.steps.excel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFSheet;

/**
 * Where a fill writes its data rows, in increasing row order. {@link #inPlace} edits the XSSF sheet
 * (small regions); {@link #streaming} writes through SXSSF so only a window of rows is in memory.
 *
 * <p>SXSSF can only append rows below the last row the template sheet has. So before streaming,
 * every template row at or below the first data row is taken out of the XSSF sheet as a
 * {@link Snapshot} (values, formulas as already moved by any row insertion, styles, heights) and
 * written back through SXSSF at its place: a data row that lands on a template row keeps that
 * row's formatting and other cells (as writing into an existing cell does), and template rows
 * below the data follow it.
 */
abstract class RowSink {

    private final Sheet sheet;

    private RowSink(Sheet sheet) {
        this.sheet = sheet;
    }

    /** @return the sheet cells are written to (for messages and styles) */
    final Sheet sheet() {
        return sheet;
    }

    /** @return the row to write, 1-based; rows must be asked for in increasing order */
    abstract Row row(int row1);

    /** @return the style of a cell as the template (after insertion and header writing) has it */
    abstract CellStyle styleAt(int row1, int col1);

    /**
     * Ends the data: clears the values of the style row when asked, writes what is left of the template.
     *
     * @param clearRow the style row to clear, or -1
     * @param c0 first column to clear
     * @param width cells to clear
     */
    abstract void finish(int clearRow, int c0, int width);

    /** @return the style of a cell of the XSSF template sheet, the workbook's default style where it has none */
    private static CellStyle templateStyle(XSSFSheet sheet, int row1, int col1) {
        Row r = sheet.getRow(row1 - 1);
        Cell c = r == null ? null : r.getCell(col1 - 1);
        return c == null ? sheet.getWorkbook().getCellStyleAt(0) : c.getCellStyle();
    }

    /** A sink that edits the XSSF sheet in place. */
    static RowSink inPlace(XSSFSheet sheet) {
        return new RowSink(sheet) {
            @Override
            Row row(int row1) {
                return Cells.row(sheet, row1);
            }

            @Override
            CellStyle styleAt(int row1, int col1) {
                return templateStyle(sheet, row1, col1);
            }

            @Override
            void finish(int clearRow, int c0, int width) {
                if (clearRow > 0) {
                    Cells.clearSegment(sheet, clearRow, c0, width);
                }
            }
        };
    }

    /**
     * A streaming sink: takes the template rows from {@code dataStart} down out of the XSSF sheet.
     *
     * @param xs the template sheet
     * @param sx the same sheet in the SXSSF workbook
     * @param dataStart the first data row (1-based)
     */
    static RowSink streaming(XSSFSheet xs, SXSSFSheet sx, int dataStart) {
        TreeMap<Integer, Snapshot> tail = new TreeMap<>();
        List<Row> rows = new ArrayList<>();
        for (Row r : xs) {
            if (r.getRowNum() + 1 >= dataStart) {
                rows.add(r);
            }
        }
        for (Row r : rows) {
            tail.put(r.getRowNum() + 1, Snapshot.of(r));
            xs.removeRow(r);
        }
        return new RowSink(sx) {
            @Override
            Row row(int row1) {
                emitBefore(row1);
                Snapshot s = tail.remove(row1);
                Row r = sx.createRow(row1 - 1);
                if (s != null) {
                    s.writeTo(r);
                }
                return r;
            }

            private void emitBefore(int row1) {
                while (!tail.isEmpty() && tail.firstKey() < row1) {
                    Map.Entry<Integer, Snapshot> e = tail.pollFirstEntry();
                    e.getValue().writeTo(sx.createRow(e.getKey() - 1));
                }
            }

            @Override
            CellStyle styleAt(int row1, int col1) {
                Snapshot s = tail.get(row1);
                if (s != null) {
                    return s.style(col1 - 1, xs.getWorkbook().getCellStyleAt(0));
                }
                return templateStyle(xs, row1, col1);
            }

            @Override
            void finish(int clearRow, int c0, int width) {
                if (clearRow > 0) {
                    Snapshot s = tail.get(clearRow);
                    if (s != null) {
                        s.clear(c0 - 1, width);
                    } else if (sx.getRow(clearRow - 1) != null) {
                        Cells.clearSegment(sx, clearRow, c0, width);
                    } else {
                        Cells.clearSegment(xs, clearRow, c0, width);
                    }
                }
                emitBefore(Integer.MAX_VALUE);
            }
        };
    }

    /** A template row held while rows above it stream. */
    static final class Snapshot {
        private final float height;
        private final boolean customHeight;
        private final CellStyle rowStyle;
        private final boolean zeroHeight;
        private final TreeMap<Integer, Object[]> cells = new TreeMap<>();

        private Snapshot(Row r) {
            this.customHeight = r instanceof org.apache.poi.xssf.usermodel.XSSFRow x && x.getCTRow().getCustomHeight();
            this.height = r.getHeightInPoints();
            this.rowStyle = r.isFormatted() ? r.getRowStyle() : null;
            this.zeroHeight = r.getZeroHeight();
        }

        static Snapshot of(Row r) {
            Snapshot s = new Snapshot(r);
            for (Cell c : r) {
                Object v = switch (c.getCellType()) {
                    case STRING -> c.getRichStringCellValue().getString();
                    case NUMERIC -> c.getNumericCellValue();
                    case BOOLEAN -> c.getBooleanCellValue();
                    case FORMULA -> new Formula(c.getCellFormula());
                    case ERROR -> new ErrorValue(c.getErrorCellValue());
                    default -> null;
                };
                s.cells.put(c.getColumnIndex(), new Object[] {c.getCellStyle(), v});
            }
            return s;
        }

        CellStyle style(int col0, CellStyle dflt) {
            Object[] c = cells.get(col0);
            return c == null ? (rowStyle != null ? rowStyle : dflt) : (CellStyle) c[0];
        }

        void clear(int col0, int width) {
            for (int j = 0; j < width; j++) {
                Object[] c = cells.get(col0 + j);
                if (c != null) {
                    c[1] = null;
                }
            }
        }

        void writeTo(Row r) {
            if (customHeight) {
                r.setHeightInPoints(height);
            }
            if (rowStyle != null) {
                r.setRowStyle(rowStyle);
            }
            if (zeroHeight) {
                r.setZeroHeight(true);
            }
            for (Map.Entry<Integer, Object[]> e : cells.entrySet()) {
                Cell c = r.createCell(e.getKey());
                c.setCellStyle((CellStyle) e.getValue()[0]);
                Object v = e.getValue()[1];
                if (v instanceof Formula f) {
                    c.setCellFormula(f.text());
                } else if (v instanceof ErrorValue err) {
                    c.setCellErrorValue(err.code());
                } else if (!Cells.plain(c, v)) {
                    c.setBlank();
                }
            }
        }
    }

    private record Formula(String text) {
    }

    private record ErrorValue(byte code) {
    }
}
