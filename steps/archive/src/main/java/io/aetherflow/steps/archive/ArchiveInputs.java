package io.aetherflow.steps.archive;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.step.InputChecks;
import io.aetherflow.api.step.StepContext;
import io.aetherflow.api.step.StepFailedException;
import io.aetherflow.api.step.StepInputs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What {@code zip} and {@code unzip} read and check alike: the base directory, the password, failures. */
final class ArchiveInputs {

    private ArchiveInputs() {
    }

    /** @return {@code src_dir} through the sandbox, or the job's artifacts directory when it is not set */
    static Path srcDir(StepContext ctx, StepInputs in) {
        String srcRaw = in.optString("src_dir", null);
        return srcRaw == null || srcRaw.isBlank() ? ctx.artifactsDir().toAbsolutePath().normalize()
                : ctx.resolvePath(srcRaw);
    }

    /** @return {@code password}, or null when it is not set or empty */
    static String password(StepInputs in) {
        String password = in.optString("password", null);
        return password == null || password.isEmpty() ? null : password;
    }

    /** @return the connector's failure as the step's, the password (and the run's secrets) masked */
    static StepFailedException failed(StepContext ctx, String type, ConnectorException e, String password) {
        return new StepFailedException(type + ": " + ctx.mask(mask(e.getMessage(), password)), e);
    }

    static String mask(String text, String password) {
        return text == null || password == null ? text : text.replace(password, "***");
    }

    /**
     * Validation of the unrendered inputs: each required one present, and {@code listInput} (when
     * given literally) a list.
     *
     * @param listMessage the message when {@code listInput} is not a list
     */
    static void check(Map<String, Object> raw, InputChecks checks, String type, List<String> required,
            String listInput, String listMessage) {
        for (String k : required) {
            if (!raw.containsKey(k)) {
                checks.error("semantic:" + type + "_missing_input", "inputs." + k, type + " needs inputs." + k);
            }
        }
        Object v = raw.get(listInput);
        if (v != null && !(v instanceof List<?>) && !v.toString().contains("{{")) {
            checks.error("semantic:" + type + "_" + listInput + "_not_list", "inputs." + listInput, listMessage);
        }
    }
}
