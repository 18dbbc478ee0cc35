package io.aetherflow.api.connector.archive;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ArchiveConnector#createZip} wrote.
 *
 * @param output the archive's absolute path
 * @param count how many files went into it
 * @param password whether the entries are encrypted
 * @param driver the driver name as the resource wrote it (may be an alias)
 */
public record ZipCreated(Path output, int count, boolean password, String driver) {

    /** Canonical constructor: output and driver are required. */
    public ZipCreated {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(driver, "driver");
    }

    /** @return the step output keys of the reference: {@code output, count, password, driver} */
    public Map<String, Object> toOutput() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", output.toString());
        m.put("count", count);
        m.put("password", password);
        m.put("driver", driver);
        return m;
    }
}
