package io.aetherflow.runtime.yaml;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The positions of a document read from a {@link YamlCache} record, built on first use: a valid
 * flow never asks for a position (only issues do), and building the map of a thousand-step flow
 * (a location string, a position and two hash entries per key) is most of a cached load's
 * allocation. Unmodifiable; thread-safe.
 */
final class LazyPositions extends AbstractMap<String, LoadedYaml.Position> {

    private Supplier<Map<String, LoadedYaml.Position>> build;
    private volatile Map<String, LoadedYaml.Position> built;

    /** @param build decodes the positions (called at most once) */
    LazyPositions(Supplier<Map<String, LoadedYaml.Position>> build) {
        this.build = build;
    }

    /** @return whether the map has been built */
    boolean isBuilt() {
        return built != null;
    }

    private Map<String, LoadedYaml.Position> map() {
        Map<String, LoadedYaml.Position> m = built;
        if (m == null) {
            synchronized (this) {
                m = built;
                if (m == null) {
                    m = Collections.unmodifiableMap(build.get());
                    build = null;
                    built = m;
                }
            }
        }
        return m;
    }

    @Override
    public LoadedYaml.Position get(Object key) {
        return map().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map().containsKey(key);
    }

    @Override
    public int size() {
        return map().size();
    }

    @Override
    public Set<Entry<String, LoadedYaml.Position>> entrySet() {
        return map().entrySet();
    }
}
