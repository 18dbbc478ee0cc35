package io.aetherflow.runtime.spec;

/**
 * {@code flow.state}.
 *
 * @param backend {@code sqlite} (default) or {@code file} (accepted, served by SQLite)
 * @param path SQLite file (default {@code /tmp/state/aetherflow.sqlite})
 */
public record StateSpec(String backend, String path) {
}
