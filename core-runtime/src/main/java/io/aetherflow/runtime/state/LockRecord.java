package io.aetherflow.runtime.state;

/**
 * A row of the reference {@code locks} table.
 *
 * @param key lock key
 * @param owner holder (the run id, as in the reference)
 * @param expiresAt lease end in epoch seconds
 */
public record LockRecord(String key, String owner, long expiresAt) {
}
