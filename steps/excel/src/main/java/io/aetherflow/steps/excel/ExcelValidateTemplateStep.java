package io.aetherflow.steps.excel;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.Step;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.api.support.Json;
import io.aetherflow.api.support.PyRepr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Name;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.osgi.service.component.annotations.Component;

/**
 * {@code excel_validate_template}: checks that a template has every required name, either as a
 * workbook-level defined name or as the (normalised, case-sensitive) text of a cell (catalog
 * §9.2.4). Formula cells count with their cached value, as the reference loads cached values.
 */
@Component(property = Step.TYPE_PROPERTY + "=" + ExcelValidateTemplateStep.TYPE)
public final class ExcelValidateTemplateStep implements Step {

    static final String TYPE = "excel_validate_template";

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        StepInputs in = ctx.inputsRequiring("template_path", "required_names");
        Path template = ctx.resolvePath(in.string("template_path"));
        ctx.log("INFO", TYPE + " template_path=" + template);
        List<Object> required = requiredNames(in.raw("required_names"));
        String sheet = in.optString("sheet", null);
        return Poi.call(() -> {
            try (XSSFWorkbook wb = Poi.open(TYPE, template)) {
                Set<String> defined = new HashSet<>();
                for (Name n : wb.getAllNames()) {
                    if (n.getSheetIndex() == -1) {
                        defined.add(n.getNameName());
                    }
                }
                Set<String> texts = new HashSet<>();
                for (XSSFSheet ws : sheets(wb, sheet)) {
                    for (Row row : ws) {
                        for (Cell c : row) {
                            if (isText(c)) {
                                texts.add(Anchors.norm(c.getStringCellValue()));
                            }
                        }
                    }
                }
                List<Object> missing = new ArrayList<>();
                List<String> named = new ArrayList<>();
                List<String> anchors = new ArrayList<>();
                for (Object name : required) {
                    String s = name == null ? null : PyRepr.str(name);
                    if (s != null && defined.contains(s)) {
                        named.add(s);
                    } else if (s != null && texts.contains(Anchors.norm(s))) {
                        anchors.add(s);
                    } else {
                        missing.add(name);
                    }
                }
                if (!missing.isEmpty()) {
                    throw new StepFailedException("Template missing named ranges or anchor cells: "
                            + PyRepr.repr(missing) + " " + PyRepr.repr(required));
                }
                named.sort(null);
                anchors.sort(null);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("template_ok", true);
                out.put("found_named_ranges", named);
                out.put("found_anchor_cells", anchors);
                return StepResult.success(out);
            }
        });
    }

    private static boolean isText(Cell c) {
        CellType t = c.getCellType();
        return t == CellType.STRING || t == CellType.FORMULA && c.getCachedFormulaResultType() == CellType.STRING;
    }

    private static List<XSSFSheet> sheets(XSSFWorkbook wb, String sheet) {
        List<XSSFSheet> out = new ArrayList<>();
        if (sheet != null && !sheet.isEmpty()) {
            XSSFSheet ws = wb.getSheet(sheet);
            if (ws == null) {
                throw new StepFailedException("Sheet not found: " + sheet);
            }
            out.add(ws);
        } else {
            wb.sheetIterator().forEachRemaining(s -> out.add((XSSFSheet) s));
        }
        return out;
    }

    /** A list as is; text parsed as JSON when it is JSON, else one name; anything else fails. */
    static List<Object> requiredNames(Object req) {
        Object v = req;
        if (v instanceof String s) {
            try {
                v = Json.parse(s);
            } catch (IllegalArgumentException e) {
                v = List.of(s);
            }
        }
        if (!(v instanceof List<?> l)) {
            throw new StepFailedException("required_names must be a list of strings " + PyRepr.str(v));
        }
        return new ArrayList<>(l);
    }

    @Override
    public void checkInputs(Map<String, Object> raw, InputChecks checks) {
        ExcelSteps.checkRequired(TYPE, raw, checks, "template_path", "required_names");
    }
}
