package io.aetherflow.api.step;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Outcome of one step invocation.
 *
 * @param status {@link #SUCCESS}, {@link #SKIPPED} or a custom status string; never null
 * @param output the step's output map, visible to later templates as {@code steps.<id>.<key>};
 *               never null, unmodifiable
 * @param reason why the step was skipped, or null
 */
public record StepResult(String status, Map<String, Object> output, String reason) {

    /** Status of a step that did its work. */
    public static final String SUCCESS = "SUCCESS";
    /** Status of a step that found nothing to do (a valid, non-failure outcome). */
    public static final String SKIPPED = "SKIPPED";

    /** Canonical constructor: copies {@code output}, keeping its order. */
    public StepResult {
        Objects.requireNonNull(status, "status");
        output = output == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(output));
    }

    /**
     * A successful result.
     *
     * @param output the output map, may be null for none
     * @return the result
     */
    public static StepResult success(Map<String, Object> output) {
        return new StepResult(SUCCESS, output, null);
    }

    /**
     * A skipped (no data) result.
     *
     * @param reason why nothing was done
     * @param output the output map, may be null for none
     * @return the result
     */
    public static StepResult skipped(String reason, Map<String, Object> output) {
        return new StepResult(SKIPPED, output, reason);
    }

    /** @return true when the status is {@link #SKIPPED} */
    public boolean isSkipped() {
        return SKIPPED.equals(status);
    }

    /**
     * The output as the engine publishes it: {@link #output()} plus {@code reason} when a reason is
     * set and the output has no {@code reason} key of its own.
     *
     * @return a new modifiable map
     */
    public Map<String, Object> asOutput() {
        Map<String, Object> out = new LinkedHashMap<>(output);
        if (reason != null) {
            out.putIfAbsent("reason", reason);
        }
        return out;
    }
}
