package io.aetherflow.api.connector.files;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A remote file system bound to one {@code sftp} or {@code smb} resource: the reference's duck-typed
 * contract ({@code read_bytes, write_bytes, upload, download, list, delete, mkdir, mkdir_recursive,
 * delete_recursive}) plus {@link #stat(String)}. Paths are in the driver's own syntax (POSIX paths
 * for SFTP; UNC or {@code SHARE:/path} for SMB) and are passed back as the listing returned them.
 *
 * <p>Implementations connect lazily, reuse their session for the connector's lifetime (one run with
 * the default cache policy), are safe for concurrent use by several threads (parallel uploads), and
 * throw {@link ConnectorException} with one-line messages that name the operation, the remote path
 * and the host, and never contain credentials.
 */
@ProviderType
public interface RemoteFiles extends Connector {

    /**
     * Lists a directory.
     *
     * @param dir the directory
     * @param pattern a {@link Glob} on entry names; null or empty for all
     * @param recursive false: the directory's own entries matching the pattern, directories included,
     *                  {@code relPath} = name; true: every file below (directories are descended, not
     *                  returned), {@code relPath} = path below {@code dir} joined with {@code /}
     * @return the entries sorted by {@code relPath}; {@code .} and {@code ..} never appear
     * @throws ConnectorException when the directory does not exist or cannot be read
     */
    List<RemoteFile> list(String dir, String pattern, boolean recursive);

    /**
     * The reference's {@code list(dir)}: every entry of one directory.
     *
     * @param dir the directory
     * @return the entries sorted by name
     */
    default List<RemoteFile> list(String dir) {
        return list(dir, null, false);
    }

    /**
     * @param path a remote path
     * @return the entry's metadata ({@code relPath} = name), or empty when nothing exists there
     * @throws ConnectorException on any other failure
     */
    Optional<RemoteFile> stat(String path);

    /**
     * @param path a remote path
     * @return true when a file or directory exists there
     */
    default boolean exists(String path) {
        return stat(path).isPresent();
    }

    /**
     * Downloads a file, writing {@code <local>.part} first and renaming it over {@code local} when
     * complete; the local parent directory must exist.
     *
     * @param remotePath the remote file
     * @param local the local target
     * @throws ConnectorException when the remote file is missing or a transfer fails
     */
    void download(String remotePath, Path local);

    /**
     * Uploads a file, creating missing remote parent directories.
     *
     * @param local the local file
     * @param remotePath the remote target (replaced when it exists)
     * @throws ConnectorException when the local file is unreadable or the transfer fails
     */
    void upload(Path local, String remotePath);

    /**
     * @param remotePath a remote file
     * @return its whole content
     * @throws ConnectorException when missing or unreadable
     */
    byte[] readBytes(String remotePath);

    /**
     * Writes a whole file, creating missing remote parent directories.
     *
     * @param remotePath the remote file (replaced when it exists)
     * @param data the content
     */
    void writeBytes(String remotePath, byte[] data);

    /**
     * Deletes a file, or an empty directory.
     *
     * @param remotePath the remote path
     * @throws ConnectorException when nothing exists there or it cannot be removed
     */
    void delete(String remotePath);

    /**
     * Creates one directory; its parent must exist.
     *
     * @param remotePath the directory
     * @throws ConnectorException when it cannot be created (including when it exists)
     */
    void mkdir(String remotePath);

    /**
     * Creates a directory and every missing ancestor; an existing directory is fine. Safe when
     * several threads create the same directories at once.
     *
     * @param remotePath the directory
     */
    void mkdirs(String remotePath);

    /**
     * Deletes a file, or a directory with everything below it (depth first). Nothing there is not an
     * error.
     *
     * @param remotePath the remote path
     */
    void deleteRecursive(String remotePath);

    /**
     * Notices the run log should show as warnings, such as a disabled host key check. Each notice is
     * returned once per connector; steps log what they receive. The default has none.
     *
     * @return the pending notices, possibly empty
     */
    default List<String> takeNotices() {
        return List.of();
    }
}
