package org.linkboard.bench.measure;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyStatsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void percentilesOfAUniformSpreadAreWhereTheyShouldBe() {
        LatencyStats s = new LatencyStats();
        for (int i = 1; i <= 1000; i++) {
            s.recordNanos(i * MS);
        }
        assertEquals(1000, s.count());
        // three significant digits: within 0.1 % of the exact value
        assertEquals(500, s.p50Ms(), 0.5);
        assertEquals(990, s.p99Ms(), 1.0);
        assertEquals(1000, s.maxMs(), 1.0);
    }

    @Test
    void aFewSlowValuesShowInP99AndMaxButNotInP50() {
        LatencyStats s = new LatencyStats();
        for (int i = 0; i < 980; i++) {
            s.recordNanos(2 * MS);
        }
        for (int i = 0; i < 20; i++) {
            s.recordNanos(250 * MS);
        }
        assertEquals(2, s.p50Ms(), 0.01);
        assertEquals(250, s.p99Ms(), 0.3);
        assertEquals(250, s.maxMs(), 0.3);
    }

    @Test
    void subMillisecondLatenciesKeepMicrosecondResolution() {
        LatencyStats s = new LatencyStats();
        s.recordNanos(137_000);
        assertEquals(0.137, s.p50Ms(), 0.0005);
    }

    @Test
    void nothingRecordedReadsAsNotANumber() {
        LatencyStats s = new LatencyStats();
        assertTrue(Double.isNaN(s.p50Ms()));
        assertTrue(Double.isNaN(s.p99Ms()));
        assertTrue(Double.isNaN(s.maxMs()));
    }

    @Test
    void aValueBeyondTheRangeIsClampedAndCounted() {
        LatencyStats s = new LatencyStats();
        s.recordNanos(TimeUnit.SECONDS.toNanos(LatencyStats.MAX_SECONDS * 2));
        assertEquals(1, s.clamped());
        assertEquals(LatencyStats.MAX_SECONDS * 1000.0, s.maxMs(), LatencyStats.MAX_SECONDS);
    }

    @Test
    void aNegativeValueIsRecordedAsZero() {
        LatencyStats s = new LatencyStats();
        s.recordNanos(-5 * MS);
        assertEquals(0, s.maxMs());
    }

    @Test
    void addingCombinesDistributions() {
        LatencyStats a = new LatencyStats();
        LatencyStats b = new LatencyStats();
        a.recordNanos(MS);
        b.recordNanos(100 * MS);
        a.add(b);
        assertEquals(2, a.count());
        assertEquals(100, a.maxMs(), 0.1);
    }
}
