package io.aetherflow.connectors.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.aetherflow.api.support.ConfigValues;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A connection pool's settings, read with the reference's names and legacy aliases; realised with
 * HikariCP. Connections are opened on demand (none are kept warm: a run is short).
 *
 * @param size {@code pool.size} ({@code pool_size}): connections kept for reuse
 * @param maxOverflow {@code pool.max_overflow} ({@code max_overflow}): extra connections under load;
 *        Hikari's maximum pool size is {@code size + maxOverflow}
 * @param recycle {@code pool.recycle_seconds} ({@code pool_recycle}): a connection's maximum lifetime
 *        (Hikari's {@code maxLifetime}, at least 30 s)
 * @param prePing {@code pool.pre_ping} ({@code pool_pre_ping}): check a connection before handing it
 *        out (Hikari checks connections idle for more than 500 ms in any case)
 * @param connectTimeout how long to wait for a connection ({@code options.connect_timeout} plus 5 s)
 */
record PoolSettings(int size, int maxOverflow, Duration recycle, boolean prePing, Duration connectTimeout) {

    /**
     * @param options the resource's options
     * @param defaultSize the driver's default {@code pool.size}
     * @param defaultOverflow the driver's default {@code pool.max_overflow}
     * @param connectTimeout the connect timeout
     * @return the settings
     */
    static PoolSettings from(ConfigValues options, int defaultSize, int defaultOverflow, Duration connectTimeout) {
        int size = (int) options.integer(defaultSize, 1, "pool.size", "pool_size");
        int overflow = (int) options.integer(defaultOverflow, 0, "pool.max_overflow", "max_overflow");
        Duration recycle = options.duration(1800, "pool.recycle_seconds", "pool_recycle");
        boolean prePing = options.bool(true, "pool.pre_ping", "pool_pre_ping");
        return new PoolSettings(size, overflow, recycle, prePing, connectTimeout.plusSeconds(5));
    }

    /**
     * @param name the pool's name (the resource)
     * @param dataSource the driver's data source
     * @return the pool; it connects once now, so that bad credentials fail here with the driver's reason
     */
    HikariDataSource open(String name, DataSource dataSource) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("aetherflow-db-" + name);
        c.setDataSource(dataSource);
        c.setMaximumPoolSize(size + maxOverflow);
        c.setMinimumIdle(0);
        c.setMaxLifetime(Math.max(30_000, recycle.toMillis()));
        c.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        c.setInitializationFailTimeout(1);
        if (!prePing) {
            c.setKeepaliveTime(0);
        }
        c.setRegisterMbeans(false);
        return new HikariDataSource(c);
    }
}
