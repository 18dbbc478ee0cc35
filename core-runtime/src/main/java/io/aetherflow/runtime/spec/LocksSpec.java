package io.aetherflow.runtime.spec;

/**
 * {@code flow.locks}.
 *
 * @param scope {@code none}, {@code job} (default) or {@code flow}
 * @param ttlSeconds default lock TTL (default 3600)
 */
public record LocksSpec(String scope, int ttlSeconds) {
}
