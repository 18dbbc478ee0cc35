package io.aetherflow.api.connector.archive;

/**
 * Bounds that every extraction enforces against zip bombs. Connectors read them from the resource's
 * options {@code max_total_bytes}, {@code max_entries}, {@code max_ratio} and
 * {@code ratio_min_bytes}; absent options take the defaults below.
 *
 * @param maxTotalBytes the largest number of bytes all extracted entries may add up to
 * @param maxEntries the largest number of entries an archive may have
 * @param maxRatio the largest uncompressed/compressed size ratio of one entry
 * @param ratioMinBytes entries smaller than this (uncompressed) are exempt from the ratio check
 */
public record ExtractLimits(long maxTotalBytes, long maxEntries, double maxRatio, long ratioMinBytes) {

    /** Default {@link #maxTotalBytes()}: 4 GiB. */
    public static final long DEFAULT_MAX_TOTAL_BYTES = 4L * 1024 * 1024 * 1024;
    /** Default {@link #maxEntries()}: 100000. */
    public static final long DEFAULT_MAX_ENTRIES = 100_000;
    /** Default {@link #maxRatio()}: 200. */
    public static final double DEFAULT_MAX_RATIO = 200;
    /** Default {@link #ratioMinBytes()}: 1 MiB. */
    public static final long DEFAULT_RATIO_MIN_BYTES = 1024 * 1024;

    /** The defaults. */
    public static final ExtractLimits DEFAULTS = new ExtractLimits(DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_ENTRIES,
            DEFAULT_MAX_RATIO, DEFAULT_RATIO_MIN_BYTES);

    /** Canonical constructor: every bound must be positive. */
    public ExtractLimits {
        if (maxTotalBytes <= 0 || maxEntries <= 0 || !(maxRatio > 0) || ratioMinBytes < 0) {
            throw new IllegalArgumentException("archive limits must be positive: max_total_bytes=" + maxTotalBytes
                    + " max_entries=" + maxEntries + " max_ratio=" + maxRatio + " ratio_min_bytes=" + ratioMinBytes);
        }
    }
}
