package io.aetherflow.runtime.spec;

/**
 * {@code flow.state}.
 *
 * @param backend {@code sqlite} (default) or {@code file} (accepted, served by SQLite)
 * @param path SQLite file (default {@code /tmp/state/aetherflow.sqlite}; a run of a flow without
 *     {@code path} uses {@code $AETHERFLOW_STATE_ROOT/aetherflow.sqlite} instead, see
 *     {@link io.aetherflow.runtime.env.Settings#defaultStatePath})
 */
public record StateSpec(String backend, String path) {
}
