package io.aetherflow.steps.process;

import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.support.PyRepr;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validation-time checks of {@code external.process} inputs (catalog §1.8), on raw values that may
 * still hold {@code {{...}}} templates (those are skipped). Beyond the reference, literal booleans
 * are checked strictly ({@code semantic:external_process_boolean}).
 */
final class InputRules {

    private static final Set<String> MODES = Set.of("inherit", "inherit_raw", "capture", "file", "discard");
    private static final List<String[]> BOOLEANS = List.of(new String[] {"shell"}, new String[] {"inherit_env"},
            new String[] {"retry", "retry_on_timeout"}, new String[] {"idempotency", "atomic_rename"});

    private InputRules() {
    }

    /**
     * Reports problems in {@code raw} to {@code checks}.
     *
     * @param raw the step's raw inputs
     * @param checks the sink
     */
    static void check(Map<String, Object> raw, InputChecks checks) {
        if (!raw.containsKey("command")) {
            checks.error("semantic:external_process_missing_command", "inputs.command",
                    "external.process requires inputs.command");
            return;
        }
        Object cmd = raw.get("command");
        if (!(cmd instanceof String) && !(cmd instanceof List)) {
            checks.error("semantic:external_process_command_type", "inputs.command",
                    "external.process inputs.command must be a string or list");
        }
        Map<?, ?> log = raw.get("log") instanceof Map<?, ?> m ? m : Map.of();
        boolean fileMode = false;
        for (String stream : new String[] {"stdout", "stderr"}) {
            Object v = log.get(stream);
            String mode = v == null ? "" : PyRepr.str(v);
            if (mode.isEmpty() || isTemplate(mode)) {
                continue;
            }
            if (!MODES.contains(mode)) {
                checks.error("semantic:external_process_log_mode", "inputs.log." + stream, "Unknown log mode: " + mode);
            }
            fileMode |= mode.equals("file");
        }
        if (fileMode && blank(log.get("file_path"))) {
            checks.error("semantic:external_process_log_file", "inputs.log.file_path",
                    "log.file_path is required when stdout/stderr mode is 'file'");
        }
        Map<?, ?> idem = raw.get("idempotency") instanceof Map<?, ?> m ? m : Map.of();
        if ("atomic_dir".equals(idem.get("strategy"))
                && (blank(idem.get("temp_output_dir")) || blank(idem.get("final_output_dir")))) {
            checks.error("semantic:external_process_atomic_dir", "inputs.idempotency",
                    "atomic_dir requires temp_output_dir and final_output_dir");
        }
        for (String[] path : BOOLEANS) {
            Object v = path.length == 1 ? raw.get(path[0])
                    : raw.get(path[0]) instanceof Map<?, ?> m ? m.get(path[1]) : null;
            if (v != null && !isBoolean(v) && !(v instanceof String s && isTemplate(s))) {
                String name = String.join(".", path);
                checks.error("semantic:external_process_boolean", "inputs." + name, "external.process inputs." + name
                        + " must be a boolean (true/false/yes/no/1/0), got '" + PyRepr.str(v) + "'");
            }
        }
    }

    private static boolean isBoolean(Object v) {
        if (v instanceof Boolean) {
            return true;
        }
        if (v instanceof Number n) {
            return n.doubleValue() == 0 || n.doubleValue() == 1;
        }
        if (v instanceof String s) {
            return Set.of("true", "false", "yes", "no", "1", "0").contains(s.trim().toLowerCase(Locale.ROOT));
        }
        return false;
    }

    private static boolean isTemplate(String s) {
        return s.contains("{{");
    }

    private static boolean blank(Object v) {
        return v == null || (v instanceof String s && s.isEmpty());
    }
}
