package io.aetherflow.steps.db;

import io.aetherflow.api.step.StepInputException;
import io.aetherflow.api.step.StepInputs;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Map;

/**
 * The csv/tsv file options of {@code db_extract_stream}, read from the top level of the inputs or from
 * {@code file:} (the top level wins when it is not null), with Python's {@code csv} module defaults.
 *
 * @param charset the output encoding
 * @param bom whether a byte order mark starts the file (Python's {@code utf-8-sig})
 * @param delimiter the field separator
 * @param quotechar the quote character
 * @param escapechar the escape character, or null for none
 * @param doublequote whether a quote inside a quoted field is doubled (else escaped)
 * @param quoting the quoting mode
 * @param linefeed the record terminator
 */
record FileOptions(Charset charset, boolean bom, char delimiter, char quotechar, Character escapechar,
        boolean doublequote, Quoting quoting, String linefeed) {

    /** Python's {@code csv.QUOTE_*} modes. */
    enum Quoting {
        /** Only fields that need it. */
        MINIMAL,
        /** Every field. */
        ALL,
        /** No field: special characters are escaped. */
        NONE,
        /** Every non-numeric field; every value is text here, so every field. */
        NONNUMERIC
    }

    /**
     * @param type the step type, for messages
     * @param in the step inputs
     * @param fmt {@code tsv} or {@code csv} (the default delimiter)
     * @return the options
     */
    static FileOptions from(String type, StepInputs in, String fmt) {
        Map<String, Object> file = in.raw("file") instanceof Map<?, ?> ? in.section("file").asMap() : Map.of();
        if (in.raw("file") != null && !(in.raw("file") instanceof Map)) {
            throw new StepInputException(type + ": input 'file' must be a mapping of file options "
                    + "(encoding, delimiter, quotechar, escapechar, doublequote, quoting, linefeed)");
        }
        String enc = String.valueOf(opt(in, file, "encoding", "utf-8"));
        boolean bom = false;
        Charset cs;
        String norm = enc.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (norm.equals("utf-8-sig") || norm.equals("utf8-sig")) {
            cs = StandardCharsets.UTF_8;
            bom = true;
        } else {
            try {
                cs = Charset.forName(switch (norm) {
                    case "latin-1", "latin1", "l1" -> "ISO-8859-1";
                    case "utf8" -> "UTF-8";
                    default -> norm;
                });
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw new StepInputException(type + ": unknown encoding: " + enc
                        + " (use a name such as utf-8, utf-8-sig, latin-1, cp1252)");
            }
        }
        char delimiter = oneChar(type, "delimiter", opt(in, file, "delimiter", fmt.equals("tsv") ? "\t" : ","));
        char quotechar = oneChar(type, "quotechar", opt(in, file, "quotechar", "\""));
        Object esc = opt(in, file, "escapechar", null);
        Character escapechar = esc == null ? null : oneChar(type, "escapechar", esc);
        boolean doublequote = bool(type, opt(in, file, "doublequote", Boolean.TRUE));
        Quoting quoting = switch (String.valueOf(opt(in, file, "quoting", "minimal")).trim().toLowerCase(Locale.ROOT)) {
            case "all" -> Quoting.ALL;
            case "none" -> Quoting.NONE;
            case "nonnumeric" -> Quoting.NONNUMERIC;
            default -> Quoting.MINIMAL; // as the reference: unknown modes are minimal
        };
        String linefeed = String.valueOf(opt(in, file, "linefeed", "\n"));
        return new FileOptions(cs, bom, delimiter, quotechar, escapechar, doublequote, quoting, linefeed);
    }

    private static Object opt(StepInputs in, Map<String, Object> file, String key, Object dflt) {
        Object top = in.raw(key);
        if (top != null) {
            return top;
        }
        Object nested = file.get(key);
        return nested != null ? nested : dflt;
    }

    private static char oneChar(String type, String name, Object v) {
        String s = String.valueOf(v);
        if (s.length() != 1) {
            throw new StepInputException(type + ": input '" + name + "' must be a 1-character string, got '" + s + "'");
        }
        return s.charAt(0);
    }

    private static boolean bool(String type, Object v) {
        Boolean b = io.aetherflow.api.support.ConfigValues.strictBoolean(v);
        if (b == null) {
            throw new StepInputException(type + ": input 'doublequote' must be a boolean (true/false), got '" + v + "'");
        }
        return b;
    }
}
