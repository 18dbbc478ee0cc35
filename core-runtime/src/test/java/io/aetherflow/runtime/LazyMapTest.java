package io.aetherflow.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyMapTest {

    @Test
    void buildsOnFirstUseOnceAndIsUnmodifiable() {
        AtomicInteger builds = new AtomicInteger();
        LazyMap<String, Integer> m = new LazyMap<>(() -> {
            builds.incrementAndGet();
            return new java.util.HashMap<>(Map.of("a", 1, "b", 2));
        });
        assertFalse(m.isBuilt());
        assertEquals(0, builds.get());
        assertEquals(1, m.get("a"));
        assertTrue(m.containsKey("b"));
        assertEquals(2, m.size());
        assertEquals(Map.of("a", 1, "b", 2), m);
        assertEquals(1, builds.get());
        assertTrue(m.isBuilt());
        assertThrows(UnsupportedOperationException.class, () -> m.entrySet().clear());
    }

    @Test
    void aFailedBuildIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        LazyMap<String, String> m = new LazyMap<>(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("damaged");
            }
            return Map.of("k", "v");
        });
        assertThrows(IllegalStateException.class, () -> m.get("k"));
        assertFalse(m.isBuilt());
        assertEquals("v", m.get("k"));
        assertEquals(2, calls.get());
    }
}
