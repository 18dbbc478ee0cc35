package io.aetherflow.steps.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aetherflow.api.connector.ConnectorException;
import io.aetherflow.api.connector.db.DbColumn;
import io.aetherflow.api.connector.db.DbRows;
import io.aetherflow.api.connector.db.DbText;
import io.aetherflow.api.support.PyRepr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fast float text against Python's repr rules, and the two-thread row copy. */
class ValuesAndPipelineTest {

    @Test
    void floatTextIsPythonsRepr() {
        assertEquals("10.0", Values.text(10.0));
        assertEquals("-0.5", Values.text(-0.5));
        assertEquals("0.001", Values.text(0.001));
        assertEquals("1234.56", Values.text(1234.56));
        assertEquals("0.30000000000000004", Values.text(0.1 + 0.2));
        assertEquals("1e+16", Values.text(1e16));
        assertEquals("0.0001", Values.text(1e-4));
        assertEquals("-0.0", Values.text(-0.0));
        assertEquals("nan", Values.text(Double.NaN));
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            double d = switch (i % 4) {
                case 0 -> Math.round(r.nextDouble(-1e7, 1e7) * 100) / 100.0; // money-like
                case 1 -> r.nextInt(100_000) / 1000.0;
                case 2 -> r.nextDouble(-1e7, 1e7);
                default -> Double.longBitsToDouble(r.nextLong());
            };
            assertEquals(PyRepr.floatRepr(d), Values.floatText(d), () -> "for " + d);
        }
    }

    /** A cursor without columns that holds nothing to close. */
    private abstract static class Rows implements DbRows {
        int i;

        @Override
        public List<DbColumn> columns() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    private static DbRows rows(int n, RuntimeException failAt) {
        return new Rows() {
            @Override
            public Object[] next() {
                if (failAt != null && i == n) {
                    throw failAt;
                }
                return i < n ? new Object[] {(long) i++} : null;
            }
        };
    }

    @Test
    void asksForLazyTextAndHandsTheWriterDecodedStrings() throws Exception {
        int n = RowPipeline.BATCH + 3;
        AtomicInteger lazyCalls = new AtomicInteger();
        DbRows lazy = new Rows() {
            @Override
            public Object[] next() {
                throw new AssertionError("the pipeline reads with nextLazyText");
            }

            @Override
            public Object[] nextLazyText() {
                lazyCalls.incrementAndGet();
                return i < n ? new Object[] {new DbText(("tëxt " + i++).getBytes(StandardCharsets.UTF_8)), 1L, null} : null;
            }
        };
        List<Object[]> seen = new ArrayList<>();
        RowPipeline.copy(lazy, seen::add);
        assertEquals(n, seen.size());
        assertEquals(n + 1, lazyCalls.get());
        for (int i = 0; i < n; i++) {
            assertEquals(List.of("tëxt " + i, 1L), java.util.Arrays.asList(seen.get(i)).subList(0, 2));
            assertEquals(String.class, seen.get(i)[0].getClass());
        }
    }

    @Test
    void copiesEveryRowInOrderOnTheWriterThread() throws Exception {
        List<Object> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        AtomicInteger onCaller = new AtomicInteger();
        RowPipeline.copy(rows(RowPipeline.BATCH * 3 + 7, null), r -> {
            if (Thread.currentThread() == caller) {
                onCaller.incrementAndGet();
            }
            seen.add(r[0]);
        });
        assertEquals(RowPipeline.BATCH * 3 + 7, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals((long) i, seen.get(i));
        }
        assertEquals(0, onCaller.get());
    }

    @Test
    void theWritersFailureStopsTheCopyAndIsThrown() {
        IOException boom = new IOException("need to escape");
        AtomicInteger written = new AtomicInteger();
        IOException e = assertThrows(IOException.class, () -> RowPipeline.copy(rows(1_000_000, null), r -> {
            if (written.incrementAndGet() == 2) {
                throw boom;
            }
        }));
        assertSame(boom, e);
        assertEquals(2, written.get());
    }

    @Test
    void theCursorsFailureIsThrownAfterTheWriterStopped() {
        ConnectorException fetch = new ConnectorException("fetching rows failed");
        AtomicInteger written = new AtomicInteger();
        ConnectorException e = assertThrows(ConnectorException.class,
                () -> RowPipeline.copy(rows(10, fetch), r -> written.incrementAndGet()));
        assertSame(fetch, e);
        assertTrue(written.get() <= 10);
    }
}
