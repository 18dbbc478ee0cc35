package io.aetherflow.connectors.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/** Entries of a zip read with Commons Compress (no encryption support). */
final class CompressEntries extends IndexedEntries<ZipArchiveEntry> {

    private final ZipFile zip;

    CompressEntries(Path archive) throws IOException {
        this.zip = ZipFile.builder().setPath(archive).get();
        for (ZipArchiveEntry z : Collections.list(zip.getEntriesInPhysicalOrder())) {
            Entry e = new Entry(z.getName(), z.isDirectory(), z.isUnixSymlink() || Entry.isSymlinkMode(z.getUnixMode()),
                    z.getSize(), z.getCompressedSize(), z.getGeneralPurposeBit().usesEncryption());
            add(e, z);
        }
    }

    @Override
    public InputStream open(Entry e) throws IOException {
        ZipArchiveEntry z = nativeEntry(e);
        if (!zip.canReadEntryData(z)) {
            throw new IOException("entry '" + e.name() + "' uses a compression method this driver cannot read ("
                    + z.getMethod() + ")");
        }
        return zip.getInputStream(z);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
