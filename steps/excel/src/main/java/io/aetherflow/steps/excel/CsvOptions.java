package io.aetherflow.steps.excel;

import io.aetherflow.api.step.StepFailedException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The dialect of a CSV/TSV source, read from a target's top level or its {@code file:} mapping
 * (top level wins), with the reference's defaults: {@code encoding} utf-8, {@code delimiter} tab
 * for tsv and comma otherwise, {@code quotechar} {@code "}, no {@code escapechar},
 * {@code doublequote} true, {@code quoting} minimal, {@code linefeed} {@code \n} (counting only).
 *
 * @param encoding the encoding name as given
 * @param delimiter the one-character field separator
 * @param quotechar the one-character quote
 * @param escapechar the escape character, or null
 * @param doublequote whether a doubled quote inside quotes is one quote
 * @param quoting {@code minimal}, {@code all}, {@code none} or {@code nonnumeric} (unknown values read as minimal)
 * @param linefeed the record separator fast counting looks for
 */
record CsvOptions(String encoding, char delimiter, char quotechar, Character escapechar, boolean doublequote,
        String quoting, String linefeed) {

    /** The options of one target. */
    static CsvOptions of(Target t, String fmt) {
        String enc = String.valueOf(opt(t, "encoding", "utf-8"));
        Object d = opt(t, "delimiter", fmt.equals("tsv") ? "\t" : ",");
        char delimiter = oneChar(t, "delimiter", String.valueOf(d));
        char quote = oneChar(t, "quotechar", String.valueOf(opt(t, "quotechar", "\"")));
        Object e = opt(t, "escapechar", null);
        Character escape = e == null ? null : oneChar(t, "escapechar", String.valueOf(e));
        Object dq = opt(t, "doublequote", Boolean.TRUE);
        boolean doublequote = Target.truthy(dq) && !"false".equalsIgnoreCase(dq.toString());
        String q = String.valueOf(opt(t, "quoting", "minimal")).strip().toLowerCase(Locale.ROOT);
        if (!q.equals("all") && !q.equals("none") && !q.equals("nonnumeric")) {
            q = "minimal";
        }
        String lf = String.valueOf(opt(t, "linefeed", "\n"));
        return new CsvOptions(enc, delimiter, quote, escape, doublequote, q, lf);
    }

    private static Object opt(Target t, String key, Object def) {
        Object v = t.get(key);
        if (v != null) {
            return v;
        }
        if (t.get("file") instanceof Map<?, ?> f && f.get(key) != null) {
            return f.get(key);
        }
        return def;
    }

    private static char oneChar(Target t, String key, String v) {
        if (v.length() != 1) {
            throw t.fail("\"" + key + "\" must be a 1-character string, got '" + v + "'");
        }
        return v.charAt(0);
    }

    /** Whether fastcsv reads this dialect exactly (RFC 4180 quoting: doubled quotes, no escape character). */
    boolean plain() {
        return escapechar == null && doublequote && !quoting.equals("none");
    }

    /** @return true when the encoding is UTF-16 or UTF-32 (no fast counting) */
    boolean wide() {
        String e = encoding.toLowerCase(Locale.ROOT).replace('_', '-');
        return e.startsWith("utf-16") || e.startsWith("utf-32");
    }

    /** The Java charset for a Python codec name ({@code utf-8-sig} reads as UTF-8 with its BOM dropped). */
    Charset charset(String label) {
        String e = encoding.toLowerCase(Locale.ROOT).replace('_', '-');
        switch (e) {
            case "utf-8-sig", "utf8-sig":
                return StandardCharsets.UTF_8;
            case "latin-1", "latin1", "l1", "iso-8859-1":
                return StandardCharsets.ISO_8859_1;
            default:
                try {
                    return Charset.forName(e);
                } catch (RuntimeException ex) {
                    throw new StepFailedException(label + ": unknown encoding: " + encoding);
                }
        }
    }

    /** @return true for {@code utf-8-sig}: a leading BOM is not data */
    boolean dropBom() {
        String e = encoding.toLowerCase(Locale.ROOT).replace('_', '-');
        return e.equals("utf-8-sig") || e.equals("utf8-sig");
    }
}
