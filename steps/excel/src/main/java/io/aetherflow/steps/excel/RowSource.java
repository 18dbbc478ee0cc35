package io.aetherflow.steps.excel;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordType;
import io.aetherflow.api.step.StepFailedException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Records of a CSV/TSV file, one list of fields each, as Python's {@code csv.reader} yields them
 * for the same dialect: a blank line is an empty record, fields are text (floats for unquoted
 * fields under {@code quoting: nonnumeric}). RFC 4180 dialects go through fastcsv; dialects it
 * cannot express (an {@code escapechar}, {@code doublequote: false}, {@code quoting: none}) through
 * {@link PyDialect}, a small reader with the rules of Python's csv module.
 */
final class RowSource implements Closeable {

    private final Reader reader;
    private final CloseableIterator<List<Object>> fast;
    private final PyDialect slow;
    private final String label;
    private final Path path;

    /**
     * Opens a source.
     *
     * @param label {@code <step> target=<name>}, for messages
     * @param path the file
     * @param o its dialect
     */
    RowSource(String label, Path path, CsvOptions o) throws IOException {
        this.label = label;
        this.path = path;
        InputStream in = Files.newInputStream(path);
        Reader r = new InputStreamReader(in, o.charset(label).newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        if (o.dropBom()) {
            PushbackReader pb = new PushbackReader(r, 1);
            int c = pb.read();
            if (c >= 0 && c != '\ufeff') {
                pb.unread(c);
            }
            r = pb;
        }
        this.reader = r;
        if (o.plain()) {
            CsvReader<List<Object>> csv = CsvReader.builder()
                    .fieldSeparator(o.delimiter())
                    .quoteCharacter(o.quotechar())
                    .skipEmptyLines(false)
                    .allowExtraFields(true)
                    .allowMissingFields(true)
                    .allowExtraCharsAfterClosingQuote(true)
                    .allowUnclosedQuote(true)
                    .build(new Fields(o.quoting().equals("nonnumeric")), r);
            this.fast = csv.iterator();
            this.slow = null;
        } else {
            this.fast = null;
            this.slow = new PyDialect(r, o);
        }
    }

    /** @return the next record, or null at the end */
    List<Object> next() {
        try {
            if (fast != null) {
                return fast.hasNext() ? fast.next() : null;
            }
            return slow.next();
        } catch (StepFailedException e) {
            throw new StepFailedException(label + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw failure(e.getCause());
        } catch (IOException e) {
            throw failure(e);
        } catch (CsvParseException e) {
            if (e.getCause() instanceof StepFailedException f) {
                throw new StepFailedException(label + ": " + f.getMessage(), e);
            }
            throw new StepFailedException(label + ": cannot parse " + path + ": " + Poi.oneLine(e), e);
        }
    }

    private StepFailedException failure(Throwable e) {
        if (e instanceof CharacterCodingException || e != null && e.getCause() instanceof CharacterCodingException) {
            return new StepFailedException(label + ": " + path + " is not valid text in the given encoding ("
                    + Poi.oneLine(e) + "); set encoding", e);
        }
        return new StepFailedException(label + ": cannot read " + path + ": " + (e == null ? "I/O error" : Poi.oneLine(e)), e);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Python's float() of an unquoted field under QUOTE_NONNUMERIC. */
    static Double nonNumeric(String s) {
        Double d = Casting.parseFloat(s);
        if (d == null) {
            throw new StepFailedException("could not convert string to float: '" + s + "' (quoting: nonnumeric reads"
                    + " every unquoted field as a number)");
        }
        return d;
    }

    /** fastcsv callback: fields as text, an empty line as an empty record. */
    private static final class Fields extends AbstractBaseCsvCallbackHandler<List<Object>> {
        private final boolean nonNumeric;
        private ArrayList<Object> fields = new ArrayList<>();

        Fields(boolean nonNumeric) {
            this.nonNumeric = nonNumeric;
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            fields = new ArrayList<>(Math.max(4, fields.size()));
        }

        @Override
        protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
            String s = new String(buf, offset, len);
            fields.add(nonNumeric && !quoted && len > 0 ? nonNumeric(s) : s);
        }

        @Override
        protected List<Object> buildRecord() {
            return getRecordType() == RecordType.EMPTY ? new ArrayList<>() : fields;
        }
    }
}
