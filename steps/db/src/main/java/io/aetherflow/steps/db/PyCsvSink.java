package io.aetherflow.steps.db;

import java.io.IOException;
import java.io.Writer;

/**
 * The csv dialects fastcsv cannot express (an escape character, {@code doublequote: false},
 * {@code quoting: none}, a record terminator other than {@code \n}, {@code \r\n}, {@code \r}),
 * written with exactly the rules of CPython's {@code _csv.writer}: a field is quoted (minimal) when it
 * holds the delimiter, the quote character, the escape character or a character of the line
 * terminator; a quote character is doubled, or escaped when {@code doublequote} is false; the escape
 * character itself is always escaped; with quoting none every such character is escaped; a needed
 * escape without an escape character is an error, as in Python.
 */
final class PyCsvSink implements RecordSink {

    private final Writer out;
    private final FileOptions o;
    private final StringBuilder field = new StringBuilder(64);

    PyCsvSink(Writer out, FileOptions o) {
        this.out = out;
        this.o = o;
    }

    @Override
    public void write(String[] fields) throws IOException {
        boolean always = o.quoting() == FileOptions.Quoting.ALL || o.quoting() == FileOptions.Quoting.NONNUMERIC;
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write(o.delimiter());
            }
            append(fields[i] == null ? "" : fields[i], always);
        }
        if (fields.length == 1 && (fields[0] == null || fields[0].isEmpty()) && !always) {
            if (o.quoting() == FileOptions.Quoting.NONE) {
                throw new IOException("single empty field record must be quoted");
            }
            out.write(o.quotechar());
            out.write(o.quotechar());
        }
        out.write(o.linefeed());
    }

    private void append(String s, boolean quoted) throws IOException {
        field.setLength(0);
        char esc = o.escapechar() == null ? 0 : o.escapechar();
        boolean hasEsc = o.escapechar() != null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean special = c == o.delimiter() || (hasEsc && c == esc) || c == o.quotechar()
                    || o.linefeed().indexOf(c) >= 0;
            if (special) {
                boolean escape = false;
                if (o.quoting() == FileOptions.Quoting.NONE) {
                    escape = true;
                } else {
                    if (c == o.quotechar()) {
                        if (o.doublequote()) {
                            field.append(c);
                        } else {
                            escape = true;
                        }
                    } else if (hasEsc && c == esc) {
                        escape = true;
                    }
                    if (!escape) {
                        quoted = true;
                    }
                }
                if (escape) {
                    if (!hasEsc) {
                        throw new IOException("need to escape, but no escapechar set");
                    }
                    field.append(esc);
                }
            }
            field.append(c);
        }
        if (quoted) {
            out.write(o.quotechar());
            out.append(field);
            out.write(o.quotechar());
        } else {
            out.append(field);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
