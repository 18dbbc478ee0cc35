package io.aetherflow.connectors.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.model.FileHeader;

/** Entries of a zip read with zip4j: plain, ZipCrypto and AES entries. */
final class Zip4jEntries implements EntrySource {

    private final ZipFile zip;
    private final List<Entry> order = new ArrayList<>();
    private final Map<Entry, FileHeader> byEntry = new IdentityHashMap<>();

    Zip4jEntries(Path archive, String password) throws IOException {
        this.zip = password == null || password.isEmpty() ? new ZipFile(archive.toFile())
                : new ZipFile(archive.toFile(), password.toCharArray());
        zip.setUseUtf8CharsetForPasswords(true);
        for (FileHeader h : zip.getFileHeaders()) {
            byte[] a = h.getExternalFileAttributes();
            int ext = a == null || a.length < 4 ? 0
                    : (a[0] & 0xff) | (a[1] & 0xff) << 8 | (a[2] & 0xff) << 16 | (a[3] & 0xff) << 24;
            Entry e = new Entry(h.getFileName(), h.isDirectory(), Entry.isSymlinkMode(ext >>> 16),
                    h.getUncompressedSize(), h.getCompressedSize(), h.isEncrypted());
            order.add(e);
            byEntry.put(e, h);
        }
    }

    @Override
    public List<Entry> entries() {
        return List.copyOf(order);
    }

    @Override
    public InputStream open(Entry e) throws IOException {
        return zip.getInputStream(byEntry.get(e));
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
