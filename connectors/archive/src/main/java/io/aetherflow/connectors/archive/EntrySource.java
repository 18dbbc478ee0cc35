package io.aetherflow.connectors.archive;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** An opened archive: its entries (from the central directory) and their data. */
interface EntrySource extends AutoCloseable {

    /** @return the entries in archive order */
    List<Entry> entries();

    /**
     * @param e one of {@link #entries()}
     * @return the entry's uncompressed data
     * @throws IOException unreadable data, wrong password
     */
    InputStream open(Entry e) throws IOException;

    @Override
    void close() throws IOException;
}
