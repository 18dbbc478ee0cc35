package io.aetherflow.runtime.spec;

/**
 * One validation problem, as reported by {@code validate}, {@code doctor} and {@code run}.
 *
 * @param code e.g. {@code schema:missing}, {@code semantic:duplicate_job_id}
 * @param loc dotted location, e.g. {@code jobs[0].steps[1].inputs.command}, or {@code <root>}
 * @param msg the message
 * @param file the YAML file, or null
 * @param line 1-based line of the location in the file, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 */
public record Issue(String code, String loc, String msg, String file, int line, int column) {

    /**
     * An issue without a position.
     *
     * @param code issue code
     * @param loc location
     * @param msg message
     */
    public Issue(String code, String loc, String msg) {
        this(code, loc, msg, null, 0, 0);
    }

    /** @return {@code file:line:column} when known, else {@code file}, else null */
    public String where() {
        if (file == null) {
            return null;
        }
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
