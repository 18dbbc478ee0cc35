package io.aetherflow.runtime.spec;

import io.aetherflow.runtime.Quote;
import java.nio.charset.StandardCharsets;

/**
 * The rule for ids that become path segments (flow, job, step, run and bundle ids; SPEC §4 row 18):
 * not empty, at most {@value #MAX_CHARS} characters and {@value #MAX_UTF8_BYTES} bytes in UTF-8,
 * not {@code .} or {@code ..}, no {@code /} or {@code \}, no control characters (U+0000–U+001F,
 * U+007F–U+009F, U+2028, U+2029). Everything else (letters of any script, digits, {@code _},
 * {@code -}, {@code .}, spaces, ...) is accepted, so every id the reference accepts in a working flow
 * still works. A safe segment cannot be absolute and cannot leave its parent directory.
 */
public final class SafeIds {

    /** Maximum length in characters (UTF-16 units). */
    public static final int MAX_CHARS = 128;

    /** Maximum length in UTF-8 bytes (file systems allow 255 bytes per name). */
    public static final int MAX_UTF8_BYTES = 255;

    /** The rule in words, for messages. */
    public static final String RULE = "an id must be 1 to " + MAX_CHARS + " characters, not '.' or '..', without '/', "
            + "'\\' or control characters";

    private SafeIds() {
    }

    /**
     * @param id a candidate id (may be null)
     * @return null when the id is a safe segment, else what is wrong with it (without echoing it)
     */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "is empty";
        }
        if (id.length() > MAX_CHARS) {
            return "is " + id.length() + " characters long (at most " + MAX_CHARS + ")";
        }
        if (id.equals(".") || id.equals("..")) {
            return "is '" + id + "', which names a directory, not a new segment";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '\\') {
                return "contains '" + c + "' (a path separator)";
            }
            if (Quote.isControl(c)) {
                return "contains a control character";
            }
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
            return "is more than " + MAX_UTF8_BYTES + " bytes long in UTF-8";
        }
        return null;
    }

    /**
     * @param id a candidate id
     * @return true when {@link #problem(String)} finds nothing
     */
    public static boolean safe(String id) {
        return problem(id) == null;
    }

    /**
     * How to show an id in a message: as it is when it is safe (so the reference's messages stay
     * unchanged for real ids), else quoted and escaped by {@link Quote#q(String)}.
     *
     * @param id the id
     * @return the text to show
     */
    public static String shown(String id) {
        return safe(id) ? id : Quote.q(id);
    }
}
