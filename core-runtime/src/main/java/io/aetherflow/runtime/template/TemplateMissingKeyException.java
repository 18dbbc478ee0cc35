package io.aetherflow.runtime.template;

/** A template names a value that does not exist (or is the empty string) and gives no default. */
public class TemplateMissingKeyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;

    /**
     * @param path the full dotted path, e.g. {@code env.DB_URL}
     */
    public TemplateMissingKeyException(String path) {
        super(message(path));
        this.path = path;
    }

    private static String message(String path) {
        if (path.startsWith("env.")) {
            return "Missing template value " + path + ": set it or give a default {{" + path + ":default}}";
        }
        return "Missing template value " + path + ": no such value at this point of the run; check the ids and"
                + " keys or give a default {{" + path + ":default}}";
    }

    /** @return the full dotted path that was not found, e.g. {@code env.DB_URL} */
    public String path() {
        return path;
    }
}
