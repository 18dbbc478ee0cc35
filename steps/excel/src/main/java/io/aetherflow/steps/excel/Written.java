package io.aetherflow.steps.excel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fill step reports for one target (an entry of its {@code written} output), in the
 * reference's key order; {@code mode} ({@code excel_fill_from_file}) and {@code typeCast}
 * ({@code excel_fill_small}) are left out when null.
 */
record Written(String name, String sheet, int rows, int cols, String mode, String insert, String headerMode,
        String headerStyle, String typeCast, Layout.Style style, Layout layout, boolean templateHasHeader) {

    Map<String, Object> toMap() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("sheet", sheet);
        s.put("rows", rows);
        s.put("cols", cols);
        if (mode != null) {
            s.put("mode", mode);
        }
        s.put("insert", insert);
        s.put("header_mode", headerMode);
        s.put("header_style", headerStyle);
        if (typeCast != null) {
            s.put("type_cast", typeCast);
        }
        s.put("style_mode", style.mode());
        s.put("start_cell", List.of(layout.r0(), layout.c0()));
        s.put("template_has_header", templateHasHeader);
        return s;
    }
}
