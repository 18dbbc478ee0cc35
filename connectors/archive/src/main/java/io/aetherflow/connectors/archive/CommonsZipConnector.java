package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Driver {@code zip} (alias {@code zipfile}): plain zips with Apache Commons Compress. Cannot write
 * encrypted archives; reads encrypted ones (ZipCrypto and AES) when a password is given.
 */
final class CommonsZipConnector extends BaseConnector {

    CommonsZipConnector(ConnectorConfig cfg) {
        super(cfg);
    }

    @Override
    void write(Path tmp, List<Source> sources, Path baseDir, String password, Compression compression)
            throws IOException {
        if (password != null) {
            throw new ConnectorException(prefix() + " does not support writing encrypted ZIPs. "
                    + "Use a resource with driver aes (alias pyzipper) for a password");
        }
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(tmp)) {
            zip.setMethod(compression == Compression.STORED ? ZipArchiveOutputStream.STORED : ZipArchiveOutputStream.DEFLATED);
            for (Source s : sources) {
                ZipArchiveEntry e = new ZipArchiveEntry(s.file(), s.directory() ? s.name() + "/" : s.name());
                if (!s.directory() && compression == Compression.STORED) {
                    e.setMethod(ZipArchiveEntry.STORED);
                }
                zip.putArchiveEntry(e);
                if (!s.directory()) {
                    try (InputStream in = Files.newInputStream(s.file())) {
                        in.transferTo(zip);
                    }
                }
                zip.closeArchiveEntry();
            }
            zip.finish();
        }
    }

    @Override
    List<String> extract(Path archive, Path staging, String password, boolean overwrite, List<String> members)
            throws IOException {
        CompressEntries opened;
        try {
            opened = new CompressEntries(archive);
        } catch (IOException e) {
            throw new ConnectorException(prefix() + ": " + archive + " is not a readable zip archive: "
                    + mask(e.getMessage(), password), e);
        }
        boolean encrypted = false;
        try (CompressEntries src = opened) {
            for (Entry e : src.entries()) {
                encrypted |= e.encrypted();
            }
            if (!encrypted) {
                return safety.extractTo(archive, src, safety.plan(archive, src.entries(), members), staging);
            }
        }
        if (password == null) {
            throw new ConnectorException(prefix() + ": archive " + archive + " is encrypted; set inputs.password");
        }
        return Zip4jRead.extract(this, archive, staging, password, members);
    }
}
