package io.aetherflow.runtime.spec;

/**
 * {@code flow.state}.
 *
 * @param backend {@code sqlite} (default), {@code file} (accepted, served by SQLite) or
 *     {@code postgres} (shared store, see {@code docs/state-store.md})
 * @param path SQLite file (default {@code /tmp/state/aetherflow.sqlite}; a run of a flow without
 *     {@code path} uses {@code $AETHERFLOW_STATE_ROOT/aetherflow.sqlite} instead, see
 *     {@link io.aetherflow.runtime.env.Settings#defaultStatePath})
 * @param url PostgreSQL URL for {@code backend: postgres} (libpq or JDBC form), or null: then
 *     {@code AETHERFLOW_STATE_URL} is used
 */
public record StateSpec(String backend, String path, String url) {

    /**
     * A SQLite state without URL.
     *
     * @param backend backend
     * @param path SQLite file
     */
    public StateSpec(String backend, String path) {
        this(backend, path, null);
    }
}
