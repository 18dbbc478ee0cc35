package io.aetherflow.runtime;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An unmodifiable map built on first use, for values that are often never looked at: a cached flow's
 * key positions (only issues ask for one) and a stored step's outputs (a resume reads every record;
 * templates touch few). Thread-safe; a build that throws is tried again on the next use.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class LazyMap<K, V> extends AbstractMap<K, V> {

    private Supplier<? extends Map<K, V>> build;
    private volatile Map<K, V> built;

    /** @param build makes the map (called until it returns; then dropped) */
    public LazyMap(Supplier<? extends Map<K, V>> build) {
        this.build = build;
    }

    /** @return whether the map has been built */
    public boolean isBuilt() {
        return built != null;
    }

    private Map<K, V> map() {
        Map<K, V> m = built;
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
    public V get(Object key) {
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
    public Set<Entry<K, V>> entrySet() {
        return map().entrySet();
    }
}
