package io.aetherflow.steps.excel;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV reader with the state machine of Python's {@code csv.reader} (non-strict), for the dialects
 * fastcsv does not have: an {@code escapechar}, {@code doublequote: false} and {@code quoting:
 * none} (the quote is an ordinary character). {@code \r}, {@code \n} and {@code \r\n} end a
 * record outside quotes; a blank line is an empty record.
 */
final class PyDialect {

    private enum State { START_RECORD, START_FIELD, ESCAPED, IN_FIELD, IN_QUOTED, ESCAPE_IN_QUOTED, QUOTE_IN_QUOTED }

    private final Reader in;
    private final char delim;
    private final int quote;
    private final int escape;
    private final boolean doublequote;
    private final boolean nonNumeric;
    private final char[] buf = new char[8192];
    private int pos;
    private int len;
    private boolean skipLf;

    PyDialect(Reader in, CsvOptions o) {
        this.in = in;
        this.delim = o.delimiter();
        this.quote = o.quoting().equals("none") ? -2 : o.quotechar();
        this.escape = o.escapechar() == null ? -2 : o.escapechar();
        this.doublequote = o.doublequote();
        this.nonNumeric = o.quoting().equals("nonnumeric");
    }

    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    /** @return the next record, or null at the end of the input */
    List<Object> next() throws IOException {
        List<Object> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        State s = State.START_RECORD;
        while (true) {
            int c = read();
            if (skipLf) {
                skipLf = false;
                if (c == '\n') {
                    continue;
                }
            }
            boolean eol = c == '\n' || c == '\r';
            if (eol && c == '\r') {
                skipLf = true;
            }
            if (c == -1 && s != State.START_RECORD) {
                save(fields, f, quoted); // the end of the file ends the record in every state
                return fields;
            }
            switch (s) {
                case START_RECORD:
                    if (c == -1) {
                        return null;
                    }
                    if (eol) {
                        return fields;
                    }
                    s = State.START_FIELD;
                    // fall through: the character starts the first field
                case START_FIELD:
                    if (eol) {
                        save(fields, f, quoted);
                        return fields;
                    } else if (c == quote) {
                        quoted = true;
                        s = State.IN_QUOTED;
                    } else if (c == escape) {
                        s = State.ESCAPED;
                    } else if (c == delim) {
                        save(fields, f, quoted);
                        quoted = false;
                    } else {
                        f.append((char) c);
                        s = State.IN_FIELD;
                    }
                    break;
                case ESCAPED, ESCAPE_IN_QUOTED:
                    if (c == '\r') {
                        skipLf = false;
                    }
                    f.append((char) c);
                    s = s == State.ESCAPED ? State.IN_FIELD : State.IN_QUOTED;
                    break;
                case IN_FIELD:
                    if (eol) {
                        save(fields, f, quoted);
                        return fields;
                    } else if (c == escape) {
                        s = State.ESCAPED;
                    } else if (c == delim) {
                        save(fields, f, quoted);
                        quoted = false;
                        s = State.START_FIELD;
                    } else {
                        f.append((char) c);
                    }
                    break;
                case IN_QUOTED:
                    if (c == '\r') {
                        skipLf = false;
                    }
                    if (c == escape) {
                        s = State.ESCAPE_IN_QUOTED;
                    } else if (c == quote) {
                        s = doublequote ? State.QUOTE_IN_QUOTED : State.IN_FIELD;
                    } else {
                        f.append((char) c);
                    }
                    break;
                case QUOTE_IN_QUOTED:
                    if (c == quote) {
                        f.append((char) c);
                        s = State.IN_QUOTED;
                    } else if (c == delim) {
                        save(fields, f, quoted);
                        quoted = false;
                        s = State.START_FIELD;
                    } else if (eol) {
                        save(fields, f, quoted);
                        return fields;
                    } else {
                        f.append((char) c);
                        s = State.IN_FIELD;
                    }
                    break;
                default:
                    throw new IllegalStateException(s.name());
            }
        }
    }

    private void save(List<Object> fields, StringBuilder f, boolean quoted) {
        String v = f.toString();
        f.setLength(0);
        fields.add(nonNumeric && !quoted && !v.isEmpty() ? RowSource.nonNumeric(v) : v);
    }
}
