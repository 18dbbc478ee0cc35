package io.aetherflow.api.connector.archive;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ArchiveConnector#extractZip} wrote.
 *
 * @param destDir the absolute directory the entries went to
 * @param files archive names (POSIX, relative to {@code destDir}) of the files written, in archive
 *              order; files skipped because they existed and {@code overwrite} was false are not listed
 * @param password whether a password was given
 * @param driver the driver name as the resource wrote it (may be an alias)
 */
public record ZipExtracted(Path destDir, List<String> files, boolean password, String driver) {

    /** Canonical constructor: copies the list. */
    public ZipExtracted {
        Objects.requireNonNull(destDir, "destDir");
        Objects.requireNonNull(driver, "driver");
        files = List.copyOf(files);
    }

    /** @return the step output keys of the reference: {@code dest_dir, files, password, driver} */
    public Map<String, Object> toOutput() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dest_dir", destDir.toString());
        m.put("files", files);
        m.put("password", password);
        m.put("driver", driver);
        return m;
    }
}
