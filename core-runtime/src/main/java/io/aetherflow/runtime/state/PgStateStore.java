package io.aetherflow.runtime.state;

import java.util.Objects;
import javax.sql.DataSource;

/**
 * The shared state store on PostgreSQL ({@code state.backend: postgres}): the same tables,
 * columns and {@link StateStore} contract as {@link SqliteStateStore}, for several hosts running
 * the same flows and schedules against one database. See {@link PgDatabase} for how writers are
 * serialised and how durability is obtained; dead-run detection works across hosts because the
 * {@code runs} rows carry host and pid (a run of another host is dead when its heartbeat is older
 * than {@link StoreOptions#staleAfter()}, a run of this host also when its pid is gone).
 *
 * <p>The engine does not link the driver: the caller hands over a {@link DataSource} created by
 * the PostgreSQL driver bundle's {@code org.osgi.service.jdbc.DataSourceFactory} (in tests, the
 * driver's own data source) from {@link StateUrl#driverProperties()}.
 */
public final class PgStateStore extends JdbcStateStore {

    private final PgDatabase db;

    private PgStateStore(PgDatabase db) {
        super(db);
        this.db = db;
    }

    /**
     * Connects and creates or migrates the schema.
     *
     * @param url the state URL
     * @param options busy timeout, heartbeat/staleness, clock, host name
     * @param dataSource the driver's data source configured from {@link StateUrl#driverProperties()}
     * @return the open store
     * @throws StateStoreException with a one-line reason (never the password)
     */
    public static PgStateStore open(StateUrl url, StoreOptions options, DataSource dataSource) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(dataSource, "dataSource");
        return new PgStateStore(PgDatabase.open(url, options, dataSource));
    }

    /** @return the highest applied schema version ({@code aetherflow_schema}) */
    public synchronized int schemaVersion() {
        return db.schemaVersion();
    }
}
