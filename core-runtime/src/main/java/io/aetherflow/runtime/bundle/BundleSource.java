package io.aetherflow.runtime.bundle;

import java.io.IOException;
import java.util.List;

/**
 * Where a bundle's files come from (catalog §5.2). Remote sources reach their peer only through a
 * connector contract of core-api ({@code RemoteFiles}, {@code HttpConnector}, {@code DbConnector}),
 * obtained from the engine's connector manager for a manifest resource.
 */
public interface BundleSource {

    /** @return the source type as the manifest names it, e.g. {@code sftp} */
    String type();

    /** @return the base path as used (for messages and snapshots) */
    String basePath();

    /**
     * Lists the bundle's files.
     *
     * @return the files (order not significant)
     * @throws Exception when the source cannot be listed
     */
    List<BundleFile> list() throws Exception;

    /**
     * @param relPath a listed file's relative path (leading slashes stripped)
     * @return the full path the source reads it from (shown in messages)
     */
    String fullPath(String relPath);

    /**
     * Reads a file.
     *
     * @param relPath a listed file's relative path (leading slashes stripped)
     * @return its bytes
     * @throws Exception when it cannot be read
     */
    byte[] read(String relPath) throws Exception;

    /**
     * A source whose listing failed.
     */
    final class ListFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what failed
         * @param cause why
         */
        public ListFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
