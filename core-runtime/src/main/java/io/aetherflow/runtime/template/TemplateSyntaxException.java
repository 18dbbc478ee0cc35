package io.aetherflow.runtime.template;

/**
 * Unsupported templating syntax (forbidden substring, malformed token, invalid path, root not allowed
 * in the phase, bad decode specification). The message is {@link #PREFIX}, a newline, then the detail.
 */
public class TemplateSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The reference's exact first line of every syntax error. */
    public static final String PREFIX = "Unsupported templating syntax. Use {{VAR}} or {{VAR:DEFAULT}}";

    private final String detail;

    /**
     * @param detail what exactly is wrong (one line)
     */
    public TemplateSyntaxException(String detail) {
        super(PREFIX + "\n" + detail);
        this.detail = detail;
    }

    /** @return the detail line (without the prefix) */
    public String detail() {
        return detail;
    }

    /** @return the message on one line: {@code <PREFIX>: <detail>} */
    public String oneLine() {
        return PREFIX + ": " + detail;
    }
}
