package io.aetherflow.api.connector.db;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One query to run.
 *
 * @param sql the statement, with {@code :name} parameters; never null
 * @param params parameter values by name (Java values as listed in the package description); never
 *        null, may be empty
 * @param fetchSize rows per round trip to the database (the JDBC fetch size); at least 1
 * @param sampleSize how many rows may be read ahead to infer the types of columns whose metadata says
 *        nothing (0 = none: such columns stay {@link DbType#UNKNOWN})
 * @param timeout the statement timeout, or null for none
 */
public record DbQuery(String sql, Map<String, Object> params, int fetchSize, int sampleSize, Duration timeout) {

    /** Default rows per round trip, as the reference's {@code fetch_size}. */
    public static final int DEFAULT_FETCH_SIZE = 5000;
    /** Default read-ahead for type inference, as the reference's {@code sample_size}. */
    public static final int DEFAULT_SAMPLE_SIZE = 200;

    /** Canonical constructor: checks and copies. */
    public DbQuery {
        Objects.requireNonNull(sql, "sql");
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        if (fetchSize < 1) {
            throw new IllegalArgumentException("fetchSize must be at least 1, got " + fetchSize);
        }
        if (sampleSize < 0) {
            throw new IllegalArgumentException("sampleSize must not be negative, got " + sampleSize);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /**
     * A query with the default fetch and sample sizes and no timeout.
     *
     * @param sql the statement
     * @param params parameter values by name, or null
     * @return the query
     */
    public static DbQuery of(String sql, Map<String, ?> params) {
        return new DbQuery(sql, params == null ? null : new LinkedHashMap<>(params), DEFAULT_FETCH_SIZE,
                DEFAULT_SAMPLE_SIZE, null);
    }

    /**
     * @param rows rows per round trip
     * @return this query with another fetch size
     */
    public DbQuery withFetchSize(int rows) {
        return new DbQuery(sql, params, rows, sampleSize, timeout);
    }

    /**
     * @param rows read-ahead for type inference
     * @return this query with another sample size
     */
    public DbQuery withSampleSize(int rows) {
        return new DbQuery(sql, params, fetchSize, rows, timeout);
    }

    /**
     * @param limit the statement timeout, or null for none
     * @return this query with another timeout
     */
    public DbQuery withTimeout(Duration limit) {
        return new DbQuery(sql, params, fetchSize, sampleSize, limit);
    }

    @Override
    public String toString() {
        // parameter values may be confidential
        return "DbQuery[sql=" + sql + " params=" + params.keySet() + " fetchSize=" + fetchSize + " sampleSize="
                + sampleSize + " timeout=" + timeout + "]";
    }
}
