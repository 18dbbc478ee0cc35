package io.aetherflow.api.connector.archive;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates and extracts zip archives for one {@code archive} resource.
 *
 * <p>Creation: every file must lie under {@code baseDir} (else
 * {@code File '<file>' is outside base_dir '<base>'}); entries are named by their POSIX path relative
 * to {@code baseDir}; the archive is written to {@code <output>.tmp} and renamed over {@code output}
 * only when complete, so a failed run never leaves a half-written archive under the final name.
 *
 * <p>Extraction is safe against hostile archives: an entry whose name is absolute, has a drive
 * prefix or a {@code ..} segment (zip-slip), or that is a symbolic link, refuses the whole archive
 * before anything is written; an archive whose entries would exceed the connector's
 * {@link ExtractLimits} (total bytes, entry count, compression ratio, checked both from the headers
 * and while inflating) is refused as a zip bomb. Entries are extracted into a staging directory
 * inside {@code destDir} and moved into place only when all of them were extracted, so a refused or
 * failed extraction leaves {@code destDir} as it was.
 *
 * <p>Messages never contain the password.
 */
@ProviderType
public interface ArchiveConnector extends Connector {

    /**
     * Writes a zip archive.
     *
     * @param output the archive to write (absolute); its parent directory is created
     * @param files regular files (or directories, stored as directory entries) to add, in order
     * @param baseDir the directory archive names are relative to (absolute)
     * @param password a password to encrypt the entries with, or null/empty for none
     * @param compression deflated or stored
     * @param overwrite when false, an existing {@code output} is an error; when true it is replaced
     * @return what was written
     * @throws ConnectorException a file outside {@code baseDir} or missing, an existing output without
     *         {@code overwrite}, a driver that cannot encrypt, an I/O or tool failure
     */
    ZipCreated createZip(Path output, List<Path> files, Path baseDir, String password, Compression compression,
            boolean overwrite);

    /**
     * Extracts a zip archive.
     *
     * @param archive the archive (absolute)
     * @param destDir the destination directory (absolute); created when missing
     * @param password the password for encrypted entries, or null/empty for none
     * @param overwrite when false, existing files in {@code destDir} are kept and the archive's copy
     *        skipped; when true they are replaced
     * @param members archive names to extract, or null/empty for all
     * @return what was written
     * @throws ConnectorException a missing or unreadable archive, a wrong or missing password, an
     *         unsafe entry (zip-slip, absolute path, symbolic link), a limit exceeded (zip bomb), a
     *         member not in the archive, an I/O or tool failure
     */
    ZipExtracted extractZip(Path archive, Path destDir, String password, boolean overwrite, List<String> members);
}
