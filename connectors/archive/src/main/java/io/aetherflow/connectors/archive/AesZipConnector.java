package io.aetherflow.connectors.archive;

import io.aetherflow.api.connector.ConnectorConfig;
import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.archive.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;

/**
 * Driver {@code aes} (aliases {@code pyzipper}, {@code pyminizip}): AES-encrypted zips with zip4j.
 * With a password entries are AES encrypted ({@code config.aes_strength} 128 or 256, default 256;
 * 192 is refused: zip4j cannot write it);
 * without one the archive is plain. Reads plain, ZipCrypto and AES archives. Named
 * {@code pyminizip}, a password is mandatory for creation as in the reference.
 */
final class AesZipConnector extends BaseConnector {

    private final AesKeyStrength strength;

    AesZipConnector(ConnectorConfig cfg) {
        super(cfg);
        String s = settings.string("aes_strength", "256");
        switch (s) {
            case "128":
                strength = AesKeyStrength.KEY_STRENGTH_128;
                break;
            case "192":
                // zip4j reads AES-192 archives but does not write them
                throw new ConnectorException(prefix() + " config.aes_strength 192 cannot be written (zip4j writes "
                        + "128 or 256 bits; archives with 192 are still read); use 256 (resource " + cfg.name() + ")");
            case "256":
                strength = AesKeyStrength.KEY_STRENGTH_256;
                break;
            default:
                throw new ConnectorException(prefix() + " config.aes_strength must be 128/192/256 (resource "
                        + cfg.name() + ")");
        }
        String enc = settings.string("encryption", "aes");
        if (!enc.equalsIgnoreCase("aes")) {
            throw new ConnectorException(prefix() + " config.encryption must be aes (ZipCrypto is not written: "
                    + "it is broken; resource " + cfg.name() + ")");
        }
    }

    @Override
    void write(Path tmp, List<Source> sources, Path baseDir, String password, Compression compression)
            throws IOException {
        if (password == null && "pyminizip".equals(cfg.driver())) {
            throw new ConnectorException("archive.pyminizip is intended for encrypted zips; set inputs.password");
        }
        try (OutputStream file = Files.newOutputStream(tmp);
                ZipOutputStream zip = password == null ? new ZipOutputStream(file)
                        : new ZipOutputStream(file, password.toCharArray())) {
            for (Source s : sources) {
                ZipParameters p = new ZipParameters();
                p.setFileNameInZip(s.directory() ? s.name() + "/" : s.name());
                p.setLastModifiedFileTime(Files.getLastModifiedTime(s.file()).toMillis());
                boolean stored = compression == Compression.STORED || s.directory();
                p.setCompressionMethod(stored ? CompressionMethod.STORE : CompressionMethod.DEFLATE);
                if (stored) {
                    p.setEntrySize(s.directory() ? 0 : Files.size(s.file()));
                }
                if (password != null && !s.directory()) {
                    p.setEncryptFiles(true);
                    p.setEncryptionMethod(EncryptionMethod.AES);
                    p.setAesKeyStrength(strength);
                }
                zip.putNextEntry(p);
                if (!s.directory()) {
                    try (InputStream in = Files.newInputStream(s.file())) {
                        in.transferTo(zip);
                    }
                }
                zip.closeEntry();
            }
        }
    }

    @Override
    List<String> extract(Path archive, Path staging, String password, boolean overwrite, List<String> members)
            throws IOException {
        return Zip4jRead.extract(this, archive, staging, password, members);
    }
}
