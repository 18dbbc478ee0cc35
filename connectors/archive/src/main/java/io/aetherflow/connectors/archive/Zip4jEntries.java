package io.aetherflow.connectors.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.model.FileHeader;

/** Entries of a zip read with zip4j: plain, ZipCrypto and AES entries. */
final class Zip4jEntries extends IndexedEntries<FileHeader> {

    private final ZipFile zip;

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
            add(e, h);
        }
    }

    @Override
    public InputStream open(Entry e) throws IOException {
        return zip.getInputStream(nativeEntry(e));
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
