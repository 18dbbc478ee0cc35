package io.aetherflow.steps.excel;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepInputs;
import io.aetherflow.api.step.StepResult;
import io.aetherflow.api.support.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** Small helpers the three excel steps share. */
final class ExcelSteps {

    private ExcelSteps() {
    }

    /** Fills the targets of one step into the open template. */
    interface Filler extends AutoCloseable {
        /** @return the {@code written} entry of the target */
        Map<String, Object> target(Target t) throws Exception;

        /** Writes the filled workbook. */
        void write(OutputStream out) throws IOException;

        @Override
        default void close() {
        }
    }

    /**
     * What both fill steps do: read {@code template_path}, {@code output} and {@code targets}, open
     * the template, fill every target, save through {@code <output>.tmp} and a rename; outputs
     * {@code output} and {@code written}.
     *
     * @param type the step type
     * @param inputs reads the step's own inputs (after {@code output}, before {@code targets}) and
     *        gives what opens a {@link Filler} on the template
     */
    static StepResult fill(StepContext ctx, String type, Function<StepInputs, Function<XSSFWorkbook, Filler>> inputs)
            throws Exception {
        StepInputs in = ctx.inputsRequiring("template_path", "output", "targets");
        Path template = ctx.resolvePath(in.string("template_path"));
        Path output = ctx.resolvePath(in.string("output"));
        Function<XSSFWorkbook, Filler> opener = inputs.apply(in);
        List<Target> targets = Target.list(type, in.raw("targets"));
        ctx.log("INFO", type + " template_path=" + template);
        List<Map<String, Object>> written = new ArrayList<>();
        Poi.call(() -> {
            try (XSSFWorkbook wb = Poi.open(type, template); Filler f = opener.apply(wb)) {
                for (Target t : targets) {
                    written.add(f.target(t));
                }
                AtomicFiles.writeStream(output, f::write);
            }
            return null;
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("output", output.toString());
        out.put("written", written);
        return StepResult.success(out);
    }

    /** @return true when the run logs at DEBUG (the anchor-not-found message then lists ANCHOR-like cells) */
    static boolean debug(StepContext ctx) {
        return "DEBUG".equalsIgnoreCase(ctx.env().getOrDefault("AETHERFLOW_LOG_LEVEL", ""));
    }

    /** Validation time: every named input must be present; {@code targets}, when literal, a list. */
    static void checkRequired(String type, Map<String, Object> raw, InputChecks checks, String... names) {
        for (String k : names) {
            if (!raw.containsKey(k)) {
                checks.error("semantic:" + type + "_missing_input", "inputs." + k, type + " requires inputs." + k);
            }
        }
        Object targets = raw.get("targets");
        if (targets != null && !(targets instanceof List<?>) && !targets.toString().contains("{{")
                && !targets.toString().strip().startsWith("[")) {
            checks.error("semantic:" + type + "_targets_not_list", "inputs.targets",
                    type + " inputs.targets must be a list of target mappings");
        }
    }
}
