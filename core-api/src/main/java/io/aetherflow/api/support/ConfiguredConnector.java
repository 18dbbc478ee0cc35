package io.aetherflow.api.support;

import io.aetherflow.api.connector.Connector;
import io.aetherflow.api.connector.ConnectorConfig;
import java.util.Objects;

/**
 * What every connector driver repeats: the configuration it was created from and the settings its
 * factory parsed from it (once, strictly, e.g. with {@link ConfigValues}). Extend it and implement
 * the kind's interface:
 *
 * <pre>
 * final class KvConnector extends ConfiguredConnector&lt;KvSettings&gt; implements KeyValueStore {
 *     KvConnector(ConnectorConfig config) {
 *         super(config, KvSettings.from(config));
 *     }
 * }
 * </pre>
 *
 * @param <S> the driver's settings type
 */
public abstract class ConfiguredConnector<S> implements Connector {

    /** The settings parsed from {@link #config()}. */
    protected final S settings;
    private final ConnectorConfig config;

    /**
     * @param config the resource's configuration; not null
     * @param settings what the factory parsed from it
     */
    protected ConfiguredConnector(ConnectorConfig config, S settings) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = settings;
    }

    @Override
    public final ConnectorConfig config() {
        return config;
    }

    /** @return the settings parsed from the configuration */
    public final S settings() {
        return settings;
    }
}
