package org.linkboard.bench.measure;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * A latency distribution: values recorded in nanoseconds, kept in microseconds with three
 * significant digits (HdrHistogram), read as milliseconds.
 *
 * <p>Thread-safe for recording from several event loops at once ({@link ConcurrentHistogram});
 * read percentiles after recording has stopped, or accept a slightly stale view while it runs.
 * Values above {@value #MAX_SECONDS} s are clamped to it and counted in {@link #clamped()}, so a
 * stuck op shows as a huge max instead of an exception on an event loop.
 */
public final class LatencyStats {
    static final long MAX_SECONDS = 600;
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(MAX_SECONDS);

    private final Histogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);
    private volatile long clamped;

    /** Records one latency; negative values (clock misuse) are recorded as 0. */
    public void recordNanos(long nanos) {
        long micros = Math.max(0, nanos / 1_000);
        if (micros > MAX_MICROS) {
            synchronized (this) {
                clamped++;
            }
            micros = MAX_MICROS;
        }
        histogram.recordValue(micros);
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The value at {@code percentile} (0–100) in ms, or NaN when nothing was recorded. */
    public double percentileMs(double percentile) {
        if (count() == 0) {
            return Double.NaN;
        }
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public double p50Ms() {
        return percentileMs(50);
    }

    public double p99Ms() {
        return percentileMs(99);
    }

    /** The largest value in ms, or NaN when nothing was recorded. */
    public double maxMs() {
        return count() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
    }

    /** Values that exceeded the trackable range and were clamped. */
    public long clamped() {
        return clamped;
    }

    /** Adds every value of {@code other} to this one (to combine phases). */
    public void add(LatencyStats other) {
        histogram.add(other.histogram);
        synchronized (this) {
            clamped += other.clamped;
        }
    }
}
