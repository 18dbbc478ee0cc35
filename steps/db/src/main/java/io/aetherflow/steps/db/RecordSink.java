package io.aetherflow.steps.db;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
import de.siegmar.fastcsv.writer.QuoteStrategy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;

/** Writes csv/tsv records with the dialect of {@link FileOptions}, as Python's {@code csv.writer} would. */
interface RecordSink extends AutoCloseable {

    /**
     * Writes one record.
     *
     * @param fields the field texts
     * @throws IOException when writing fails, or (for the modes that escape) a field needs an escape
     *         character and none is set
     */
    void write(String[] fields) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Opens a sink on a file: fastcsv for the dialects it expresses (doubled quotes, no escape
     * character, quoting minimal/all/nonnumeric, line feed {@code \n}, {@code \r\n} or {@code \r}),
     * {@link PyCsvSink} for the rest (escapechar, doublequote false, quoting none, other line feeds).
     *
     * @param os where the records go (the sink closes it)
     * @param o the dialect
     * @param columns how many fields each record has (a lone empty field is quoted, as Python does)
     * @return the sink
     * @throws IOException when writing fails
     */
    static RecordSink open(OutputStream os, FileOptions o, int columns) throws IOException {
        Writer encoded = new OutputStreamWriter(os, o.charset().newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        if (o.bom()) {
            encoded.write('\uFEFF');
        }
        LineDelimiter ld = switch (o.linefeed()) {
            case "\n" -> LineDelimiter.LF;
            case "\r\n" -> LineDelimiter.CRLF;
            case "\r" -> LineDelimiter.CR;
            default -> null;
        };
        if (ld == null || o.escapechar() != null || !o.doublequote() || o.quoting() == FileOptions.Quoting.NONE) {
            return new PyCsvSink(new BufferedWriter(encoded, 1 << 16), o);
        }
        QuoteStrategy quotes = o.quoting() == FileOptions.Quoting.MINIMAL
                ? (columns == 1 ? new QuoteStrategy() {
                    @Override
                    public boolean quoteEmpty(int lineNo, int fieldIdx) {
                        return true; // Python writes a record of one empty field as ""
                    }
                } : QuoteStrategies.REQUIRED)
                : QuoteStrategies.ALWAYS;
        CsvWriter csv = CsvWriter.builder().fieldSeparator(o.delimiter()).quoteCharacter(o.quotechar())
                // fastcsv quotes a first field that starts with the comment character; Python has none
                .commentCharacter('\0').quoteStrategy(quotes).lineDelimiter(ld).bufferSize(1 << 16).build(encoded);
        return new RecordSink() {
            @Override
            public void write(String[] fields) throws IOException {
                try {
                    csv.writeRecord(fields);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public void close() throws IOException {
                csv.close();
            }
        };
    }
}
