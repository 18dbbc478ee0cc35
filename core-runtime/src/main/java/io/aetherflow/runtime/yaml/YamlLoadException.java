package io.aetherflow.runtime.yaml;

import io.aetherflow.launch.ExitCodes;
import io.aetherflow.runtime.UserError;

/**
 * A YAML document that cannot be read or parsed, or that breaks a safety limit. The message is one
 * line: {@code <file>:<line>:<col>: <problem>} (or {@code <file>: <problem>} without a position).
 */
public class YamlLoadException extends UserError {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /**
     * @param source file name or label
     * @param line 1-based line, or 0 when unknown
     * @param column 1-based column, or 0 when unknown
     * @param problem what is wrong and, where useful, what to do
     * @param cause underlying exception or null
     */
    public YamlLoadException(String source, int line, int column, String problem, Throwable cause) {
        super(ExitCodes.INVALID, (line > 0 ? source + ":" + line + ":" + column : source) + ": " + problem, cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** @return the file name or label */
    public String source() {
        return source;
    }

    /** @return 1-based line, or 0 when unknown */
    public int line() {
        return line;
    }

    /** @return 1-based column, or 0 when unknown */
    public int column() {
        return column;
    }
}
