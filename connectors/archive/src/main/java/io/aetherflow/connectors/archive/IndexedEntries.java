package io.aetherflow.connectors.archive;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping both zip libraries' sources share: entries in archive order, each mapped to the
 * library's own entry object.
 *
 * @param <T> the library's entry type
 */
abstract class IndexedEntries<T> implements EntrySource {

    private final List<Entry> order = new ArrayList<>();
    private final Map<Entry, T> byEntry = new IdentityHashMap<>();

    /** Records the next entry in archive order. */
    final void add(Entry e, T libraryEntry) {
        order.add(e);
        byEntry.put(e, libraryEntry);
    }

    /** @return the library's entry behind one of {@link #entries()} */
    final T nativeEntry(Entry e) {
        return byEntry.get(e);
    }

    @Override
    public final List<Entry> entries() {
        return List.copyOf(order);
    }
}
