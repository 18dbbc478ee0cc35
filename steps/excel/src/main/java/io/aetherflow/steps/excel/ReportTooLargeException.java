package io.aetherflow.steps.excel;

import io.aetherflow.api.step.StepFailedException;

/**
 * A {@code report_region} target has more data rows than its {@code rows_threshold}; nothing is
 * written (the reference's {@code ReportTooLargeError}, same message).
 */
public final class ReportTooLargeException extends StepFailedException {
    private static final long serialVersionUID = 1L;

    private final String targetName;
    private final String sourcePath;
    private final long rowCount;
    private final long rowsThreshold;

    ReportTooLargeException(String targetName, String sourcePath, long rowCount, long rowsThreshold) {
        super("excel_fill_from_file target=" + targetName + ": row_count=" + rowCount + " exceeds rows_threshold="
                + rowsThreshold + ". Use mode=data_sheet (DATA_*) instead of report_region, or raise rows_threshold.");
        this.targetName = targetName;
        this.sourcePath = sourcePath;
        this.rowCount = rowCount;
        this.rowsThreshold = rowsThreshold;
    }

    /** @return the target's name */
    public String targetName() {
        return targetName;
    }

    /** @return the source file */
    public String sourcePath() {
        return sourcePath;
    }

    /** @return the counted data rows */
    public long rowCount() {
        return rowCount;
    }

    /** @return the threshold that was exceeded */
    public long rowsThreshold() {
        return rowsThreshold;
    }
}
