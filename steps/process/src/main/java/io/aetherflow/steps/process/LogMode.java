package io.aetherflow.steps.process;

import io.aetherflow.api.step.StepInputException;
import java.util.Locale;

/** Where one of the child's output streams goes. */
enum LogMode {
    /**
     * The child's output goes to the engine's own stream through a masking, line-buffered pipe
     * ({@link MaskingPump}).
     */
    INHERIT,
    /**
     * Opt-out: the child gets the engine's own descriptor and writes to it directly. Nothing it
     * writes is masked.
     */
    INHERIT_RAW,
    /** Read by the step: each line becomes an event; the first bytes become the step output. */
    CAPTURE,
    /** Appended, masked, to {@code log.file_path} (shared by both streams, reopened per attempt). */
    FILE,
    /** Thrown away. */
    DISCARD;

    /**
     * Parses a mode as the reference does: lower-cased, null or empty means {@link #INHERIT}.
     *
     * @param value the rendered input value, may be null
     * @param input the input name for messages, e.g. {@code log.stdout}
     * @return the mode
     * @throws StepInputException for an unknown mode
     */
    static LogMode parse(String value, String input) {
        if (value == null || value.isEmpty()) {
            return INHERIT;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "inherit":
                return INHERIT;
            case "capture":
                return CAPTURE;
            case "inherit_raw":
                return INHERIT_RAW;
            case "file":
                return FILE;
            case "discard":
                return DISCARD;
            default:
                throw new StepInputException("Unsupported log mode: " + value + " (external.process " + input
                        + " must be inherit, inherit_raw, capture, file or discard)");
        }
    }
}
